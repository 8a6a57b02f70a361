import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiClient } from './http';
import { newIdNumber, newPhone } from './identities';

export interface SignedInResident {
  idNumber: string;
  phone: string;
  token: string;
}

/** The newest passcode the development outbox holds for this phone. */
export async function latestCode(api: ApiClient, phone: string): Promise<string> {
  const outbox = await api.get<Array<{ text: string }>>(`/dev/outbox?to=${encodeURIComponent(phone)}`);
  assert.equal(outbox.status, 200);
  const match = outbox.body[0]?.text.match(/\b(\d{6})\b/);
  assert.ok(match, `no passcode in the outbox for ${phone}`);
  return match[1]!;
}

/** Requests a passcode and returns the challenge id. */
export async function requestCode(api: ApiClient, idNumber: string, phone: string): Promise<string> {
  const response = await api.post('/api/v1/auth/otp', { idNumber, phone });
  assert.equal(response.status, 202, response.text);
  return response.body.challengeId as string;
}

/** Signs a resident in through the API exactly as a phone would. */
export async function signIn(api: ApiClient, idNumber = newIdNumber(), phone = newPhone()): Promise<SignedInResident> {
  const challengeId = await requestCode(api, idNumber, phone);
  const code = await latestCode(api, phone);
  const verified = await api.post('/api/v1/auth/otp/verify', { challengeId, code });
  assert.equal(verified.status, 200, verified.text);
  return { idNumber, phone, token: verified.body.token as string };
}

/** The resident's id, from their session (whose token hash is the SHA-256 of the token). */
export async function residentIdOf(dataSource: DataSource, resident: SignedInResident): Promise<string> {
  const hash = createHash('sha256').update(resident.token).digest();
  const [row] = (await dataSource.query('SELECT resident_id FROM session WHERE token_hash = $1', [hash])) as Array<{ resident_id: string }>;
  assert.ok(row?.resident_id, 'no session for this resident');
  return row.resident_id;
}
