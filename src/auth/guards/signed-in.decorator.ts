import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth } from '@nestjs/swagger';
import { StaffRole } from '../../staff/staff.entity';
import { SessionSubject } from '../session.entity';

export const ALLOWED_SUBJECTS = 'civic:subjects';

/** The route needs a session of one of these kinds (resident, staff). */
export const SignedIn = (...subjects: SessionSubject[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ALLOWED_SUBJECTS, subjects), ApiBearerAuth(), ApiCookieAuth());

export const STAFF_ROLES_ALLOWED = 'civic:staff-roles';

/** A staff route only these roles may use (others get 403). */
export const StaffRoles = (...roles: StaffRole[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ALLOWED_SUBJECTS, ['staff']), SetMetadata(STAFF_ROLES_ALLOWED, roles), ApiBearerAuth(), ApiCookieAuth());
