import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Appointment } from '../appointments/appointment.entity';
import { BookingService } from '../appointments/booking.service';
import { CentersService } from '../centers/centers.service';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { formatInstant } from '../common/time/format';
import { inTransaction, isUniqueViolation } from '../database/transaction';
import { AvailabilityService } from '../slots/availability.service';
import { addDays, isIsoDate, lastBookableDate, localDate, startOfLocalDate } from '../slots/booking-window';
import { WaitlistEntryView, WaitlistViewStatus } from './dto/waitlist-entry.view';
import { WaitlistOffersService } from './waitlist-offers.service';
import { WaitlistStatus } from './waitlist-entry.entity';

interface EntryRow {
  id: string;
  center_id: string;
  service_id: string;
  day: string;
  status: WaitlistStatus;
  appointment_id: string | null;
  created_at: Date;
  timezone: string;
  position: number;
  slot_id: string | null;
  offer_expires_at: Date | null;
  starts_at: Date | null;
  ends_at: Date | null;
}

const ENTRY_VIEW_SQL = `SELECT w.id, w.center_id, w.service_id, w.day::text AS day, w.status, w.appointment_id, w.created_at, c.timezone,
         (SELECT count(*)::int FROM waitlist_entry o
           WHERE o.center_id = w.center_id AND o.day_starts_at = w.day_starts_at AND o.status = 'waiting'
             AND o.line_seq <= w.line_seq) AS position,
         h.slot_id, h.expires_at AS offer_expires_at, s.starts_at, s.ends_at
    FROM waitlist_entry w
    JOIN center c ON c.id = w.center_id
    LEFT JOIN slot_hold h ON h.waitlist_entry_id = w.id
    LEFT JOIN slot s ON s.id = h.slot_id`;

/**
 * The resident's side of the waitlist: join a full day, see your place and your offer, claim
 * it (it becomes an appointment, with every booking rule) or leave. Offers themselves are made
 * by WaitlistOffersService.
 */
@Injectable()
export class WaitlistService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly centers: CentersService,
    private readonly availability: AvailabilityService,
    private readonly booking: BookingService,
    private readonly offers: WaitlistOffersService,
    private readonly clock: Clock,
  ) {}

  async join(residentId: string, centerId: string, serviceId: string, date: string): Promise<WaitlistEntryView> {
    const { center } = await this.centers.offering(centerId, serviceId);
    const now = this.clock.now();
    if (!isIsoDate(date)) throw new DomainError('validation_failed', { detail: 'date must be a valid YYYY-MM-DD' });
    if (date < localDate(now, center.timezone) || date > lastBookableDate(center, now)) throw new DomainError('outside_booking_window');
    const dayStartsAt = startOfLocalDate(date, center.timezone);
    const dayEndsAt = startOfLocalDate(addDays(date, 1), center.timezone);
    const [{ slots }] = (await this.dataSource.query(
      'SELECT count(*)::int AS slots FROM slot WHERE center_id = $1 AND starts_at >= $2 AND starts_at < $3 AND starts_at > $4 AND capacity > 0',
      [centerId, dayStartsAt, dayEndsAt, now],
    )) as [{ slots: number }];
    if (slots === 0) throw new DomainError('day_closed');
    const free = await this.availability.available(centerId, serviceId, date, date);
    if (free.length > 0) throw new DomainError('places_available', { extensions: { remaining: free.reduce((sum, slot) => sum + slot.remaining, 0) } });

    let entryId: string;
    try {
      entryId = await inTransaction(this.dataSource, async (manager) => {
        await this.assertMayWait(manager, residentId, serviceId, now);
        const [row] = (await manager.query(
          `INSERT INTO waitlist_entry (resident_id, center_id, service_id, day, day_starts_at, day_ends_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
          [residentId, centerId, serviceId, date, dayStartsAt, dayEndsAt, now],
        )) as Array<{ id: string }>;
        return row!.id;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'waitlist_one_per_service')) throw new DomainError('already_waiting');
      throw error;
    }
    // A place of that day may be cooling down right now: it goes to the line at once.
    await this.offers.offerHeldPlaces();
    return this.getOwn(residentId, entryId);
  }

  /** The resident's entries for days not yet over, newest first. */
  async listOwn(residentId: string): Promise<WaitlistEntryView[]> {
    const rows = (await this.dataSource.query(`${ENTRY_VIEW_SQL} WHERE w.resident_id = $1 AND w.day_ends_at > $2 ORDER BY w.created_at DESC`, [
      residentId,
      this.clock.now(),
    ])) as EntryRow[];
    return rows.map((row) => this.toView(row));
  }

  async getOwn(residentId: string, entryId: string): Promise<WaitlistEntryView> {
    const [row] = (await this.dataSource.query(`${ENTRY_VIEW_SQL} WHERE w.resident_id = $1 AND w.id = $2`, [residentId, entryId])) as EntryRow[];
    if (!row) throw new DomainError('not_found', { detail: 'No such waitlist entry' });
    return this.toView(row);
  }

  /** Takes the offered place: the hold becomes an appointment under every booking rule. */
  async claim(residentId: string, entryId: string): Promise<Appointment> {
    const now = this.clock.now();
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const [offer] = (await manager.query(
          `SELECT h.id AS hold_id, h.slot_id, h.expires_at, w.service_id FROM waitlist_entry w JOIN slot_hold h ON h.waitlist_entry_id = w.id
            WHERE w.id = $1 AND w.resident_id = $2 AND w.status = 'waiting' FOR UPDATE OF h`,
          [entryId, residentId],
        )) as Array<{ hold_id: string; slot_id: string; expires_at: Date; service_id: string }>;
        if (!offer) {
          const entry = await this.getOwn(residentId, entryId); // 404 when not theirs
          throw new DomainError(entry.status === 'waiting' ? 'no_offer_yet' : 'offer_expired');
        }
        if (offer.expires_at <= now) throw new DomainError('offer_expired');
        const appointment = await this.booking.bookIn(manager, { residentId, slotId: offer.slot_id, serviceId: offer.service_id, holdId: offer.hold_id });
        if (!(appointment instanceof Appointment)) throw new DomainError('offer_expired');
        await manager.query(`UPDATE waitlist_entry SET status = 'booked', appointment_id = $2, updated_at = $3 WHERE id = $1`, [entryId, appointment.id, now]);
        return appointment;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'appointment_one_active_per_service')) throw new DomainError('already_booked');
      throw error;
    }
  }

  /** Leaves the line; a place held for this entry passes to the next. */
  async leave(residentId: string, entryId: string): Promise<void> {
    const passedOn = await inTransaction(this.dataSource, async (manager) => {
      // The hold before the entry, in the order the offers job locks them.
      const [hold] = (await manager.query(
        `SELECT h.id FROM slot_hold h JOIN waitlist_entry w ON w.id = h.waitlist_entry_id WHERE w.id = $1 AND w.resident_id = $2 FOR UPDATE OF h`,
        [entryId, residentId],
      )) as Array<{ id: string }>;
      const [, left] = (await manager.query(`UPDATE waitlist_entry SET status = 'left', updated_at = $3 WHERE id = $1 AND resident_id = $2 AND status = 'waiting'`, [
        entryId,
        residentId,
        this.clock.now(),
      ])) as [unknown, number];
      if (left === 0) {
        await this.getOwn(residentId, entryId);
        throw new DomainError('not_waiting');
      }
      if (hold) await this.offers.passOn(manager, hold.id);
      return hold !== undefined;
    });
    if (passedOn) await this.offers.offerHeldPlaces();
  }

  private async assertMayWait(manager: EntityManager, residentId: string, serviceId: string, now: Date): Promise<void> {
    const [state] = (await manager.query(
      `SELECT r.restricted_until,
              EXISTS (SELECT 1 FROM appointment a WHERE a.resident_id = r.id AND a.service_id = $2 AND a.status IN ('booked', 'checked_in')) AS booked
         FROM resident r WHERE r.id = $1 FOR UPDATE`,
      [residentId, serviceId],
    )) as Array<{ restricted_until: Date | null; booked: boolean }>;
    if (!state) throw new DomainError('unauthenticated');
    if (state.restricted_until && state.restricted_until > now) {
      throw new DomainError('booking_restricted', { extensions: { restrictedUntil: state.restricted_until.toISOString() } });
    }
    if (state.booked) throw new DomainError('already_booked');
  }

  private toView(row: EntryRow): WaitlistEntryView {
    const now = this.clock.now();
    const live = row.offer_expires_at !== null && row.offer_expires_at > now;
    const status: WaitlistViewStatus = row.status !== 'waiting' ? row.status : live ? 'offered' : row.offer_expires_at ? 'expired' : 'waiting';
    return {
      id: row.id,
      centerId: row.center_id,
      serviceId: row.service_id,
      date: row.day,
      status,
      position: status === 'waiting' ? row.position : null,
      offer:
        live && row.slot_id
          ? {
              slotId: row.slot_id,
              startsAt: formatInstant(row.starts_at!, row.timezone),
              endsAt: formatInstant(row.ends_at!, row.timezone),
              expiresAt: formatInstant(row.offer_expires_at!, row.timezone),
            }
          : null,
      appointmentId: row.appointment_id,
      createdAt: formatInstant(row.created_at, row.timezone),
    };
  }
}
