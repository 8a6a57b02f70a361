import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Center } from '../src/centers/center.entity';
import { Service } from '../src/centers/service.entity';
import { createCenter, createSlot } from './support/factories';
import { newIdNumber } from './support/identities';
import { signIn, SignedInResident } from './support/residents';
import { bookFor, COUNTER_ENV, staffLogin, StaffSession, TEN_AM_SHANGHAI } from './support/staff';
import { TestClock } from './support/test-clock';
import { startTestApp, TestApp } from './support/test-app';

const ALLOWED_KEYS = new Set(['nowServing', 'counters', 'waiting', 'ticket', 'counter']);
/** The test centers open 3 counters every day. */
const IDLE_COUNTERS = [1, 2, 3].map((counter) => ({ counter, ticket: null }));

interface ServerSentEvent {
  event: string;
  data: string;
}

/** Walks a JSON value: every key must be allowed, every string a ticket and nothing personal. */
function assertOnlyTickets(value: unknown, secrets: string[], path = '$'): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertOnlyTickets(item, secrets, `${path}[${i}]`));
  } else if (value === null) {
    assert.ok(path.endsWith('.ticket'), `${path} is null`); // a counter that has called nobody yet
  } else if (typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      assert.ok(ALLOWED_KEYS.has(key), `${path}.${key} is not a display field`);
      assertOnlyTickets(inner, secrets, `${path}.${key}`);
    }
  } else if (typeof value === 'string') {
    assert.match(value, /^A-\d{3,}$/, `${path} = ${value} is not a ticket`);
    assert.doesNotMatch(value, /\d{17}[\dXx]/, `${path} looks like an ID number`);
    assert.doesNotMatch(value, /1\d{10}/, `${path} looks like a phone number`);
    for (const secret of secrets) assert.ok(!value.includes(secret), `${path} holds ${secret}`);
  } else {
    assert.equal(typeof value, 'number', `${path} is neither a ticket nor a number`);
  }
}

/** Reads Server-Sent Events from a fetch body, one at a time. */
class EventReader {
  private buffer = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  /** The next event, or undefined if none arrives within `ms`. */
  async next(ms: number): Promise<ServerSentEvent | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const separator = this.buffer.search(/\r?\n\r?\n/);
      if (separator >= 0) {
        const block = this.buffer.slice(0, separator);
        this.buffer = this.buffer.slice(separator).replace(/^\r?\n\r?\n/, '');
        const event: ServerSentEvent = { event: 'message', data: '' };
        const data: string[] = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith(':')) continue;
          const [field, ...rest] = line.split(':');
          const value = rest.join(':').replace(/^ /, '');
          if (field === 'event') event.event = value;
          if (field === 'data') data.push(value);
        }
        event.data = data.join('\n');
        if (data.length > 0) return event;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left))),
      ]);
      clearTimeout(timer);
      if (chunk === 'timeout') return undefined;
      if (chunk.done) return undefined;
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  /** Waits up to `ms` for a `state` event that satisfies `test`. */
  async until(ms: number, test: (state: any) => boolean): Promise<any> {
    const deadline = Date.now() + ms;
    for (;;) {
      const event = await this.next(deadline - Date.now());
      if (!event) return undefined;
      if (event.event !== 'state') continue;
      const state = JSON.parse(event.data);
      if (test(state)) return state;
    }
  }

  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }
}

describe('the waiting-room display', () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ clock, env: COUNTER_ENV });
  });
  after(() => t.close());

  /** A center with `n` residents booked and checked in today; returns what the display must never show. */
  async function waitingRoom(n: number): Promise<{ center: Center; service: Service; clerk: StaffSession; residents: SignedInResident[]; secrets: string[] }> {
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const slot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 1, capacity: n + 5 });
    const residents: SignedInResident[] = [];
    const secrets: string[] = [];
    for (let i = 0; i < n; i++) {
      const resident = await signIn(t.api);
      const appointment = await bookFor(t, resident, slot, service);
      const checkedIn = await t.api.post(`/api/v1/staff/appointments/${appointment.id}/check-in`, { method: 'id-document', idNumber: resident.idNumber }, { token: clerk.token });
      assert.equal(checkedIn.status, 200, checkedIn.text);
      residents.push(resident);
      secrets.push(resident.idNumber, resident.idNumber.slice(-4), resident.phone, resident.phone.slice(-4), appointment.id, appointment.reference);
    }
    return { center, service, clerk, residents, secrets };
  }

  it('GET /display/{centerId}: called tickets with their counter and how many wait; nothing else, nothing personal', async () => {
    const { center, clerk, secrets } = await waitingRoom(3);
    const before = await t.api.get(`/api/v1/display/${center.id}`);
    assert.equal(before.status, 200, before.text);
    // The day's hours open 3 counters: each has its tile before its first call.
    assert.deepEqual(before.body, { nowServing: [], counters: IDLE_COUNTERS, waiting: 3 });
    assertOnlyTickets(before.body, secrets);
    assert.equal(before.headers.get('set-cookie'), null);

    const first = await t.api.post('/api/v1/staff/call-next', { counter: 3 }, { token: clerk.token });
    assert.equal(first.status, 200, first.text);
    clock.advance(1000);
    const second = await t.api.post('/api/v1/staff/call-next', { counter: 1 }, { token: clerk.token });
    assert.equal(second.status, 200, second.text);
    const state = await t.api.get(`/api/v1/display/${center.id}`);
    assert.equal(state.status, 200);
    // Newest call first.
    assert.deepEqual(state.body, {
      nowServing: [
        { ticket: second.body.ticket, counter: 1 },
        { ticket: first.body.ticket, counter: 3 },
      ],
      counters: [
        { counter: 1, ticket: second.body.ticket },
        { counter: 2, ticket: null },
        { counter: 3, ticket: first.body.ticket },
      ],
      waiting: 1,
    });
    assertOnlyTickets(state.body, secrets);
    for (const secret of secrets) assert.ok(!state.text.includes(secret), `the display shows ${secret}`);
  });

  it('another center’s calls do not show; an unknown center is 404, a malformed id 400', async () => {
    const mine = await waitingRoom(1);
    const other = await waitingRoom(1);
    assert.equal((await t.api.post('/api/v1/staff/call-next', { counter: 2 }, { token: other.clerk.token })).status, 200);
    assert.deepEqual((await t.api.get(`/api/v1/display/${mine.center.id}`)).body, { nowServing: [], counters: IDLE_COUNTERS, waiting: 1 });

    const unknown = await t.api.get(`/api/v1/display/${randomUUID()}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'not_found');
    const unknownEvents = await t.api.get(`/api/v1/display/${randomUUID()}/events`);
    assert.equal(unknownEvents.status, 404);
    assert.equal((await t.api.get('/api/v1/display/not-a-center')).status, 400);
  });

  it('SSE: the state at once, then a call reaches a connected client within a second; no personal data in any event', async () => {
    const { center, clerk, secrets } = await waitingRoom(2);
    const controller = new AbortController();
    const response = await fetch(`${t.url}/api/v1/display/${center.id}/events`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = new EventReader(response.body!);
    try {
      const first = await events.next(2000);
      assert.ok(first, 'no first event');
      assert.equal(first.event, 'state');
      const initial = JSON.parse(first.data);
      assert.deepEqual(initial, { nowServing: [], counters: IDLE_COUNTERS, waiting: 2 });

      const calledAt = Date.now();
      const called = await t.api.post('/api/v1/staff/call-next', { counter: 2 }, { token: clerk.token });
      assert.equal(called.status, 200, called.text);
      const update = await events.until(1000, (state) => state.nowServing.some((s: { ticket: string }) => s.ticket === called.body.ticket));
      assert.ok(update, `no event with ${called.body.ticket} within a second`);
      assert.ok(Date.now() - calledAt <= 1000 + 50);
      assert.deepEqual(update, { nowServing: [{ ticket: called.body.ticket, counter: 2 }], counters: [IDLE_COUNTERS[0], { counter: 2, ticket: called.body.ticket }, IDLE_COUNTERS[2]], waiting: 1 });
      assertOnlyTickets(update, secrets);

      // A second call, to another counter, arrives too; the raw stream carries nothing personal.
      const again = await t.api.post('/api/v1/staff/call-next', { counter: 3 }, { token: clerk.token });
      assert.equal(again.status, 200);
      const next = await events.until(1000, (state) => state.nowServing.some((s: { ticket: string }) => s.ticket === again.body.ticket));
      assert.ok(next, `no event with ${again.body.ticket} within a second`);
      assert.equal(next.waiting, 0);
      assertOnlyTickets(next, secrets);
    } finally {
      await events.cancel();
      controller.abort();
    }
  });

  it('SSE: a hand-over or a new check-in updates the waiting count', async () => {
    const { center, service, clerk } = await waitingRoom(1);
    const controller = new AbortController();
    const response = await fetch(`${t.url}/api/v1/display/${center.id}/events`, { signal: controller.signal });
    const events = new EventReader(response.body!);
    try {
      assert.equal((await events.until(2000, () => true))?.waiting, 1);
      const walkIn = await t.api.post('/api/v1/staff/walk-ins', { idNumber: newIdNumber(), serviceId: service.id }, { token: clerk.token });
      assert.equal(walkIn.status, 201, walkIn.text);
      assert.ok(await events.until(1000, (state) => state.waiting === 2), 'the walk-in did not reach the display');
    } finally {
      await events.cancel();
      controller.abort();
    }
  });
});
