import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { StaffRoles } from '../auth/guards/signed-in.decorator';
import { AdminOutboxService, OutboxEntryView } from './admin-outbox.service';

export class OutboxQuery {
  @ApiPropertyOptional({ enum: ['failed', 'pending', 'sent'], default: 'failed' })
  @IsOptional()
  @IsIn(['failed', 'pending', 'sent'])
  status?: 'failed' | 'pending' | 'sent';
}

export class OutboxEntryDoc implements OutboxEntryView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['sms', 'email'] }) channel!: string;
  @ApiProperty({ example: '138****5678' }) recipient!: string;
  @ApiProperty() template!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) failedAt!: string | null;
}

@ApiTags('admin')
@StaffRoles('admin')
@Controller('api/v1/admin/outbox')
export class AdminOutboxController {
  constructor(private readonly outbox: AdminOutboxService) {}

  @Get()
  @ApiOperation({ summary: 'Messages by delivery state (default: the ones that could not be sent); recipients masked' })
  @ApiResponse({ status: 200, type: [OutboxEntryDoc] })
  list(@Query() query: OutboxQuery): Promise<OutboxEntryView[]> {
    return this.outbox.list(query.status ?? 'failed');
  }
}
