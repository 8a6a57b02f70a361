import pino, { DestinationStream, Logger } from 'pino';

export const LOGGER = Symbol('LOGGER');

/** Field names whose values never reach a log line, wherever they appear. */
const SECRET_FIELDS = ['idNumber', 'phone', 'code', 'token', 'password', 'totp', 'certificateSerial', 'authorization', 'cookie'];

const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

// Last line of defence for free text (error messages, SQL details): an 18-character ID
// number, a mainland mobile number or a 6-digit passcode never survives into the output.
const PERSONAL_PATTERNS: RegExp[] = [/\d{17}[\dXx]/g, /(?:\+?86)?1[3-9]\d{9}/g, /\b\d{6}\b/g];

export function scrub(text: string): string {
  return PERSONAL_PATTERNS.reduce((result, pattern) => result.replace(pattern, '[redacted]'), text);
}

export interface LoggerOptions {
  level: string;
  pretty: boolean;
  /** Tests capture output here. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const transport = options.pretty && !options.destination ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } : undefined;
  const settings: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    transport,
    serializers: {
      // Query strings may carry personal data (e.g. ?to=phone): log the path only.
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      err: (err: Error) => ({ type: err.name, message: scrub(err.message), stack: err.stack ? scrub(err.stack) : undefined }),
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrub(arg) : arg));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
