import type { FastifyReply, FastifyRequest } from 'fastify';
import { CryptoService } from '../../common/crypto/crypto.service';

const COOKIE = 'civic_counter_code';

/** Between "send the counter passcode" and "enter it": sealed in a short-lived HttpOnly cookie. */
export interface PendingCounterCode {
  appointmentId: string;
  challengeId: string;
  /** The bound phone, masked. */
  sentTo: string;
}

export function readCounterCode(request: FastifyRequest, crypto: CryptoService, appointmentId: string): PendingCounterCode | undefined {
  const sealed = request.cookies[COOKIE];
  if (!sealed) return undefined;
  try {
    const pending = JSON.parse(crypto.decrypt(sealed)) as PendingCounterCode;
    return pending.appointmentId === appointmentId ? pending : undefined;
  } catch {
    return undefined;
  }
}

export function writeCounterCode(reply: FastifyReply, crypto: CryptoService, pending: PendingCounterCode, secure: boolean, ttlSeconds: number): void {
  void reply.setCookie(COOKIE, crypto.encrypt(JSON.stringify(pending)), { path: '/staff', httpOnly: true, sameSite: 'lax', secure, maxAge: ttlSeconds });
}

export function clearCounterCode(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(COOKIE, { path: '/staff', httpOnly: true, sameSite: 'lax', secure });
}
