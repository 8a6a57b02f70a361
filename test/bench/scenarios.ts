/**
 * The HTTP scenarios: the rush, steady booking, availability and sign-in.
 */
import { randomInt } from 'node:crypto';
import { Pool } from 'pg';
import { Client } from 'undici';
import { CryptoService } from '../../src/common/crypto/crypto.service';
import { cnRicCheckCharacter } from '../../src/identity/id-number';
import { auditSlots, BenchResident, clientIp, Fixtures, releaseSlots, SlotAudit } from './fixtures';
import { CpuSplit } from './cpu';
import { Connections, drain, loopUntil, now, Recorder } from './load';

/** Starts measuring CPU time; stop() answers what was spent since. */
export type Meter = () => { stop(): CpuSplit };

const NO_CPU: CpuSplit = { appMs: 0, postgresMs: 0, loadGeneratorMs: 0 };

function addCpu(a: CpuSplit, b: CpuSplit): CpuSplit {
  return { appMs: a.appMs + b.appMs, postgresMs: a.postgresMs === null || b.postgresMs === null ? null : a.postgresMs + b.postgresMs, loadGeneratorMs: a.loadGeneratorMs + b.loadGeneratorMs };
}

export interface RushResult {
  rounds: number;
  elapsedMs: number;
  book: Recorder;
  /** Mean time from a round's start to its last place taken. */
  fillMs: number;
  audit: SlotAudit;
  cpu: CpuSplit;
}

export interface RushPlan {
  origins: string[];
  connections: number;
  residents: BenchResident[];
  centerId: string;
  serviceId: string;
  slotsPerRound: number;
  capacity: number;
  /** Unmeasured rounds first (one is enough to warm the JIT and the pools). */
  warmupRounds: number;
  /** Measured rounds go on until this much time was measured, at least `minRounds`. */
  durationMs: number;
  minRounds: number;
  maxRounds: number;
  meter: Meter;
}

/**
 * The rush, in rounds: a round releases `slotsPerRound` slots at once and every resident tries
 * to book one of them (picked at random), all over `connections` connections at the same time.
 * Between rounds — outside the measurement — the round's slots are checked (no place over
 * capacity, `booked` equal to the non-cancelled appointments) and their bookings cancelled in
 * the database, so the same residents can rush again.
 */
export async function rush(pool: Pool, fixtures: Fixtures, plan: RushPlan): Promise<RushResult> {
  const connections = new Connections(plan.origins, plan.connections);
  const measured = new Recorder(new Set([201, 409]));
  const audit: SlotAudit = { slots: 0, overCapacity: 0, mismatched: 0 };
  let measuredMs = 0;
  let rounds = 0;
  let fillTotal = 0;
  let cpu = NO_CPU;
  try {
    for (let round = 0; round < plan.warmupRounds + plan.maxRounds; round++) {
      const warm = round < plan.warmupRounds;
      if (!warm && rounds >= plan.minRounds && measuredMs >= plan.durationMs) break;
      const slots = await fixtures.slots(plan.centerId, plan.slotsPerRound, plan.capacity);
      const order = shuffle(plan.residents.slice());
      const recorder = new Recorder(new Set([201, 409]));
      let lastPlace = 0;
      const started = now();
      const meter = warm ? undefined : plan.meter();
      const { elapsedMs } = await drain(plan.connections, order, 120_000, async (c, resident) => {
        const slotId = slots[randomInt(slots.length)]!;
        const t0 = now();
        try {
          const answer = await connections.request(c, 'POST', '/api/v1/appointments', { token: resident.token, body: { slotId, serviceId: plan.serviceId }, headers: { 'x-forwarded-for': resident.ip } });
          const t1 = now();
          recorder.record(t1 - t0, answer.status, answer.status === 201 ? undefined : (answer.body?.code as string | undefined));
          if (answer.status === 201) lastPlace = t1 - started;
          else if (answer.status !== 409) recorder.note(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        } catch (error) {
          recorder.failure(now() - t0, error);
        }
      });
      if (meter) cpu = addCpu(cpu, meter.stop());
      const roundAudit = await auditSlots(pool, slots);
      audit.slots += roundAudit.slots;
      audit.overCapacity += roundAudit.overCapacity;
      audit.mismatched += roundAudit.mismatched;
      await releaseSlots(pool, slots);
      if (warm) {
        // Errors in a warm-up round count too: correctness is enforced everywhere.
        measured.unexpected += recorder.unexpected;
        for (const example of recorder.examples) measured.note(example);
        continue;
      }
      measured.merge(recorder);
      measuredMs += elapsedMs;
      fillTotal += lastPlace;
      rounds += 1;
    }
  } finally {
    await connections.close();
  }
  return { rounds, elapsedMs: measuredMs, book: measured, fillMs: rounds ? fillTotal / rounds : 0, audit, cpu };
}

export interface SteadyResult {
  pairs: number;
  elapsedMs: number;
  book: Recorder;
  cancel: Recorder;
  cpu: CpuSplit;
}

/** Book + cancel pairs on uncontended slots: connection c books only slot c, for its own residents. */
export async function steady(
  origins: string[],
  residents: BenchResident[][],
  slots: string[],
  serviceId: string,
  warmupMs: number,
  durationMs: number,
  meter: Meter,
): Promise<SteadyResult> {
  const connections = new Connections(origins, slots.length);
  try {
    const run = async (ms: number, measure = false): Promise<SteadyResult> => {
      const book = new Recorder(new Set([201]));
      const cancel = new Recorder(new Set([200]));
      let pairs = 0;
      const cpu = measure ? meter() : undefined;
      const { elapsedMs } = await loopUntil(slots.length, ms, 10_000_000, async (c, i) => {
        const mine = residents[c]!;
        const resident = mine[i % mine.length]!;
        const t0 = now();
        let appointmentId: string | undefined;
        try {
          const answer = await connections.request(c, 'POST', '/api/v1/appointments', { token: resident.token, body: { slotId: slots[c], serviceId }, headers: { 'x-forwarded-for': resident.ip } });
          book.record(now() - t0, answer.status, answer.status === 201 ? undefined : answer.body?.code);
          if (answer.status === 201) appointmentId = answer.body.id as string;
          else book.note(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        } catch (error) {
          book.failure(now() - t0, error);
        }
        if (!appointmentId) return;
        const t1 = now();
        try {
          const answer = await connections.request(c, 'POST', `/api/v1/appointments/${appointmentId}/cancel`, { token: resident.token, headers: { 'x-forwarded-for': resident.ip } });
          cancel.record(now() - t1, answer.status, answer.status === 200 ? undefined : answer.body?.code);
          if (answer.status === 200) pairs += 1;
          else cancel.note(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        } catch (error) {
          cancel.failure(now() - t1, error);
        }
      });
      return { pairs, elapsedMs, book, cancel, cpu: cpu?.stop() ?? NO_CPU };
    };
    const warm = warmupMs > 0 ? await run(warmupMs) : undefined;
    const result = await run(durationMs, true);
    if (warm) {
      result.book.unexpected += warm.book.unexpected;
      result.cancel.unexpected += warm.cancel.unexpected;
      for (const example of [...warm.book.examples, ...warm.cancel.examples]) result.book.note(example);
    }
    return result;
  } finally {
    await connections.close();
  }
}

export interface AvailabilityResult {
  elapsedMs: number;
  requests: Recorder;
  /** Slots in the answer (the same range every time). */
  slotsAnswered: number;
  cpu: CpuSplit;
}

/** GET availability for a 31-day range (today … today + 30) over and over. */
export async function availability(origin: string, connectionCount: number, centerId: string, serviceId: string, from: string, to: string, warmupMs: number, durationMs: number, meter: Meter): Promise<AvailabilityResult> {
  const connections = new Connections([origin], connectionCount);
  const path = `/api/v1/centers/${centerId}/availability?serviceId=${serviceId}&from=${from}&to=${to}`;
  let slotsAnswered = 0;
  try {
    const run = async (ms: number, measure = false): Promise<AvailabilityResult> => {
      const requests = new Recorder(new Set([200]));
      const cpu = measure ? meter() : undefined;
      const { elapsedMs } = await loopUntil(connectionCount, ms, 10_000_000, async (c) => {
        const t0 = now();
        try {
          // Many people look at a center's availability: each request from another address.
          const answer = await connections.request<string>(c, 'GET', path, { text: true, headers: { 'x-forwarded-for': clientIp(0x800000 + randomInt(0x100000)) } });
          requests.record(now() - t0, answer.status);
          if (answer.status === 200) slotsAnswered ||= (JSON.parse(answer.body) as unknown[]).length;
          else requests.note(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        } catch (error) {
          requests.failure(now() - t0, error);
        }
      });
      return { elapsedMs, requests, slotsAnswered, cpu: cpu?.stop() ?? NO_CPU };
    };
    if (warmupMs > 0) await run(warmupMs);
    return await run(durationMs, true);
  } finally {
    await connections.close();
  }
}

export interface SignInResult {
  pairs: number;
  elapsedMs: number;
  request: Recorder;
  verify: Recorder;
  cpu: CpuSplit;
}

/**
 * Passcode request + verify pairs, each for a new ID number and phone, from a different
 * client address (X-Forwarded-For, the app trusting its proxy as it would behind a load
 * balancer). Production sends the code by SMS and keeps no copy; the benchmark plays the
 * phone: it knows APP_SECRET, so it sets the fresh challenge's code to one it picked (one
 * UPDATE by primary key, on its own connection) before verifying.
 */
export async function signIn(origin: string, connectionCount: number, pool: Pool, crypto: CryptoService, warmupMs: number, durationMs: number, meter: Meter): Promise<SignInResult> {
  const connections = new Connections([origin], connectionCount);
  let sequence = 0;
  try {
    const run = async (ms: number, measure = false): Promise<SignInResult> => {
      const request = new Recorder(new Set([202]));
      const verify = new Recorder(new Set([200]));
      let pairs = 0;
      const cpu = measure ? meter() : undefined;
      const { elapsedMs } = await loopUntil(connectionCount, ms, 1_000_000, async (c) => {
        const n = sequence++;
        const headers = { 'x-forwarded-for': clientIp(n) };
        const t0 = now();
        let challengeId: string | undefined;
        try {
          const answer = await connections.request(c, 'POST', '/api/v1/auth/otp', { body: { idNumber: idNumber(n), phone: phone(n) }, headers });
          request.record(now() - t0, answer.status, answer.status === 202 ? undefined : answer.body?.code);
          if (answer.status === 202) challengeId = answer.body.challengeId as string;
          else request.note(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        } catch (error) {
          request.failure(now() - t0, error);
        }
        if (!challengeId) return;
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        await pool.query('UPDATE otp_challenge SET code_hash = $2 WHERE id = $1', [challengeId, crypto.hash('otp', `${challengeId}\0${code}`)]);
        const t1 = now();
        try {
          const answer = await connections.request(c, 'POST', '/api/v1/auth/otp/verify', { body: { challengeId, code }, headers });
          verify.record(now() - t1, answer.status, answer.status === 200 ? undefined : answer.body?.code);
          if (answer.status === 200 && typeof answer.body.token === 'string') pairs += 1;
          else verify.note(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        } catch (error) {
          verify.failure(now() - t1, error);
        }
      });
      return { pairs, elapsedMs, request, verify, cpu: cpu?.stop() ?? NO_CPU };
    };
    if (warmupMs > 0) await run(warmupMs);
    return await run(durationMs, true);
  } finally {
    await connections.close();
  }
}

/** A valid cn-ric number for each n < 20,000,000: the birth date and the sequence vary. */
function idNumber(n: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + (n % 20_000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const body = `520102${birth}${String(Math.floor(n / 20_000) % 1000).padStart(3, '0')}`;
  return body + cnRicCheckCharacter(body);
}

/** A valid mainland mobile number for each n < 100,000,000. */
function phone(n: number): string {
  return `139${String(n % 100_000_000).padStart(8, '0')}`;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export interface RegistryResult {
  lines: number;
  status: number;
  imported: number;
  rejected: number;
  ms: number;
  cpu: CpuSplit;
}

/** The registry's numbers: far from those of the sign-in scenario. */
const REGISTRY_FIRST = 15_000_000;

/**
 * The registry import (issue 5): one CSV of `lines` valid `idNumber,phone` lines, posted by an
 * admin as the page or a script would, imported line by line (`valid-lines`): the time from the
 * first byte sent to the answer.
 */
export async function registryImport(origin: string, adminToken: string, lines: number, meter: Meter): Promise<RegistryResult> {
  const body = `idNumber,phone\n${Array.from({ length: lines }, (_, i) => `${idNumber(REGISTRY_FIRST + i)},${phone(REGISTRY_FIRST + i)}`).join('\n')}\n`;
  const client = new Client(origin);
  const cpu = meter();
  const started = now();
  try {
    const response = await client.request({
      method: 'POST',
      path: '/api/v1/admin/registry?mode=valid-lines',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/csv' },
      body,
      headersTimeout: 300_000,
      bodyTimeout: 300_000,
    });
    const answer = (await response.body.json()) as { imported?: number; rejectedTotal?: number };
    return { lines, status: response.statusCode, imported: answer.imported ?? 0, rejected: answer.rejectedTotal ?? 0, ms: now() - started, cpu: cpu.stop() };
  } finally {
    await client.close();
  }
}
