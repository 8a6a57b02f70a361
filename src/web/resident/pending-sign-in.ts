import type { FastifyReply, FastifyRequest } from 'fastify';
import { CryptoService } from '../../common/crypto/crypto.service';

const COOKIE = 'civic_pending_sign_in';

/** Between "send code" and "enter code": encrypted in a short-lived HttpOnly cookie. */
export interface PendingSignIn {
  challengeId: string;
  idNumber: string;
  phone: string;
  sentTo: string;
  expiresAt: string;
  resendAfter: string;
  next: string;
}

export function readPendingSignIn(request: FastifyRequest, crypto: CryptoService): PendingSignIn | undefined {
  const sealed = request.cookies[COOKIE];
  if (!sealed) return undefined;
  try {
    return JSON.parse(crypto.decrypt(sealed)) as PendingSignIn;
  } catch {
    return undefined;
  }
}

export function writePendingSignIn(reply: FastifyReply, crypto: CryptoService, pending: PendingSignIn, secure: boolean): void {
  void reply.setCookie(COOKIE, crypto.encrypt(JSON.stringify(pending)), { path: '/sign-in', httpOnly: true, sameSite: 'lax', secure, maxAge: 15 * 60 });
}

export function clearPendingSignIn(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(COOKIE, { path: '/sign-in', httpOnly: true, sameSite: 'lax', secure });
}
