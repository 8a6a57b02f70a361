import { InitialSchema1764570000000 } from './1764570000000-initial-schema';
import { CounterAndStaff1764580000000 } from './1764580000000-counter-and-staff';
import { Outbox1764590000000 } from './1764590000000-outbox';
import { AuditRetention1764600000000 } from './1764600000000-audit-retention';
import { BookingHotPaths1764610000000 } from './1764610000000-booking-hot-paths';
import { AppointmentProxy1764620000000 } from './1764620000000-appointment-proxy';
import { Waitlist1764630000000 } from './1764630000000-waitlist';
import { AppClockTimestamps1764640000000 } from './1764640000000-app-clock-timestamps';
import { VerifierDailyUsage1764680000000 } from './1764680000000-verifier-daily-usage';

/** Every migration, oldest first. Add new ones at the end. */
export const MIGRATIONS = [
  InitialSchema1764570000000,
  CounterAndStaff1764580000000,
  Outbox1764590000000,
  AuditRetention1764600000000,
  BookingHotPaths1764610000000,
  AppointmentProxy1764620000000,
  Waitlist1764630000000,
  AppClockTimestamps1764640000000,
  VerifierDailyUsage1764680000000,
];
