import { Appointment } from '../appointments/appointment.entity';
import { AppointmentProxy } from '../appointments/proxy/appointment-proxy.entity';
import { AuditCheckpoint } from '../audit/audit-checkpoint.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { OtpChallenge } from '../auth/otp-challenge.entity';
import { OtpFailure } from '../auth/otp-failure.entity';
import { Session } from '../auth/session.entity';
import { SignInLock } from '../auth/sign-in-lock.entity';
import { CenterService } from '../centers/center-service.entity';
import { Center } from '../centers/center.entity';
import { Closure } from '../centers/closure.entity';
import { OpeningHours } from '../centers/opening-hours.entity';
import { Service } from '../centers/service.entity';
import { OutboxMessage } from '../notifications/outbox-message.entity';
import { RegistryEntry } from '../residents/registry-entry.entity';
import { Resident } from '../residents/resident.entity';
import { Slot } from '../slots/slot.entity';
import { TicketCounter } from '../counter/ticket-counter.entity';
import { StaffLoginFailure } from '../staff/staff-login-failure.entity';
import { Staff } from '../staff/staff.entity';
import { SlotHold } from '../waitlist/slot-hold.entity';
import { WaitlistEntry } from '../waitlist/waitlist-entry.entity';

export const ENTITIES = [
  Center,
  Service,
  CenterService,
  OpeningHours,
  Closure,
  Slot,
  Resident,
  RegistryEntry,
  OtpChallenge,
  OtpFailure,
  SignInLock,
  Session,
  Appointment,
  AppointmentProxy,
  AuditEntry,
  AuditCheckpoint,
  OutboxMessage,
  Staff,
  StaffLoginFailure,
  TicketCounter,
  WaitlistEntry,
  SlotHold,
];
