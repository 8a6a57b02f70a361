import { resolve } from 'node:path';
import { AppConfig, NodeEnv, SmsProvider, VerifierProvider } from './app-config';
import { ConfigError } from './config-error';
import { loadOrCreateDevSecrets } from './dev-secrets';

type Env = Record<string, string | undefined>;

/** Reads and validates the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min = 0): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      problems.push(`${name} must be a whole number ≥ ${min} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!allowed.includes(raw as T)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };

  const nodeEnv = oneOf<NodeEnv>('NODE_ENV', ['development', 'production', 'test'], 'development');
  const production = nodeEnv === 'production';
  const dataDir = resolve(env.DATA_DIR || '.data');
  const databaseUrl = env.DATABASE_URL || undefined;

  let appSecretRaw = env.APP_SECRET;
  let dataKeyRaw = env.DATA_KEY;
  if (production) {
    if (!appSecretRaw) problems.push('APP_SECRET is required in production (32+ random bytes, base64)');
    if (!dataKeyRaw) problems.push('DATA_KEY is required in production ("k1:<32 bytes base64>", comma-separated for rotation)');
  } else if (!appSecretRaw || !dataKeyRaw) {
    const dev = loadOrCreateDevSecrets(dataDir);
    appSecretRaw ||= dev.appSecret;
    dataKeyRaw ||= dev.dataKey;
  }

  const appSecret = Buffer.from(appSecretRaw ?? '', 'base64');
  if (appSecretRaw && appSecret.length < 32) problems.push('APP_SECRET must decode (base64) to at least 32 bytes');
  const { keys: dataKeys, currentKeyId } = parseDataKeys(dataKeyRaw ?? '', problems);

  const port = int('PORT', 3000);
  const smsProvider = oneOf<SmsProvider>('SMS_PROVIDER', ['console', 'http'], 'console');
  if (smsProvider === 'http' && (!env.SMS_HTTP_URL || !env.SMS_HTTP_SECRET)) problems.push('SMS_PROVIDER=http needs SMS_HTTP_URL and SMS_HTTP_SECRET');
  const verifierProvider = oneOf<VerifierProvider>('VERIFIER', ['none', 'aliyun'], 'none');
  if (verifierProvider !== 'none' && (!env.VERIFIER_ACCESS_KEY_ID || !env.VERIFIER_ACCESS_KEY_SECRET)) {
    problems.push(`VERIFIER=${verifierProvider} needs VERIFIER_ACCESS_KEY_ID and VERIFIER_ACCESS_KEY_SECRET (an AccessKey allowed to call cloudauth), or VERIFIER=none`);
  }
  const verifierEndpoint = parseEndpoint(env.VERIFIER_ENDPOINT || DEFAULT_VERIFIER_ENDPOINT, production, problems);
  const config: AppConfig = {
    nodeEnv,
    port,
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir,
    appSecret,
    dataKeys,
    currentKeyId,
    smsProvider,
    smsHttp: {
      url: env.SMS_HTTP_URL || undefined,
      authorization: env.SMS_HTTP_AUTHORIZATION || undefined,
      signingSecret: env.SMS_HTTP_SECRET ?? '',
      timeoutMs: int('SMS_HTTP_TIMEOUT_MS', 5_000, 100),
    },
    verifier: {
      provider: verifierProvider,
      accessKeyId: env.VERIFIER_ACCESS_KEY_ID ?? '',
      accessKeySecret: env.VERIFIER_ACCESS_KEY_SECRET ?? '',
      endpoint: verifierEndpoint,
      timeoutMs: int('VERIFIER_TIMEOUT_MS', 3_000, 100),
      dailyLimit: int('VERIFIER_DAILY_LIMIT', 500, 1),
    },
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Civic Desk <no-reply@civic-desk.invalid>',
    opsEmail: env.OPS_EMAIL || undefined,
    metricsToken: env.METRICS_TOKEN || undefined,
    reminderHour: Math.min(23, int('REMINDER_HOUR', 18)),
    retention: { appointmentDays: int('RETENTION_APPOINTMENT_DAYS', 180, 1), auditYears: int('RETENTION_AUDIT_YEARS', 3, 1) },
    outbox: {
      maxAttempts: int('OUTBOX_MAX_ATTEMPTS', 8, 1),
      pollMs: int('OUTBOX_POLL_MS', 2_000, 50),
      workerEnabled: env.OUTBOX_WORKER !== 'false',
    },
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL || (production ? 'info' : nodeEnv === 'test' ? 'warn' : 'info'),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    redisUrl: env.REDIS_URL || undefined,
    throttle: { limit: int('THROTTLE_LIMIT', 600, 1), windowSeconds: int('THROTTLE_WINDOW_SECONDS', 60, 1) },
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 64 * 1024, 1024),
    requestTimeoutMs: int('HTTP_REQUEST_TIMEOUT_MS', 30_000, 100),
    keepAliveTimeoutMs: int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100),
    otp: {
      ttlSeconds: int('OTP_TTL_SECONDS', 300, 30),
      resendSeconds: int('OTP_RESEND_SECONDS', 60),
      maxAttempts: int('OTP_MAX_ATTEMPTS', 5, 1),
      idHourlyLimit: int('OTP_ID_HOURLY_LIMIT', 5, 1),
      idDailyLimit: int('OTP_ID_DAILY_LIMIT', 10, 1),
      phoneHourlyLimit: int('OTP_PHONE_HOURLY_LIMIT', 5, 1),
      phoneDailyLimit: int('OTP_PHONE_DAILY_LIMIT', 10, 1),
      ipHourlyLimit: int('OTP_IP_HOURLY_LIMIT', 20, 1),
      lockFailures: int('OTP_LOCK_FAILURES', 10, 1),
      lockSeconds: int('OTP_LOCK_SECONDS', 86400, 1),
    },
    sessions: {
      residentIdleSeconds: int('RESIDENT_SESSION_IDLE_SECONDS', 15 * 60, 60),
      residentAbsoluteSeconds: int('RESIDENT_SESSION_ABSOLUTE_SECONDS', 2 * 3600, 60),
      staffIdleSeconds: int('STAFF_SESSION_IDLE_SECONDS', 30 * 60, 60),
      staffAbsoluteSeconds: int('STAFF_SESSION_ABSOLUTE_SECONDS', 10 * 3600, 60),
    },
    noShows: {
      graceMinutes: int('NO_SHOW_GRACE_MINUTES', 30),
      limit: int('NO_SHOW_LIMIT', 3, 1),
      windowDays: int('NO_SHOW_WINDOW_DAYS', 90, 1),
      restrictionDays: int('NO_SHOW_RESTRICTION_DAYS', 30, 1),
      sweepSeconds: int('NO_SHOW_SWEEP_SECONDS', 60, 5),
    },
    maxActiveAppointments: int('MAX_ACTIVE_APPOINTMENTS', 3, 1),
    bookingCaps: { daily: int('BOOKING_DAILY_CAP', 6, 1), weekly: int('BOOKING_WEEKLY_CAP', 12, 1) },
    waitlist: {
      holdMinutes: int('WAITLIST_HOLD_MINUTES', 15, 1),
      cooldownMinutes: int('RELEASE_COOLDOWN_MINUTES', 10),
      sweepSeconds: int('WAITLIST_SWEEP_SECONDS', 15, 1),
    },
    seedDemoData: !production && env.SEED_DEMO_DATA !== 'false',
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const DEFAULT_VERIFIER_ENDPOINT = 'https://cloudauth.aliyuncs.com';

/** `host`, `host:port` or `http(s)://host[:port]`; a bare host means HTTPS. Production sends names only over HTTPS. */
function parseEndpoint(raw: string, production: boolean, problems: string[]): URL {
  const withScheme = raw.includes('://') ? raw : `https://${raw}`;
  const endpoint = URL.canParse(withScheme) ? new URL(withScheme) : undefined;
  if (!endpoint || !['http:', 'https:'].includes(endpoint.protocol) || endpoint.pathname !== '/' || endpoint.search || endpoint.username) {
    problems.push(`VERIFIER_ENDPOINT must be a host such as cloudauth.aliyuncs.com or an http(s) URL without a path (got "${raw}")`);
    return new URL(DEFAULT_VERIFIER_ENDPOINT);
  }
  if (production && endpoint.protocol !== 'https:') problems.push('VERIFIER_ENDPOINT must use https in production: names, ID and phone numbers travel in it');
  return endpoint;
}

function parseDataKeys(raw: string, problems: string[]): { keys: Map<string, Buffer>; currentKeyId: string } {
  const keys = new Map<string, Buffer>();
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [id, b64] = part.includes(':') ? part.split(':', 2) : ['k1', part];
    const key = Buffer.from(b64 ?? '', 'base64');
    if (!/^[a-z0-9]{1,8}$/i.test(id ?? '') || key.length !== 32) {
      problems.push('DATA_KEY entries must look like "k1:<32 bytes base64>"');
      continue;
    }
    keys.set(id!, key);
  }
  return { keys, currentKeyId: keys.keys().next().value ?? 'k1' };
}

function parseTrustProxy(raw: string | undefined): boolean | string[] {
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  return raw.split(',').map((part) => part.trim()).filter(Boolean);
}
