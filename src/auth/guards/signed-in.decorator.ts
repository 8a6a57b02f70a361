import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth } from '@nestjs/swagger';
import { SessionSubject } from '../session.entity';

export const ALLOWED_SUBJECTS = 'civic:subjects';

/** The route needs a session of one of these kinds (resident, staff). */
export const SignedIn = (...subjects: SessionSubject[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ALLOWED_SUBJECTS, subjects), ApiBearerAuth(), ApiCookieAuth());
