import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { CenterService } from '../src/centers/center-service.entity';
import { Service } from '../src/centers/service.entity';
import { createCenter, createService, createSlot } from './support/factories';
import { ApiResponse } from './support/http';
import { signIn, SignedInResident } from './support/residents';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The invariant the whole booking design rests on: for every slot in the database,
 * 0 ≤ booked ≤ capacity and booked = the number of its appointments that are not cancelled.
 */
async function assertSlotCountersConsistent(dataSource: DataSource): Promise<void> {
  const rows = (await dataSource.query(
    `SELECT s.id, s.capacity, s.booked, count(a.id) FILTER (WHERE a.status <> 'cancelled')::int AS holding
       FROM slot s LEFT JOIN appointment a ON a.slot_id = s.id
      GROUP BY s.id, s.capacity, s.booked`,
  )) as Array<{ id: string; capacity: number; booked: number; holding: number }>;
  assert.ok(rows.length > 0, 'no slots to check');
  const broken = rows.filter((r) => r.booked !== r.holding || r.booked < 0 || r.booked > r.capacity);
  assert.deepEqual(broken, [], `slots whose counter disagrees with their appointments: ${JSON.stringify(broken)}`);
}

/** Residents signed in through the real OTP flow, `batch` at a time. */
async function signInMany(t: TestApp, count: number, batch = 20): Promise<SignedInResident[]> {
  const residents: SignedInResident[] = [];
  while (residents.length < count) {
    const size = Math.min(batch, count - residents.length);
    residents.push(...(await Promise.all(Array.from({ length: size }, () => signIn(t.api)))));
  }
  return residents;
}

function tally(responses: ApiResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of responses) {
    const key = r.status >= 400 ? `${r.status} ${r.body?.code}` : String(r.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function assertNo5xx(responses: ApiResponse[]): void {
  const failed = responses.filter((r) => r.status >= 500);
  assert.deepEqual(failed.map((r) => `${r.status} ${r.text}`), [], 'server errors under concurrency');
}

/** A small deterministic generator, so a failing run can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('booking under a rush', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ env: { MAX_ACTIVE_APPOINTMENTS: '3' } });
  });
  after(() => t.close());

  const book = (resident: SignedInResident, slotId: string, serviceId: string, idempotencyKey?: string): Promise<ApiResponse> =>
    t.api.post('/api/v1/appointments', { slotId, serviceId }, { token: resident.token, headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {} });

  const slotBooked = async (slotId: string): Promise<number> => {
    const [row] = (await t.dataSource.query('SELECT booked FROM slot WHERE id = $1', [slotId])) as Array<{ booked: number }>;
    return row!.booked;
  };

  it('200 residents at once on one slot of capacity 3: exactly 3 booked, 197 slot_full', async (context) => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id, { capacity: 3 });
    const residents = await signInMany(t, 200);

    const started = performance.now();
    const responses = await Promise.all(residents.map((r) => book(r, slot.id, service.id)));
    context.diagnostic(`200 concurrent bookings answered in ${Math.round(performance.now() - started)} ms`);
    assertNo5xx(responses);
    assert.deepEqual(tally(responses), { '201': 3, '409 slot_full': 197 });
    for (const r of responses.filter((x) => x.status !== 201)) {
      assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
    }
    const winners = responses.filter((r) => r.status === 201).map((r) => r.body.id as string);
    assert.equal(new Set(winners).size, 3);

    const [{ n }] = (await t.dataSource.query('SELECT count(*)::int AS n FROM appointment WHERE slot_id = $1', [slot.id])) as Array<{ n: number }>;
    assert.equal(n, 3);
    assert.equal(await slotBooked(slot.id), 3);
    await assertSlotCountersConsistent(t.dataSource);
  });

  it('50 identical requests with one Idempotency-Key: all 201 with one appointment, one place taken', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id, { capacity: 3 });
    const [resident] = await signInMany(t, 1);
    const key = `rush-${randomUUID()}`;

    const responses = await Promise.all(Array.from({ length: 50 }, () => book(resident!, slot.id, service.id, key)));
    assertNo5xx(responses);
    assert.deepEqual(tally(responses), { '201': 50 });
    const ids = new Set(responses.map((r) => r.body.id as string));
    assert.equal(ids.size, 1, `several appointments: ${[...ids].join(', ')}`);
    const references = new Set(responses.map((r) => r.body.reference as string));
    assert.equal(references.size, 1);

    const [{ n }] = (await t.dataSource.query('SELECT count(*)::int AS n FROM appointment WHERE slot_id = $1', [slot.id])) as Array<{ n: number }>;
    assert.equal(n, 1);
    assert.equal(await slotBooked(slot.id), 1);
    await assertSlotCountersConsistent(t.dataSource);
  });

  it('one resident booking the same service on 10 slots at once: 1 booked, 9 already_booked', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slots = await Promise.all(Array.from({ length: 10 }, (_, i) => createSlot(t.dataSource, center.id, { hoursFromNow: 60 + i, capacity: 3 })));
    const [resident] = await signInMany(t, 1);

    const responses = await Promise.all(slots.map((slot) => book(resident!, slot.id, service.id)));
    assertNo5xx(responses);
    assert.deepEqual(tally(responses), { '201': 1, '409 already_booked': 9 });
    const taken = await Promise.all(slots.map((slot) => slotBooked(slot.id)));
    assert.equal(taken.reduce((sum, n) => sum + n, 0), 1);
    await assertSlotCountersConsistent(t.dataSource);
  });

  it('one Idempotency-Key sent at once with two different bodies: one appointment, the other body idempotency_conflict', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const [first, second] = await Promise.all([70, 71].map((h) => createSlot(t.dataSource, center.id, { hoursFromNow: h, capacity: 3 })));
    const [resident] = await signInMany(t, 1);
    const key = `two-bodies-${randomUUID()}`;

    const targets = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? first! : second!).id);
    const responses = await Promise.all(targets.map((slotId) => book(resident!, slotId, service.id, key)));
    assertNo5xx(responses);
    const created = responses.filter((r) => r.status === 201);
    assert.ok(created.length > 0);
    assert.equal(new Set(created.map((r) => r.body.id as string)).size, 1);
    const winner = created[0]!.body.slotId as string;
    responses.forEach((r, i) => {
      if (targets[i] === winner) assert.equal(r.status, 201, r.text);
      else assert.equal(`${r.status} ${r.body.code}`, '409 idempotency_conflict');
    });
    assert.equal(await slotBooked(winner), 1);
    assert.equal(await slotBooked(winner === first!.id ? second!.id : first!.id), 0);
    await assertSlotCountersConsistent(t.dataSource);
  });

  it('one resident booking 6 services at once never holds more than MAX_ACTIVE_APPOINTMENTS=3', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const services: Service[] = [service];
    for (let i = 0; i < 5; i++) {
      const extra = await createService(t.dataSource);
      await t.dataSource.manager.insert(CenterService, { centerId: center.id, serviceId: extra.id, leadTimeHours: null });
      services.push(extra);
    }
    const slot = await createSlot(t.dataSource, center.id, { capacity: 20 });
    const [resident] = await signInMany(t, 1);

    const responses = await Promise.all(services.map((s) => book(resident!, slot.id, s.id)));
    assertNo5xx(responses);
    assert.deepEqual(tally(responses), { '201': 3, '409 too_many_active_appointments': 3 });
    const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM appointment WHERE slot_id = $1 AND status = 'booked'`, [slot.id])) as Array<{ n: number }>;
    assert.equal(n, 3);
    assert.equal(await slotBooked(slot.id), 3);
    await assertSlotCountersConsistent(t.dataSource);
  });

  it('crossing reschedules at the same time: never over capacity, counters match appointments', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const [a, b, c] = await Promise.all([30, 31, 32].map((h) => createSlot(t.dataSource, center.id, { hoursFromNow: h, capacity: 3 })));
    const [d, e] = await Promise.all([33, 34].map((h) => createSlot(t.dataSource, center.id, { hoursFromNow: h, capacity: 10 })));
    const slots = [a!, b!, c!, d!, e!];
    const capacity = new Map(slots.map((s) => [s.id, s.capacity]));
    // A, B and C full; D and E with room to spare.
    const layout = [a, a, a, b, b, b, c, c, c, d, d, d, d, d, d, e, e, e, e, e].map((s) => s!.id);
    const residents = await signInMany(t, layout.length);
    const appointments = await Promise.all(
      residents.map(async (resident, i) => {
        const response = await book(resident, layout[i]!, service.id);
        assert.equal(response.status, 201, response.text);
        return { resident, id: response.body.id as string, slotId: layout[i]! };
      }),
    );
    await assertSlotCountersConsistent(t.dataSource);

    const random = rng(20_261_201);
    let moved = 0;
    for (let round = 0; round < 6; round++) {
      // Each round every resident moves at once, in crossing directions (A→B while B→A …).
      const targets = appointments.map((ap) => {
        const others = slots.filter((s) => s.id !== ap.slotId);
        return others[Math.floor(random() * others.length)]!.id;
      });
      const responses = await Promise.all(
        appointments.map((ap, i) => t.api.post(`/api/v1/appointments/${ap.id}/reschedule`, { slotId: targets[i] }, { token: ap.resident.token })),
      );
      assertNo5xx(responses);
      const unexpected = responses.filter((r) => r.status !== 200 && !(r.status === 409 && r.body.code === 'slot_full'));
      assert.deepEqual(unexpected.map((r) => `${r.status} ${r.text}`), [], `round ${round}`);
      responses.forEach((r, i) => {
        if (r.status === 200) {
          assert.equal(r.body.slotId, targets[i]);
          appointments[i]!.slotId = targets[i]!;
          moved += 1;
        }
      });

      // Where each appointment is now is exactly where the answers say it went.
      const rows = (await t.dataSource.query(`SELECT id, slot_id, status FROM appointment WHERE id = ANY($1::uuid[])`, [appointments.map((ap) => ap.id)])) as Array<{
        id: string;
        slot_id: string;
        status: string;
      }>;
      const where = new Map(rows.map((row) => [row.id, row]));
      for (const ap of appointments) {
        assert.equal(where.get(ap.id)?.slot_id, ap.slotId, `round ${round}: appointment ${ap.id}`);
        assert.equal(where.get(ap.id)?.status, 'booked');
      }
      const perSlot = new Map<string, number>();
      for (const ap of appointments) perSlot.set(ap.slotId, (perSlot.get(ap.slotId) ?? 0) + 1);
      for (const s of slots) {
        assert.ok((perSlot.get(s.id) ?? 0) <= capacity.get(s.id)!, `round ${round}: slot over capacity`);
        assert.equal(await slotBooked(s.id), perSlot.get(s.id) ?? 0, `round ${round}: counter of slot ${s.id}`);
      }
      await assertSlotCountersConsistent(t.dataSource);
    }
    assert.ok(moved > 0, 'no reschedule succeeded at all');
  });

  it('one appointment rescheduled to 8 slots at once: every move succeeds in turn (none answers not_reschedulable), it ends in one of them, counters right', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const targets = await Promise.all([40, 41, 42, 43, 44, 45, 46, 47].map((h) => createSlot(t.dataSource, center.id, { hoursFromNow: h, capacity: 5 })));
    const from = await createSlot(t.dataSource, center.id, { hoursFromNow: 39, capacity: 5 });
    const resident = await signIn(t.api);
    const created = await book(resident, from.id, service.id);
    assert.equal(created.status, 201, created.text);
    const responses = await Promise.all(targets.map((slot) => t.api.post(`/api/v1/appointments/${created.body.id}/reschedule`, { slotId: slot.id }, { token: resident.token })));
    assert.deepEqual(tally(responses), { '200': targets.length });
    const [row] = (await t.dataSource.query('SELECT slot_id FROM appointment WHERE id = $1', [created.body.id])) as Array<{ slot_id: string }>;
    assert.ok(targets.some((slot) => slot.id === row!.slot_id), 'ends in one of the slots asked for');
    assert.equal(await slotBooked(row!.slot_id), 1);
    assert.equal(await slotBooked(from.id), 0);
    await assertSlotCountersConsistent(t.dataSource);
  });

  it('bookings and cancellations mixed at the same time keep every counter right', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slots = await Promise.all([40, 41, 42].map((h) => createSlot(t.dataSource, center.id, { hoursFromNow: h, capacity: 3 })));
    const twice = await createSlot(t.dataSource, center.id, { hoursFromNow: 43, capacity: 3 });
    const holders = await signInMany(t, 9);
    const doubleCancellers = await signInMany(t, 3);
    const newcomers = await signInMany(t, 15);

    // Fill the three slots, then at once: every holder cancels, 15 newcomers book (5 per slot of 3).
    const held = await Promise.all(
      holders.map(async (resident, i) => {
        const response = await book(resident, slots[i % 3]!.id, service.id);
        assert.equal(response.status, 201, response.text);
        return { resident, id: response.body.id as string };
      }),
    );
    const doubly = await Promise.all(
      doubleCancellers.map(async (resident) => {
        const response = await book(resident, twice.id, service.id);
        assert.equal(response.status, 201, response.text);
        return { resident, id: response.body.id as string };
      }),
    );
    for (const s of [...slots, twice]) assert.equal(await slotBooked(s.id), 3);

    const cancel = (resident: SignedInResident, id: string): Promise<ApiResponse> => t.api.post(`/api/v1/appointments/${id}/cancel`, undefined, { token: resident.token });
    const [cancels, bookings, doubleCancels] = await Promise.all([
      Promise.all(held.map((h) => cancel(h.resident, h.id))),
      Promise.all(newcomers.map((resident, i) => book(resident, slots[i % 3]!.id, service.id))),
      // The same appointment cancelled twice at once must free its place once.
      Promise.all(doubly.flatMap((h) => [cancel(h.resident, h.id), cancel(h.resident, h.id)])),
    ]);
    assertNo5xx([...cancels, ...bookings, ...doubleCancels]);
    assert.deepEqual(tally(cancels), { '200': 9 });
    for (const r of cancels) assert.equal(r.body.status, 'cancelled');
    const unexpected = bookings.filter((r) => r.status !== 201 && !(r.status === 409 && r.body.code === 'slot_full'));
    assert.deepEqual(unexpected.map((r) => `${r.status} ${r.text}`), []);
    assert.deepEqual(tally(doubleCancels), { '200': 3, '409 not_cancellable': 3 });
    for (let i = 0; i < doubleCancels.length; i += 2) {
      assert.deepEqual([doubleCancels[i]!.status, doubleCancels[i + 1]!.status].sort(), [200, 409]);
    }

    for (const [index, slot] of slots.entries()) {
      const won = bookings.filter((r, i) => i % 3 === index && r.status === 201).length;
      assert.ok(won <= 3, `slot ${index} took ${won} bookings`);
      assert.equal(await slotBooked(slot.id), won, `slot ${index}`);
    }
    assert.equal(await slotBooked(twice.id), 0);
    await assertSlotCountersConsistent(t.dataSource);
  });

  it('a rush of books, cancels and reschedules by the same residents on a few slots keeps the invariant', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slots = await Promise.all([50, 51, 52, 53].map((h) => createSlot(t.dataSource, center.id, { hoursFromNow: h, capacity: 2 })));
    const residents = await signInMany(t, 16);
    const random = rng(7);
    for (let round = 0; round < 5; round++) {
      const responses = await Promise.all(
        residents.map(async (resident) => {
          const mine = await t.api.get('/api/v1/me/appointments', { token: resident.token });
          assert.equal(mine.status, 200);
          const active = (mine.body as Array<{ id: string; status: string; slotId: string }>).find((ap) => ap.status === 'booked');
          const target = slots[Math.floor(random() * slots.length)]!.id;
          if (!active) return book(resident, target, service.id);
          if (random() < 0.5) return t.api.post(`/api/v1/appointments/${active.id}/cancel`, undefined, { token: resident.token });
          return t.api.post(`/api/v1/appointments/${active.id}/reschedule`, { slotId: target }, { token: resident.token });
        }),
      );
      assertNo5xx(responses);
      const unexpected = responses.filter((r) => !(r.status === 200 || r.status === 201 || (r.status === 409 && r.body.code === 'slot_full')));
      assert.deepEqual(unexpected.map((r) => `${r.status} ${r.text}`), [], `round ${round}`);
      await assertSlotCountersConsistent(t.dataSource);
    }
  });
});
