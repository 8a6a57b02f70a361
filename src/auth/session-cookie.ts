import type { FastifyReply, FastifyRequest } from 'fastify';

/** `__Host-` binds the cookie to our origin over HTTPS; plain HTTP in development cannot use it. */
export const sessionCookieName = (secure: boolean): string => (secure ? '__Host-civic_session' : 'civic_session');

export function sessionTokenFrom(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  return request.cookies?.[sessionCookieName(true)] ?? request.cookies?.[sessionCookieName(false)];
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean): void {
  void reply.setCookie(sessionCookieName(secure), token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(sessionCookieName(secure), { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
