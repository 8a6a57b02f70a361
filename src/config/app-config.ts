/** Typed, validated configuration read once from the environment at boot. */
export type NodeEnv = 'development' | 'production' | 'test';
export type SmsProvider = 'console' | 'http';
export type VerifierProvider = 'none' | 'aliyun';

/** The carrier check of name + ID number + phone (BINDING_VERIFIER); `none` leaves phones a claim. */
export interface VerifierConfig {
  provider: VerifierProvider;
  accessKeyId: string;
  accessKeySecret: string;
  /** Where the provider answers, e.g. https://cloudauth.aliyuncs.com (tests: a loopback stand-in). */
  endpoint: URL;
  /** A call not answered within this is `unavailable`. */
  timeoutMs: number;
  /** Provider calls per local day (Asia/Shanghai), across every instance; past it `rate_limited`. */
  dailyLimit: number;
}

export interface OtpLimits {
  ttlSeconds: number;
  resendSeconds: number;
  maxAttempts: number;
  idHourlyLimit: number;
  idDailyLimit: number;
  phoneHourlyLimit: number;
  phoneDailyLimit: number;
  ipHourlyLimit: number;
  lockFailures: number;
  lockSeconds: number;
}

export interface SessionLifetimes {
  residentIdleSeconds: number;
  residentAbsoluteSeconds: number;
  staffIdleSeconds: number;
  staffAbsoluteSeconds: number;
}

export interface NoShowPolicy {
  /** A booked appointment becomes a no-show this long after its slot ended. */
  graceMinutes: number;
  /** This many no-shows within `windowDays` restrict booking for `restrictionDays`. */
  limit: number;
  windowDays: number;
  restrictionDays: number;
  sweepSeconds: number;
}

export interface WaitlistPolicy {
  /** How long a place offered to the first in line is held for them. */
  holdMinutes: number;
  /** A place freed by cancellation that nobody waits for returns to the public after this. */
  cooldownMinutes: number;
  sweepSeconds: number;
}

/** Caps against hoarding: bookings a resident may make within a rolling day and week. */
export interface BookingCaps {
  daily: number;
  weekly: number;
}

export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  host: string;
  /** Unset: an embedded PostgreSQL under `dataDir` is started. */
  databaseUrl?: string;
  dataDir: string;
  /** Key for every keyed hash (lookups, passcodes, tokens). */
  appSecret: Buffer;
  /** AES-256-GCM keys by key id; `currentKeyId` encrypts, all decrypt. */
  dataKeys: Map<string, Buffer>;
  currentKeyId: string;
  smsProvider: SmsProvider;
  smsHttp: { url?: string; authorization?: string; signingSecret: string; timeoutMs: number };
  verifier: VerifierConfig;
  smtpUrl?: string;
  mailFrom: string;
  /** When set, GET /metrics wants `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Local hour (0-23) from which the day-before reminders go out. */
  reminderHour: number;
  retention: { appointmentDays: number; auditYears: number };
  /** Told by email when a message is parked after its last try. */
  opsEmail?: string;
  outbox: { maxAttempts: number; pollMs: number; workerEnabled: boolean };
  publicUrl: string;
  logLevel: string;
  /** false, true (any proxy: only behind a private network), or the proxies' addresses. */
  trustProxy: boolean | string[];
  redisUrl?: string;
  throttle: { limit: number; windowSeconds: number };
  bodyLimitBytes: number;
  /** A client must send its whole request within this; a slow or silent one is cut off. */
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  otp: OtpLimits;
  sessions: SessionLifetimes;
  noShows: NoShowPolicy;
  maxActiveAppointments: number;
  bookingCaps: BookingCaps;
  waitlist: WaitlistPolicy;
  /** Demo centers and services on an empty database (development only). */
  seedDemoData: boolean;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export const isProduction = (config: AppConfig): boolean => config.nodeEnv === 'production';
