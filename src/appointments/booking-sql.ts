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
   * not offered at the slot's center.
   */
  readonly prepare: PreparedStatement;

  /**
   * $1 resident, $2 service, $3 slot, $4 now, $5 most active appointments, $6 reference,
   * $7 idempotency key, $8 request hash. It runs after `prepare`, as its own statement: under
   * READ COMMITTED a statement sees the snapshot it started with, so counting in the locking
   * statement itself would miss an appointment that a concurrent booking committed while this
   * one waited for the lock. The place is taken by `booked = booked + 1 WHERE booked < capacity`
   * (no row: the slot is full); a second active appointment for the same service breaks the
   * partial unique index `appointment_one_active_per_service`, and CHECK (booked <= capacity)
   * is the last line of defence. The answer: the resident's state, and the new appointment and
   * slot when a place was taken.
   */
  readonly book: PreparedStatement;

  /**
   * $1 appointment, $2 resident, $3 now: cancels a booked appointment of a slot not yet begun
   * and frees its place, in one statement; answers the appointment with its slot, center and
   * service, or no row.
   */
  readonly cancel: PreparedStatement;

  constructor(dataSource: DataSource) {
    this.appointment = new EntityColumns(dataSource, Appointment, 'a');
    this.slot = new EntityColumns(dataSource, Slot, 's');
    this.center = new EntityColumns(dataSource, Center, 'c');
    this.service = new EntityColumns(dataSource, Service, 'v');
    this.prepare = prepared('civic.booking.prepare', `SELECT r.id AS resident_id, cs.lead_time_hours AS offering_lead_time_hours, ${this.slot.select}, ${this.center.select}, ${this.service.select}
  FROM (SELECT $2::uuid AS slot_id) q
  LEFT JOIN LATERAL (SELECT id FROM resident WHERE id = $1 FOR UPDATE) r ON true
  LEFT JOIN slot s ON s.id = q.slot_id
  LEFT JOIN center_service cs ON cs.center_id = s.center_id AND cs.service_id = $3
  LEFT JOIN center c ON c.id = cs.center_id
  LEFT JOIN service v ON v.id = cs.service_id`);
    this.book = prepared('civic.booking.book', `WITH state AS (
    SELECT r.restricted_until,
           (SELECT count(*)::int FROM appointment a WHERE a.resident_id = r.id AND a.status IN ('booked', 'checked_in')) AS active,
           (SELECT count(*)::int FROM appointment a WHERE a.resident_id = r.id AND a.service_id = $2 AND a.status IN ('booked', 'checked_in')) AS active_for_service
      FROM resident r WHERE r.id = $1
  ), taken AS (
    UPDATE slot SET booked = slot.booked + 1
      FROM state
     WHERE slot.id = $3 AND slot.booked < slot.capacity
       AND (state.restricted_until IS NULL OR state.restricted_until <= $4)
       AND state.active_for_service = 0 AND state.active < $5
    RETURNING slot.*
  ), inserted AS (
    INSERT INTO appointment (reference, center_id, service_id, slot_id, resident_id, idempotency_key, request_hash)
    SELECT $6, taken.center_id, $2, taken.id, $1, $7, $8 FROM taken
    RETURNING *
  )
SELECT state.restricted_until, state.active, state.active_for_service, ${this.appointment.select}, ${this.slot.select}
  FROM state LEFT JOIN inserted a ON true LEFT JOIN taken s ON true`);
    this.cancel = prepared('civic.booking.cancel', `WITH cancelled AS (
    UPDATE appointment a SET status = 'cancelled', cancelled_at = $3, updated_at = $3
      FROM slot s
     WHERE a.id = $1 AND a.resident_id = $2 AND a.status = 'booked' AND s.id = a.slot_id AND s.starts_at > $3
    RETURNING a.*
  ), freed AS (
    UPDATE slot SET booked = slot.booked - 1 FROM cancelled WHERE slot.id = cancelled.slot_id
    RETURNING slot.*
  )
SELECT ${this.appointment.select}, ${this.slot.select}, ${this.center.select}, ${this.service.select}
  FROM cancelled a JOIN freed s ON s.id = a.slot_id JOIN center c ON c.id = a.center_id JOIN service v ON v.id = a.service_id`);
  }
}

const prepared = (name: string, text: string): PreparedStatement => ({ name, text });

/** What `book` answers about the resident, besides the appointment. */
export interface ResidentState {
  restricted_until: Date | null;
  active: number;
  active_for_service: number;
}
