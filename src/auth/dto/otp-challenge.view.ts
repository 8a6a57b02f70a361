import { ApiProperty } from '@nestjs/swagger';

export class OtpChallengeView {
  @ApiProperty({ format: 'uuid' })
  challengeId!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ format: 'date-time', description: 'No new code before this time' })
  resendAfter!: string;

  @ApiProperty({ example: '138****5678', description: 'The phone given, masked' })
  sentTo!: string;
}

export class SessionView {
  @ApiProperty({ description: 'Opaque bearer token (also set as an HttpOnly cookie)' })
  token!: string;

  @ApiProperty({ format: 'date-time', description: 'Absolute expiry; an idle session ends sooner' })
  expiresAt!: string;
}
