/**
 * `npm run cli -- <command> [options]`: staff accounts and the audit check, on the same
 * database as the app (DATABASE_URL, else the embedded server of DATA_DIR, started for the
 * duration of the command if the app is not running).
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { verifyAuditChain } from './audit/audit-verify';
import { Clock } from './common/time/clock';
import { CryptoService } from './common/crypto/crypto.service';
import { DomainError } from './common/errors/domain-error';
import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load-config';
import { dataSourceOptions } from './database/data-source-options';
import { runningEmbeddedUrl, startEmbeddedPostgres } from './database/embedded-postgres';
import { runMigrationsLocked } from './database/migrate';
import { KeyRotationService } from './lifecycle/key-rotation.service';
import { StaffAccountsService } from './staff/staff-accounts.service';
import { StaffRole } from './staff/staff.entity';

const USAGE = `Usage: npm run cli -- <command> [options]
  staff:create --username U --role clerk|supervisor|admin [--center CODE] [--password P]
  staff:disable --username U [--enable]
  staff:reset-password --username U [--password P]
  staff:totp-enrol --username U          prints the otpauth:// URI once
  keys:rotate                            re-encrypts everything under the first DATA_KEY (safe while running)
  audit:verify                           exit 0 when the audit hash chain is intact
Without --password the password is read from standard input (kept out of shell history).`;

const out = (line: string): boolean => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { username: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, center: { type: 'string' }, enable: { type: 'boolean' } },
  });
  if (!command || command === 'help' || command === '--help') {
    out(USAGE);
    return command ? 0 : 2;
  }
  const config = loadConfig();
  const running = config.databaseUrl ?? runningEmbeddedUrl(config.dataDir);
  const embedded = running ? undefined : await startEmbeddedPostgres({ dir: config.dataDir });
  const dataSource = new DataSource(dataSourceOptions(running ?? embedded!.url, 2));
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource);
    const staff = new StaffAccountsService(dataSource, new CryptoService(config), new Clock());
    const username = (): string => values.username ?? fail('--username is required');
    switch (command) {
      case 'staff:create': {
        const created = await staff.create({ username: username(), password: values.password ?? readPassword(), role: (values.role ?? fail('--role is required')) as StaffRole, center: values.center });
        out(`created ${created.role} "${created.username}"${created.centerId ? ` at center ${values.center}` : ''}`);
        if (created.role !== 'clerk') out(`next: npm run cli -- staff:totp-enrol --username ${created.username}`);
        return 0;
      }
      case 'staff:disable': {
        const changed = await staff.setDisabled(username(), !values.enable);
        out(`${changed.username} is ${changed.disabled ? 'disabled (sessions ended)' : 'enabled'}`);
        return 0;
      }
      case 'staff:reset-password':
        await staff.resetPassword(username(), values.password ?? readPassword());
        out('password changed; sessions ended');
        return 0;
      case 'staff:totp-enrol':
        out(await staff.enrolTotp(username()));
        out('Add this to an authenticator app now: it is not shown again.');
        return 0;
      case 'keys:rotate': {
        const rotated = await new KeyRotationService(dataSource, new CryptoService(config)).rotate((table, done) => out(`${table}: ${done} re-encrypted`));
        out(`done: ${rotated} rows now under key ${config.currentKeyId}`);
        return 0;
      }
      case 'audit:verify': {
        const verdict = await verifyAuditChain(dataSource, config.appSecret);
        if (verdict.intact) {
          out(`audit chain intact: ${verdict.entries} entries`);
          return 0;
        }
        out(`audit chain BROKEN at entry ${verdict.brokenSeq}: ${verdict.reason} (${verdict.entries} entries before it are intact)`);
        return 1;
      }
      default:
        out(`Unknown command "${command}"\n${USAGE}`);
        return 2;
    }
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

function readPassword(): string {
  const line = readFileSync(0, 'utf8').split('\n')[0]?.trim();
  return line || fail('no password given (--password, or on standard input)');
}

function fail(message: string): never {
  throw new DomainError('validation_failed', { detail: message });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof DomainError || error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
