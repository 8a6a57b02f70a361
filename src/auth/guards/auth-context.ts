import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { StaffRole } from '../../staff/staff.entity';
import { SessionSubject } from '../session.entity';

export interface StaffActor {
  id: string;
  role: StaffRole;
  /** Null for admins, who work across centers. */
  centerId: string | null;
}

export interface AuthContext {
  sessionId: string;
  subject: SessionSubject;
  residentId: string | null;
  staff: StaffActor | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

/** The signed-in resident's id (the guard has made sure there is one). */
export const CurrentResident = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const auth = context.switchToHttp().getRequest<FastifyRequest>().auth;
  if (!auth?.residentId) throw new Error('CurrentResident used on a route without a resident session');
  return auth.residentId;
});

export const CurrentSession = createParamDecorator((_: unknown, context: ExecutionContext): AuthContext | undefined => {
  return context.switchToHttp().getRequest<FastifyRequest>().auth;
});

/** The signed-in staff member (the guard has made sure there is one). */
export const CurrentStaff = createParamDecorator((_: unknown, context: ExecutionContext): StaffActor => {
  const auth = context.switchToHttp().getRequest<FastifyRequest>().auth;
  if (!auth?.staff) throw new Error('CurrentStaff used on a route without a staff session');
  return auth.staff;
});
