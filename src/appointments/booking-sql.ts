import { DataSource } from 'typeorm';
import { Center } from '../centers/center.entity';
import { Service } from '../centers/service.entity';
import { Slot } from '../slots/slot.entity';
import { Appointment } from './appointment.entity';
import { EntityColumns } from '../database/entity-columns';
import { PreparedStatement } from '../database/prepared';

/**
 * The statements of booking and cancelling, written out once at start: BookingService runs
 * them, and the benchmark's raw-`pg` ceiling (test/bench/ceiling.ts) runs exactly the same.
 *
 * Booking is one transaction of two statements — `prepare` locks the resident's row and reads
 * the slot as the service is offered there; the app checks the slot (past, lead time, window);
 * `book` then counts the resident's active appointments and, only if the rules allow, takes a
 * place and inserts the appointment. Cancelling is one statement, atomic on its own.
 */
export class BookingStatements {
  readonly appointment: EntityColumns<Appointment>;
  readonly slot: EntityColumns<Slot>;
  readonly center: EntityColumns<Center>;
  readonly service: EntityColumns<Service>;

  /**
   * $1 resident, $2 slot, $3 service. The resident's row lock serialises their own bookings;
   * nobody else waits. One row always: `resident_id` and the slot columns are null when the
   * resident or the slot does not exist, the center and service columns when the service is
   * not offered at the slot's center. `phone_cipher` addresses the confirmation.
   */
  readonly prepare: PreparedStatement;

  /**
   * $1 resident, $2 service, $3 slot, $4 now, $5 most active appointments, $6 reference,
   * $7 idempotency key, $8 request hash, $9 / $10 most bookings made in a day / a week,
   * $11 the confirmation SMS's ciphertext (null: none), $12 the waitlist hold being claimed
   * (null: a public place). It runs after `prepare`, as its own statement: under READ COMMITTED
   * a statement sees the snapshot it started with, so counting in the locking statement itself
   * would miss an appointment that a concurrent booking committed while this one waited for the
   * lock. A public place is taken by `booked = booked + 1 WHERE booked + held < capacity` (no
   * row: the slot is full; held places are the waitlist's); a claim turns its hold into the
   * booking. A second active appointment for the same service breaks the partial unique index
   * `appointment_one_active_per_service`, and CHECK (booked + held <= capacity) is the last line
   * of defence. The confirmation goes to the outbox in the same statement. The answer: the
   * resident's state, and the new appointment and slot when a place was taken.
   */
  readonly book: PreparedStatement;

  /**
   * $1 appointment, $2 resident, $3 now, $4 end of the cool-down, $5 whether freed places cool
   * down: cancels a booked appointment of a slot not yet begun and frees its place, in one
   * statement — held for the waitlist or the cool-down (see FREE_PLACE); answers the appointment
   * with its slot, center and service, `someone_waits` and the resident's `phone_cipher`, or no row.
   */
  readonly cancel: PreparedStatement;

  constructor(dataSource: DataSource) {
    this.appointment = new EntityColumns(dataSource, Appointment, 'a');
    this.slot = new EntityColumns(dataSource, Slot, 's');
    this.center = new EntityColumns(dataSource, Center, 'c');
    this.service = new EntityColumns(dataSource, Service, 'v');
    this.prepare = prepared('civic.booking.prepare', `SELECT r.id AS resident_id, r.phone_cipher, cs.lead_time_hours AS offering_lead_time_hours, ${this.slot.select}, ${this.center.select}, ${this.service.select}
  FROM (SELECT $2::uuid AS slot_id) q
  LEFT JOIN LATERAL (SELECT id, phone_cipher FROM resident WHERE id = $1 FOR UPDATE) r ON true
  LEFT JOIN slot s ON s.id = q.slot_id
  LEFT JOIN center_service cs ON cs.center_id = s.center_id AND cs.service_id = $3
  LEFT JOIN center c ON c.id = cs.center_id
  LEFT JOIN service v ON v.id = cs.service_id`);
    this.book = prepared('civic.booking.book', `WITH state AS (${RESIDENT_STATE}), claimed AS (
    DELETE FROM slot_hold h USING state WHERE h.id = $12 AND h.slot_id = $3 AND state.allowed
    RETURNING h.id
  ), taken AS (
    UPDATE slot SET booked = slot.booked + 1, held = slot.held - (SELECT count(*)::int FROM claimed)
      FROM state
     WHERE slot.id = $3 AND state.allowed
       AND CASE WHEN $12::uuid IS NULL THEN slot.booked + slot.held < slot.capacity ELSE EXISTS (SELECT 1 FROM claimed) END
    RETURNING slot.*
  ), inserted AS (
    INSERT INTO appointment (reference, center_id, service_id, slot_id, resident_id, idempotency_key, request_hash, created_at, updated_at)
    SELECT $6, taken.center_id, $2, taken.id, $1, $7, $8, $4, $4 FROM taken
    RETURNING *
  ), queued AS (
    INSERT INTO outbox_message (channel, recipient_hash, recipient_cipher, template, body_cipher, dedupe_key, next_attempt_at, created_at)
    SELECT 'sms', r.phone_hash, r.phone_cipher, 'booking-confirmed', $11, 'booking-confirmed:' || inserted.id, $4, $4
      FROM inserted JOIN resident r ON r.id = inserted.resident_id
     WHERE $11::text IS NOT NULL AND r.phone_cipher IS NOT NULL
    RETURNING id
  )
SELECT state.restricted_until, state.active, state.active_for_service, state.made_today, state.made_this_week,
       (SELECT pg_notify('outbox_ready', '') FROM queued) AS queued, ${this.appointment.select}, ${this.slot.select}
  FROM state LEFT JOIN inserted a ON true LEFT JOIN taken s ON true`);
    this.cancel = prepared('civic.booking.cancel', `WITH cancelled AS (
    UPDATE appointment a SET status = 'cancelled', cancelled_at = $3, updated_at = $3
      FROM slot s
     WHERE a.id = $1 AND a.resident_id = $2 AND a.status = 'booked' AND s.id = a.slot_id AND s.starts_at > $3
    RETURNING a.*
  ), ${freePlace('(SELECT slot_id FROM cancelled)', '$4', '$5', '$3')}
SELECT ${this.appointment.select}, ${this.slot.select}, ${this.center.select}, ${this.service.select}, s.someone_waits, r.phone_cipher
  FROM cancelled a JOIN freed s ON s.id = a.slot_id JOIN center c ON c.id = a.center_id JOIN service v ON v.id = a.service_id
  JOIN resident r ON r.id = a.resident_id`);
  }
}

const prepared = (name: string, text: string): PreparedStatement => ({ name, text });

/**
 * $1 resident, $4 now, $5 most active, $9 / $10 daily / weekly caps: the resident's standing,
 * from one scan of their appointments. Walk-ins are made by clerks and do not count.
 */
const RESIDENT_STATE = `SELECT r.restricted_until, n.active, n.active_for_service, n.made_today, n.made_this_week,
           (r.restricted_until IS NULL OR r.restricted_until <= $4) AND n.active_for_service = 0 AND n.active < $5
             AND n.made_today < $9 AND n.made_this_week < $10 AS allowed
      FROM resident r CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE a.status IN ('booked', 'checked_in'))::int AS active,
               count(*) FILTER (WHERE a.status IN ('booked', 'checked_in') AND a.service_id = $2)::int AS active_for_service,
               count(*) FILTER (WHERE NOT a.walk_in AND a.created_at > $4::timestamptz - interval '1 day')::int AS made_today,
               count(*) FILTER (WHERE NOT a.walk_in AND a.created_at > $4::timestamptz - interval '7 days')::int AS made_this_week
          FROM appointment a WHERE a.resident_id = r.id
      ) n
     WHERE r.id = $1`;

/**
 * CTEs `waits` and `freed` (and `hold`) that give back one place of the slot `slotId` (an SQL
 * expression; `now` is the app's clock): when somebody waits for that slot's day, or freed places cool down, the place
 * is held (`slot.held`, a `slot_hold` row until `coolUntil`) instead of returned to the public;
 * the waitlist's offers take it from there (src/waitlist/waitlist-offers.service.ts). `freed`
 * answers the slot with `someone_waits`.
 */
export function freePlace(slotId: string, coolUntil: string, coolsDown: string, now: string): string {
  return `waits AS (
    SELECT EXISTS (SELECT 1 FROM slot s JOIN waitlist_entry w ON w.center_id = s.center_id AND w.status = 'waiting'
                    AND w.day_starts_at <= s.starts_at AND w.day_ends_at > s.starts_at
                    WHERE s.id = ${slotId}) AS someone
  ), freed AS (
    UPDATE slot SET booked = slot.booked - 1, held = slot.held + CASE WHEN ${coolsDown}::boolean OR waits.someone THEN 1 ELSE 0 END
      FROM waits WHERE slot.id = ${slotId}
    RETURNING slot.*, waits.someone AS someone_waits, (${coolsDown}::boolean OR waits.someone) AS place_held
  ), hold AS (
    INSERT INTO slot_hold (slot_id, expires_at, cool_until, created_at) SELECT freed.id, ${coolUntil}, ${coolUntil}, ${now} FROM freed WHERE freed.place_held
    RETURNING id
  )`;
}

/** What `book` answers about the resident, besides the appointment. */
export interface ResidentState {
  restricted_until: Date | null;
  active: number;
  active_for_service: number;
  made_today: number;
  made_this_week: number;
}
