import assert from 'node:assert/strict';
import { generateSync } from 'otplib';
import { Center } from '../../src/centers/center.entity';
import { CenterService } from '../../src/centers/center-service.entity';
import { Service } from '../../src/centers/service.entity';
import { Clock } from '../../src/common/time/clock';
import { Slot } from '../../src/slots/slot.entity';
import { StaffAccountsService } from '../../src/staff/staff-accounts.service';
import { StaffRole } from '../../src/staff/staff.entity';
import { createService } from './factories';
import { ApiResponse } from './http';
import { SignedInResident } from './residents';
import { TestApp } from './test-app';

let sequence = 0;

/** A username nobody else in this process has taken. */
export function newUsername(prefix = 'staff'): string {
  sequence += 1;
  return `${prefix}.${process.pid}.${sequence}`;
}

export const STAFF_PASSWORD = 'correct horse battery staple';

export interface StaffAccount {
  username: string;
  password: string;
  role: StaffRole;
  staffId: string;
  centerId: string | null;
  /** The base32 TOTP secret, for supervisors and admins (enrolled at creation). */
  totpSecret?: string;
}

export interface StaffSession extends StaffAccount {
  token: string;
}

/** The TOTP secret from an otpauth:// URI. */
export function secretFromUri(uri: string): string {
  const secret = new URL(uri).searchParams.get('secret');
  assert.ok(secret, `no secret in ${uri}`);
  return secret;
}

/** The TOTP code for the clock's time, shifted by `offsetSeconds` (e.g. −30: one step earlier). */
export function totpCode(secret: string, clock: Clock, offsetSeconds = 0): string {
  return generateSync({ secret, epoch: Math.floor(clock.now().getTime() / 1000) + offsetSeconds });
}

/** Creates a staff account through the service; supervisors and admins get TOTP enrolled unless told not to. */
export async function createStaff(
  t: TestApp,
  options: { role: StaffRole; center?: Center; username?: string; password?: string; enrolTotp?: boolean },
): Promise<StaffAccount> {
  const accounts = t.app.get(StaffAccountsService);
  const username = options.username ?? newUsername(options.role);
  const password = options.password ?? STAFF_PASSWORD;
  const staff = await accounts.create({ username, password, role: options.role, center: options.center?.code });
  const account: StaffAccount = { username: staff.username, password, role: staff.role, staffId: staff.id, centerId: staff.centerId };
  if (options.enrolTotp ?? options.role !== 'clerk') account.totpSecret = secretFromUri(await accounts.enrolTotp(staff.username));
  return account;
}

/** POST /api/v1/staff/login as is. */
export function postStaffLogin(t: TestApp, body: { username: string; password: string; totp?: string }): Promise<ApiResponse> {
  return t.api.post('/api/v1/staff/login', body);
}

/**
 * A new staff account of this role (at this center), signed in through the API. TOTP codes
 * are taken at the clock's time; each account is new, so its code has never been used.
 */
export async function staffLogin(t: TestApp, options: { role: StaffRole; center?: Center; clock?: Clock; username?: string }): Promise<StaffSession> {
  const account = await createStaff(t, options);
  const clock = options.clock ?? new Clock();
  const response = await postStaffLogin(t, {
    username: account.username,
    password: account.password,
    ...(account.totpSecret ? { totp: totpCode(account.totpSecret, clock) } : {}),
  });
  assert.equal(response.status, 200, response.text);
  return { ...account, token: response.body.token as string };
}

/** Books through the resident API and returns the Appointment (asserts 201). */
export async function bookFor(t: TestApp, resident: SignedInResident, slot: Slot | { id: string }, service: Service | { id: string }): Promise<Record<string, any>> {
  const response = await t.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: service.id }, { token: resident.token });
  assert.equal(response.status, 201, response.text);
  return response.body as Record<string, any>;
}

/** A second service, offered by this center. */
export async function offerAnotherService(t: TestApp, center: Center): Promise<Service> {
  const service = await createService(t.dataSource);
  await t.dataSource.manager.insert(CenterService, { centerId: center.id, serviceId: service.id, leadTimeHours: null });
  return service;
}

/** Every error is problem+json with a stable `code`. */
export function assertProblem(response: ApiResponse, status: number, code: string): void {
  assert.equal(response.status, status, `expected ${status} ${code}, got ${response.status}: ${response.text}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/, response.text);
  assert.equal(response.body.code, code, response.text);
  assert.equal(response.body.status, status);
}

/** `520***********123X`, as DESIGN.md masks an ID number. */
export function maskedId(idNumber: string): string {
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

/** `139****5678`, as DESIGN.md masks a mobile number. */
export function maskedPhone(phone: string): string {
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** Messages the development outbox holds for a phone, newest first. */
export async function outbox(t: TestApp, phone: string): Promise<Array<{ to: string; text: string; at: string }>> {
  const response = await t.api.get(`/dev/outbox?to=${encodeURIComponent(phone)}`);
  assert.equal(response.status, 200, response.text);
  return response.body;
}

/** The newest 6-digit code sent to this phone. */
export async function latestCodeFor(t: TestApp, phone: string): Promise<string> {
  const [newest] = await outbox(t, phone);
  const match = newest?.text.match(/\b(\d{6})\b/);
  assert.ok(match, `no passcode in the outbox for ${phone}`);
  return match[1]!;
}

/** Audit entries with this action (and appointment, if given). */
export async function auditCount(t: TestApp, action: string, appointmentId?: string): Promise<number> {
  const [row] = (await t.dataSource.query(
    'SELECT count(*)::int AS n FROM audit_entry WHERE action = $1 AND ($2::uuid IS NULL OR appointment_id = $2)',
    [action, appointmentId ?? null],
  )) as Array<{ n: number }>;
  return row!.n;
}

/** The TestClock's time as a fixed point: 10:00 in Asia/Shanghai, far from local midnight. */
export const TEN_AM_SHANGHAI = new Date('2026-12-02T02:00:00Z');

/** Test environment for the counter tests: the background sweep never runs by itself. */
export const COUNTER_ENV: Record<string, string> = { NO_SHOW_SWEEP_SECONDS: '86400' };
