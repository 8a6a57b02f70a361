/**
 * Benchmark data, written straight into the database: centers, a service, slots, residents
 * and their sessions (the benchmark measures booking, not SMS), and years of history made
 * with generate_series.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';

export interface BenchResident {
  id: string;
  token: string;
  /** The client address the resident's requests come from (X-Forwarded-For; loopback range). */
  ip: string;
}

let residentNumber = 0;

/** A distinct address in 127.0.0.0/8 for each n (the app trusts X-Forwarded-For in the benchmark). */
export function clientIp(n: number): string {
  return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export interface BenchCenter {
  id: string;
  code: string;
}

export const BENCH_TIMEZONE = 'Asia/Shanghai';

/** Minutes after local midnight at which a day's slots start: 08:30–12:00 and 13:30–17:30, 15 minutes each. */
const DAY_MINUTES = [...Array.from({ length: 14 }, (_, j) => 510 + 15 * j), ...Array.from({ length: 16 }, (_, j) => 810 + 15 * j)];

export class Fixtures {
  /** Future slots of the rush center start one minute apart from here on (so they never collide). */
  private slotMinute = 0;
  private readonly slotBase: number;

  constructor(
    private readonly pool: Pool,
    /** A valid AES-GCM ciphertext (any ID number) for resident rows nobody reads. */
    private readonly placeholderCipher: string,
  ) {
    this.slotBase = Math.ceil((Date.now() + 2 * 3600_000) / 60_000) * 60_000;
  }

  async service(code: string): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO service (code, name_zh, name_en, required_documents, lead_time_hours, active)
       VALUES ($1, '居住证明', 'Residence certificate', '[]', 0, true) RETURNING id`,
      [code],
    );
    return rows[0]!.id;
  }

  async center(code: string, serviceId: string, bookingWindowDays: number): Promise<BenchCenter> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO center (code, name_zh, name_en, address_zh, address_en, timezone, slot_minutes, booking_window_days, release_time, created_at)
       VALUES ($1, '基准测试中心', 'Benchmark center', '测试路 1 号', '1 Test Road', $2, 15, $3, '00:00', now()) RETURNING id`,
      [code, BENCH_TIMEZONE, bookingWindowDays],
    );
    const id = rows[0]!.id;
    await this.pool.query('INSERT INTO center_service (center_id, service_id, lead_time_hours) VALUES ($1, $2, NULL)', [id, serviceId]);
    return { id, code };
  }

  /** An admin account with a live session (as a sign-in with password and TOTP leaves it): its token. */
  async adminSession(): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const { rows } = (await this.pool.query(
      `INSERT INTO staff (username, password_hash, role, created_at) VALUES ($1, 'not-a-hash: never signs in', 'admin', now()) RETURNING id`,
      [`bench.admin.${randomUUID().slice(0, 8)}`],
    )) as { rows: Array<{ id: string }> };
    await this.pool.query(
      `INSERT INTO session (token_hash, subject, staff_id, created_at, expires_at, idle_expires_at)
       VALUES ($1, 'staff', $2, now(), now() + interval '10 hours', now() + interval '30 minutes')`,
      [createHash('sha256').update(token).digest(), rows[0]!.id],
    );
    return token;
  }

  /** Residents with random ID hashes and a live session each, whose token we keep. */
  async residents(count: number): Promise<BenchResident[]> {
    const residents: BenchResident[] = [];
    for (let offset = 0; offset < count; offset += 5_000) {
      const batch = Array.from({ length: Math.min(5_000, count - offset) }, () => ({
        id: randomUUID(),
        token: randomBytes(32).toString('base64url'),
        ip: clientIp(0x400000 + ++residentNumber),
      }));
      await inTransaction(this.pool, async (client) => {
        await client.query(
          `INSERT INTO resident (id, id_hash, id_cipher, phone_hash, phone_cipher, bound_at, created_at)
           SELECT id, h, $2, sha256(h), $2, now(), now() FROM unnest($1::uuid[], $3::bytea[]) AS t(id, h)`,
          [batch.map((r) => r.id), this.placeholderCipher, batch.map(() => randomBytes(32))],
        );
        // As SessionsService issues them: SHA-256 of the token, 15 minutes idle, 2 hours absolute.
        await client.query(
          `INSERT INTO session (token_hash, subject, resident_id, created_at, expires_at, idle_expires_at)
           SELECT h, 'resident', id, now(), now() + interval '2 hours', now() + interval '15 minutes'
             FROM unnest($1::uuid[], $2::bytea[]) AS t(id, h)`,
          [batch.map((r) => r.id), batch.map((r) => createHash('sha256').update(r.token).digest())],
        );
      });
      residents.push(...batch);
    }
    return residents;
  }

  /** `count` future slots at a center, released at once, each with `capacity` places. */
  async slots(centerId: string, count: number, capacity: number): Promise<string[]> {
    const starts = Array.from({ length: count }, () => new Date(this.slotBase + this.slotMinute++ * 60_000));
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO slot (center_id, starts_at, ends_at, capacity)
       SELECT $1, s, s + interval '15 minutes', $3 FROM unnest($2::timestamptz[]) AS t(s)
       RETURNING id`,
      [centerId, starts, capacity],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Years of history at a center: `appointments` past appointments (5 % cancelled, 5 % no-show,
   * the rest fulfilled) over past slots of 10 places in the center's opening hours, by
   * `appointments / 10` residents; then the next 31 days of slots, every eleventh one full and
   * the others partly booked, and one closure day. Every slot's `booked` is the number of its
   * non-cancelled appointments, as the app keeps it.
   */
  async history(center: BenchCenter, serviceId: string, appointments: number, tag: number): Promise<void> {
    const perSlot = 10;
    const pastSlots = Math.ceil(appointments / perSlot);
    const days = Math.ceil(pastSlots / DAY_MINUTES.length) + 1;
    const residents = Math.max(1, Math.ceil(appointments / 10));
    // Made-up ids in ascending order (version nibble 0: never equal to a gen_random_uuid()),
    // so that a million rows go into their primary keys and the slot index in order.
    const id = (kind: number, n: string): string => `('00000000-0000-0000-${(tag * 16 + kind).toString(16).padStart(4, '0')}-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
    await inTransaction(this.pool, async (client) => {
      const [{ rolsuper }] = (await client.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows;
      // The rows are consistent by construction (and audited afterwards): where allowed, the
      // foreign-key triggers are skipped for the bulk load.
      if (rolsuper) await client.query('SET LOCAL session_replication_role = replica');
      await client.query(`CREATE TEMP TABLE bench_minutes (m int) ON COMMIT DROP`);
      await client.query(`INSERT INTO bench_minutes SELECT unnest($1::int[])`, [DAY_MINUTES]);
      // Past slots in local opening hours, newest first.
      await client.query(
        `CREATE TEMP TABLE bench_slot ON COMMIT DROP AS
         SELECT ${id(1, 'n')} AS id, n, t AS starts_at
           FROM (SELECT row_number() OVER (ORDER BY t DESC) - 1 AS n, t
                   FROM (SELECT ((date_trunc('day', now() AT TIME ZONE $1) - make_interval(days => k)) + make_interval(mins => m)) AT TIME ZONE $1 AS t
                           FROM generate_series(1, $2::int) k, bench_minutes) x
                  ORDER BY t DESC LIMIT $3) y`,
        [BENCH_TIMEZONE, days, pastSlots],
      );
      await client.query(
        `INSERT INTO slot (id, center_id, starts_at, ends_at, capacity, booked)
         SELECT id, $1, starts_at, starts_at + interval '15 minutes', $2, 0 FROM bench_slot ORDER BY n`,
        [center.id, perSlot],
      );
      await client.query(
        `INSERT INTO resident (id, id_hash, id_cipher, phone_hash, phone_cipher, bound_at, created_at)
         SELECT ${id(2, 'n')}, sha256(int8send(n) || uuid_send($2)), $1, sha256(int8send(n) || uuid_send($2) || '\\x70'::bytea), $1, now() - interval '8 years', now() - interval '8 years'
           FROM generate_series(0, $3::int - 1) n`,
        [this.placeholderCipher, center.id, residents],
      );
      await client.query(
        `INSERT INTO appointment (id, reference, center_id, service_id, slot_id, resident_id, status, preparation, created_at, updated_at, cancelled_at, checked_in_at, fulfilled_at, ticket)
         SELECT ${id(3, 'i')}, $3 || i, $1, $2, ${id(1, 'i / $5')}, ${id(2, 'i % $6')},
                CASE i % 20 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'no_show' ELSE 'fulfilled' END,
                CASE WHEN i % 20 > 1 THEN 'ready' ELSE 'pending' END,
                s.starts_at - interval '5 days', s.starts_at + interval '10 minutes',
                CASE WHEN i % 20 = 0 THEN s.starts_at - interval '2 days' END,
                CASE WHEN i % 20 > 1 THEN s.starts_at END,
                CASE WHEN i % 20 > 1 THEN s.starts_at + interval '10 minutes' END,
                CASE WHEN i % 20 > 1 THEN 'A-' || lpad((i % 1000)::text, 3, '0') END
           FROM generate_series(0, $4::int - 1) i
           JOIN bench_slot s ON s.n = i / $5`,
        [center.id, serviceId, `h${tag}-`, appointments, perSlot, residents],
      );
      // The next 31 days: slot k has k % 11 of its 10 places taken (so one in eleven is full).
      await client.query(
        `CREATE TEMP TABLE bench_future ON COMMIT DROP AS
         SELECT ${id(4, 'n')} AS id, n, t AS starts_at
           FROM (SELECT row_number() OVER (ORDER BY t) - 1 AS n, t
                   FROM (SELECT ((date_trunc('day', now() AT TIME ZONE $1) + make_interval(days => k)) + make_interval(mins => m)) AT TIME ZONE $1 AS t
                           FROM generate_series(0, 31) k, bench_minutes) x) y`,
        [BENCH_TIMEZONE],
      );
      await client.query(
        `INSERT INTO slot (id, center_id, starts_at, ends_at, capacity, booked)
         SELECT id, $1, starts_at, starts_at + interval '15 minutes', $2, 0 FROM bench_future ORDER BY n`,
        [center.id, perSlot],
      );
      await client.query(
        `CREATE TEMP TABLE bench_booking ON COMMIT DROP AS
         SELECT row_number() OVER (ORDER BY f.n, p) - 1 AS j, f.id AS slot_id
           FROM bench_future f, generate_series(1, 10) p WHERE p <= f.n % 11`,
      );
      await client.query(
        `INSERT INTO resident (id, id_hash, id_cipher, phone_hash, phone_cipher, bound_at, created_at)
         SELECT ${id(5, 'j')}, sha256(int8send(j) || uuid_send($2) || '\\x66'::bytea), $1, sha256(int8send(j) || uuid_send($2) || '\\x67'::bytea), $1, now(), now()
           FROM bench_booking`,
        [this.placeholderCipher, center.id],
      );
      await client.query(
        `INSERT INTO appointment (reference, center_id, service_id, slot_id, resident_id, status, created_at, updated_at)
         SELECT $3 || j, $1, $2, slot_id, ${id(5, 'j')}, 'booked', now(), now() FROM bench_booking`,
        [center.id, serviceId, `f${tag}-`],
      );
      await client.query(
        `UPDATE slot s SET booked = x.n
           FROM (SELECT slot_id, count(*)::int AS n FROM appointment WHERE center_id = $1 AND status <> 'cancelled' GROUP BY slot_id) x
          WHERE s.id = x.slot_id`,
        [center.id],
      );
      await client.query(`INSERT INTO closure (center_id, day, reason) VALUES ($1, (now() AT TIME ZONE $2)::date + 10, 'Staff training')`, [center.id, BENCH_TIMEZONE]);
    });
  }
}

/** Cancels (in the database, outside any measurement) the booked appointments of these slots, keeping `booked` exact. */
export async function releaseSlots(pool: Pool, slotIds: string[]): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(`UPDATE appointment SET status = 'cancelled', cancelled_at = now(), updated_at = now() WHERE slot_id = ANY($1::uuid[]) AND status = 'booked'`, [slotIds]);
    await client.query('UPDATE slot SET booked = 0 WHERE id = ANY($1::uuid[])', [slotIds]);
  });
}

export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface SlotAudit {
  slots: number;
  /** Places taken beyond capacity, summed over slots (non-cancelled appointments − capacity). */
  overCapacity: number;
  /** Slots whose `booked` differs from their number of non-cancelled appointments. */
  mismatched: number;
}

/** Counts, for these slots (or every slot), over-capacity places and counters out of step. */
export async function auditSlots(pool: Pool, slotIds?: string[]): Promise<SlotAudit> {
  const { rows } = await pool.query<SlotAudit>(
    `SELECT count(*)::int AS slots,
            coalesce(sum(greatest(coalesce(a.n, 0) - s.capacity, 0)), 0)::int AS "overCapacity",
            count(*) FILTER (WHERE s.booked <> coalesce(a.n, 0))::int AS mismatched
       FROM slot s
       LEFT JOIN LATERAL (SELECT count(*) AS n FROM appointment a WHERE a.slot_id = s.id AND a.status <> 'cancelled') a ON true
      WHERE $1::uuid[] IS NULL OR s.id = ANY($1::uuid[])`,
    [slotIds ?? null],
  );
  return rows[0]!;
}
