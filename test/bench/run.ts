/**
 * `npm run bench [-- --quick] [-- --json] [-- --profile] [-- --explain]`: the booking rush and
 * friends, against the built app (dist/main.js) running as production runs it, on its embedded
 * PostgreSQL (durable, as `npm start` makes it) or on a throw-away database of DATABASE_URL.
 *
 * Speeds are reported, never asserted. Correctness is enforced: the exit code is 1 when a
 * place was given beyond capacity, an answer other than the expected ones (201/409 when
 * booking) came back, or a slot's `booked` differs from its non-cancelled appointments.
 */
import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Pool } from 'pg';
import { AppConfig } from '../../src/config/app-config';
import { CryptoService } from '../../src/common/crypto/crypto.service';
import { EmbeddedPostgres, runningPort, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { DataSource } from 'typeorm';
import { BookingStatements } from '../../src/appointments/booking-sql';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { AVAILABLE_SLOTS } from '../../src/slots/availability.service';
import { withDatabase } from '../support/database-url';
import { nodeFlagsOfStartScript } from '../support/start-flags';
import { AppProcess, startApp } from './app-process';
import { BENCH_BOOKING_CAP, CeilingResult, runCeiling } from './ceiling';
import { cpuMeter, perOperation, postmasterPid } from './cpu';
import { auditSlots, BenchResident, Fixtures } from './fixtures';
import { now, Recorder } from './load';
import { ActivitySampler, ActivitySummary } from './pg-activity';
import { BenchReport, renderTable, targets } from './report';
import { availability, AvailabilityResult, registryImport, RegistryResult, rush, RushPlan, RushResult, signIn, SignInResult, steady, SteadyResult } from './scenarios';

const ROOT = resolve(__dirname, '..', '..', '..');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    /** For working on one figure: e.g. --only steady,ceiling (the others report 0). */
    only: { type: 'string' },
  },
});

/** How long and how big; --quick keeps every scenario and key, shorter. */
const PLAN = args.quick
  ? { warmupMs: 1_500, steadyMs: 6_000, ceilingMs: 6_000, rushMs: 1, rushMinRounds: 1, twoMinRounds: 1, availabilityMs: 3_000, signInMs: 5_000, startRuns: 1 }
  : { warmupMs: 5_000, steadyMs: 30_000, ceilingMs: 30_000, rushMs: 30_000, rushMinRounds: 3, twoMinRounds: 3, availabilityMs: 15_000, signInMs: 20_000, startRuns: 3 };
const CONNECTIONS = 64;
const AVAILABILITY_CONNECTIONS = 8;
const RUSH = { residents: 5_000, slots: 50, capacity: 10 };
const RESIDENTS_PER_STEADY_CONNECTION = 40;
const HISTORY = { big: 1_000_000, small: 10_000 };

const SCENARIOS = ['availability', 'rush', 'steady', 'ceiling', 'signin', 'two', 'registry'] as const;
/** Lines of the registry import (issue 5: 100,000 in under 30 s). */
const REGISTRY_LINES = 100_000;
const selected = new Set<string>(args.only ? args.only.split(',').map((name) => name.trim()) : SCENARIOS);
for (const name of selected) if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`--only: unknown scenario "${name}" (${SCENARIOS.join(', ')})`);
const runs = (name: (typeof SCENARIOS)[number]): boolean => selected.has(name);

const progress = (message: string): void => {
  process.stderr.write(`[bench ${(process.uptime()).toFixed(0).padStart(4)} s] ${message}\n`);
};

async function main(): Promise<number> {
  const loadBefore = loadavg();
  const work = mkdtempSync(join(tmpdir(), 'civic-bench-'));
  // As root, the embedded server runs as `postgres`, which must be able to pass through.
  chmodSync(work, 0o711);
  const dataDir = join(work, 'data');
  const profileDir = join(ROOT, '.build', 'bench-profiles');
  const appSecret = randomBytes(32);
  const dataKey = randomBytes(32);
  const adminUrl = process.env.DATABASE_URL;
  const benchDatabase = `civic_bench_${randomBytes(4).toString('hex')}`;
  const apps: AppProcess[] = [];
  let embedded: EmbeddedPostgres | undefined;
  let pool: Pool | undefined;
  let monitor: Client | undefined;
  progress(`work folder ${work}`);

  const baseEnv = (port: number): Record<string, string> => {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    for (const key of ['DATABASE_URL', 'DATA_DIR', 'PORT', 'HOST', 'PUBLIC_URL', 'SEED_DEMO_DATA']) delete env[key];
    return {
      ...env,
      NODE_ENV: 'production',
      APP_SECRET: appSecret.toString('base64'),
      DATA_KEY: `k1:${dataKey.toString('base64')}`,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      // Residents come from many addresses, through a proxy (each request says which: X-Forwarded-For) …
      TRUST_PROXY: 'true',
      // … and the per-IP request limit and the passcode limits are raised for the run.
      THROTTLE_LIMIT: '1000000000',
      OTP_IP_HOURLY_LIMIT: '100000000',
      OTP_ID_HOURLY_LIMIT: '100000000',
      OTP_ID_DAILY_LIMIT: '100000000',
      OTP_PHONE_HOURLY_LIMIT: '100000000',
      OTP_PHONE_DAILY_LIMIT: '100000000',
      OTP_RESEND_SECONDS: '0',
      // Steady booking books and cancels the same residents' places over and over: no caps
      // against hoarding, and a freed place is bookable again at once (no cool-down).
      BOOKING_DAILY_CAP: String(BENCH_BOOKING_CAP),
      BOOKING_WEEKLY_CAP: String(BENCH_BOOKING_CAP),
      RELEASE_COOLDOWN_MINUTES: '0',
      // Messages are written with each booking (that is measured) but sent by no instance of
      // the run: sending is the outbox worker's, which a large deployment runs apart.
      OUTBOX_WORKER: 'false',
      ...(adminUrl ? { DATABASE_URL: withDatabase(adminUrl, benchDatabase) } : { DATA_DIR: dataDir }),
    };
  };
  // The app runs as `npm start` runs it: with the Node flags of package.json's start script, if any.
  const startFlags = nodeFlagsOfStartScript(ROOT);
  const launch = async (name: string, port: number, profile = false): Promise<AppProcess> => {
    if (profile) mkdirSync(profileDir, { recursive: true });
    const app = await startApp({
      name,
      root: ROOT,
      port,
      env: baseEnv(port),
      logFile: join(work, `${name}.log`),
      nodeArgs: [...startFlags, ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    });
    apps.push(app);
    return app;
  };
  const stopApp = async (app: AppProcess): Promise<void> => {
    await app.stop();
    apps.splice(apps.indexOf(app), 1);
  };

  try {
    // The database: a throw-away database on DATABASE_URL's server, or a fresh durable embedded cluster.
    if (adminUrl) {
      const admin = new Client({ connectionString: withDatabase(adminUrl, 'postgres') });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${benchDatabase}`);
      await admin.end();
    }

    // 7 (start): the first start initialises (initdb, migrations); the next ones find it ready.
    const [portA, portB] = [await freePort(), await freePort()];
    progress('first start of the app (initdb + migrations)');
    let a = await launch('app-a', portA);
    const firstStartMs = a.startMs;
    await stopApp(a);
    const starts: number[] = [];
    for (let i = 0; i < PLAN.startRuns; i++) {
      a = await launch('app-a', portA);
      starts.push(a.startMs);
      progress(`start → healthy: ${Math.round(a.startMs)} ms${adminUrl ? '' : ' (the app starts its embedded PostgreSQL too)'}`);
      await stopApp(a);
    }
    const startMs = median(starts);

    // From here on the benchmark keeps the embedded server up itself (durable, exactly as the
    // app starts it), so that two instances and the raw-pg ceiling share one server.
    if (!adminUrl) embedded = await startEmbeddedPostgres({ dir: dataDir });
    const url = adminUrl ? withDatabase(adminUrl, benchDatabase) : embedded!.url;
    a = await launch('app-a', portA, args.profile);
    const startWithDatabaseUpMs = a.startMs;
    pool = new Pool({ connectionString: url, max: 16, application_name: 'civic-bench' });
    monitor = new Client({ connectionString: url, application_name: 'civic-bench-monitor' });
    // The benchmark stops the server at the end, maybe before an idle connection has read its
    // Terminate: the FATAL it then gets is no failure of the run.
    pool.on('error', () => undefined);
    monitor.on('error', () => undefined);
    await monitor.connect();
    const pgPid = adminUrl ? undefined : postmasterPid(join(dataDir, 'postgres'));
    const meter = (pids: number[]) => () => cpuMeter(pids, pgPid);
    const server = (await pool.query<{ version: string; fsync: string; sc: string; sb: string }>(
      `SELECT version() AS version, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc, current_setting('shared_buffers') AS sb`,
    )).rows[0]!;

    // Data, straight into the database.
    const config = { appSecret, dataKeys: new Map([['k1', dataKey]]), currentKeyId: 'k1' } as unknown as AppConfig;
    const crypto = new CryptoService(config);
    const fixtures = new Fixtures(pool, crypto.encrypt('11010519491231002X'));
    const serviceId = await fixtures.service('BENCH-SVC');
    const rushCenter = await fixtures.center('BENCH-RUSH', serviceId, 14);
    const bigCenter = await fixtures.center('BENCH-1M', serviceId, 31);
    const smallCenter = await fixtures.center('BENCH-10K', serviceId, 31);
    let t0 = now();
    if (runs('availability')) {
      await fixtures.history(bigCenter, serviceId, HISTORY.big, 0xb);
      await fixtures.history(smallCenter, serviceId, HISTORY.small, 0xc);
    }
    progress(`history: ${HISTORY.big.toLocaleString('en-US')} + ${HISTORY.small.toLocaleString('en-US')} appointments in ${((now() - t0) / 1000).toFixed(1)} s`);
    const rushResidents = await fixtures.residents(RUSH.residents);
    const steadyResidents = chunk(await fixtures.residents(CONNECTIONS * RESIDENTS_PER_STEADY_CONNECTION), RESIDENTS_PER_STEADY_CONNECTION);
    const ceilingResidents = chunk(await fixtures.residents(CONNECTIONS * RESIDENTS_PER_STEADY_CONNECTION), RESIDENTS_PER_STEADY_CONNECTION);
    const steadySlots = await fixtures.slots(rushCenter.id, CONNECTIONS, 10);
    const ceilingSlots = await fixtures.slots(rushCenter.id, CONNECTIONS, 10);
    t0 = now();
    await pool.query('VACUUM ANALYZE');
    progress(`residents, sessions, slots ready; VACUUM ANALYZE ${((now() - t0) / 1000).toFixed(1)} s`);
    if (args.explain) await explain(pool, url, bigCenter.id, serviceId, rushResidents[0]!, steadySlots[0]!);

    const rushPlan = (origins: string[], minRounds: number, pids: number[]): RushPlan => ({
      origins,
      connections: CONNECTIONS,
      residents: rushResidents,
      centerId: rushCenter.id,
      serviceId,
      slotsPerRound: RUSH.slots,
      capacity: RUSH.capacity,
      warmupRounds: 1,
      durationMs: PLAN.rushMs,
      minRounds,
      maxRounds: 50,
      meter: meter(pids),
    });

    // 1. The rush, with the app's peak RSS sampled and its pool watched from the server.
    let rushResult = emptyRush();
    let rushPool = emptyActivity();
    let peakRssMb = 0;
    if (runs('rush')) {
      progress(`rush: ${RUSH.residents} residents, ${RUSH.slots} slots × ${RUSH.capacity}, ${CONNECTIONS} connections`);
      const sampler = new ActivitySampler(monitor, 'civic-desk');
      sampler.start();
      rushResult = await rush(pool, fixtures, rushPlan([a.origin], PLAN.rushMinRounds, [a.pid]));
      rushPool = sampler.stop();
      // VmHWM: the kernel's peak RSS of the process so far — its start and the rush.
      peakRssMb = a.memory().hwmMb;
      progress(`  app's connections during the rush: ${describeActivity(rushPool)}`);
    }

    // 2. Steady booking, then 3. the same transactions through raw pg, back to back.
    let steadyResult: SteadyResult = { pairs: 0, elapsedMs: 0, book: new Recorder(new Set()), cancel: new Recorder(new Set()), cpu: NO_CPU };
    let steadyPool = emptyActivity();
    if (runs('steady')) {
      progress(`steady: book + cancel pairs, ${CONNECTIONS} connections`);
      const sampler = new ActivitySampler(monitor, 'civic-desk');
      sampler.start();
      steadyResult = await steady([a.origin], steadyResidents, steadySlots, serviceId, PLAN.warmupMs, PLAN.steadyMs, meter([a.pid]));
      steadyPool = sampler.stop();
      progress(`  app's connections during steady booking: ${describeActivity(steadyPool)}`);
    }
    let ceilingResult: CeilingResult = { pairs: 0, elapsedMs: 0, book: new Recorder(new Set()), cancel: new Recorder(new Set()), cpu: NO_CPU };
    let ceilingServer = emptyActivity();
    if (runs('ceiling')) {
      progress(`ceiling: the same transactions through raw pg, ${CONNECTIONS} connections`);
      const sampler = new ActivitySampler(monitor, 'civic-bench-ceiling');
      sampler.start();
      ceilingResult = await runCeiling(url, { residents: ceilingResidents.map((list) => list.map((r) => r.id)), slots: ceilingSlots, serviceId }, PLAN.warmupMs, PLAN.ceilingMs, meter([]));
      ceilingServer = sampler.stop();
      progress(`  ceiling's connections: ${describeActivity(ceilingServer)}`);
    }

    // 4. Availability, 31 days, at 1,000,000 and at 10,000 historical appointments.
    const from = localDate(new Date());
    const to = addDays(from, 30);
    let big = emptyAvailability();
    let small = emptyAvailability();
    let bigLoaded = emptyAvailability();
    if (runs('availability')) {
      // Latency: one request at a time (the cost of an answer, no queueing) …
      progress('availability, one connection (1,000,000 history rows)');
      big = await availability(a.origin, 1, bigCenter.id, serviceId, from, to, PLAN.warmupMs, PLAN.availabilityMs, meter([a.pid]));
      progress('availability, one connection (10,000 history rows)');
      small = await availability(a.origin, 1, smallCenter.id, serviceId, from, to, PLAN.warmupMs, PLAN.availabilityMs, meter([a.pid]));
      // … and throughput with several at once.
      progress(`availability, ${AVAILABILITY_CONNECTIONS} connections (1,000,000 history rows)`);
      bigLoaded = await availability(a.origin, AVAILABILITY_CONNECTIONS, bigCenter.id, serviceId, from, to, 0, PLAN.availabilityMs, meter([a.pid]));
    }

    // 5. Sign-in.
    let signInResult: SignInResult = { pairs: 0, elapsedMs: 0, request: new Recorder(new Set()), verify: new Recorder(new Set()), cpu: NO_CPU };
    if (runs('signin')) {
      progress(`sign-in: passcode request + verify, ${CONNECTIONS} connections`);
      signInResult = await signIn(a.origin, CONNECTIONS, pool, crypto, PLAN.warmupMs, PLAN.signInMs, meter([a.pid]));
    }

    // 6. Two instances on one database, the rush split between them.
    let twoResult = emptyRush();
    let peakRssWholeRunMb = a.memory().hwmMb;
    if (runs('two')) {
      progress('two instances: the rush split over two app processes');
      const b = await launch('app-b', portB);
      twoResult = await rush(pool, fixtures, rushPlan([a.origin, b.origin], PLAN.twoMinRounds, [a.pid, b.pid]));
      peakRssWholeRunMb = Math.max(a.memory().hwmMb, b.memory().hwmMb);
      await stopApp(b);
    }

    // 8. The registry import (issue 5): 100,000 lines in one file.
    let registryResult: RegistryResult = { lines: 0, status: 0, imported: 0, rejected: 0, ms: 0, cpu: NO_CPU };
    if (runs('registry')) {
      progress(`registry import: ${REGISTRY_LINES.toLocaleString('en-US')} lines`);
      registryResult = await registryImport(a.origin, await fixtures.adminSession(), REGISTRY_LINES, meter([a.pid]));
    }

    const finalAudit = await auditSlots(pool);
    const report = assemble({
      registryResult,
      loadBefore,
      server,
      rushResult,
      rushPool,
      steadyResult,
      steadyPool,
      ceilingResult,
      ceilingServer,
      big,
      small,
      bigLoaded,
      signInResult,
      twoResult,
      peakRssMb,
      peakRssWholeRunMb,
      startMs,
      firstStartMs,
      startWithDatabaseUpMs,
      finalAudit,
    });
    await stopApp(a);
    if (args.profile) progress(`CPU profiles of app-a in ${profileDir} (open in Chrome DevTools → Performance)`);

    // With --json the JSON object is the only thing on stdout; the table then goes to stderr.
    if (args.json) {
      process.stderr.write(`${renderTable(report)}\n`);
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      process.stdout.write(`${renderTable(report)}\n`);
    }
    if (!report.correct) {
      const examples = [rushResult.book, steadyResult.book, steadyResult.cancel, ceilingResult.book, signInResult.request, signInResult.verify, twoResult.book, big.requests, small.requests].flatMap((r) => r.examples);
      if (examples.length > 0) process.stderr.write(`Unexpected answers, for example:\n${examples.slice(0, 10).map((e) => `  ${e}`).join('\n')}\n`);
    }
    return report.correct ? 0 : 1;
  } finally {
    for (const app of [...apps].reverse()) await app.stop().catch(() => undefined);
    await monitor?.end().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    if (!adminUrl) stopStrayServer(join(dataDir, 'postgres'));
    if (adminUrl) {
      const admin = new Client({ connectionString: withDatabase(adminUrl, 'postgres') });
      await admin.connect().then(
        () => admin.query(`DROP DATABASE IF EXISTS ${benchDatabase} WITH (FORCE)`).finally(() => admin.end()),
        () => undefined,
      );
    }
    if (args.keep) progress(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }

  interface Parts {
    loadBefore: number[];
    server: { version: string; fsync: string; sc: string; sb: string };
    rushResult: RushResult;
    rushPool: ActivitySummary;
    steadyResult: Awaited<ReturnType<typeof steady>>;
    steadyPool: ActivitySummary;
    ceilingResult: Awaited<ReturnType<typeof runCeiling>>;
    ceilingServer: ActivitySummary;
    big: Awaited<ReturnType<typeof availability>>;
    small: Awaited<ReturnType<typeof availability>>;
    bigLoaded: Awaited<ReturnType<typeof availability>>;
    signInResult: Awaited<ReturnType<typeof signIn>>;
    twoResult: RushResult;
    registryResult: RegistryResult;
    peakRssMb: number;
    peakRssWholeRunMb: number;
    startMs: number;
    firstStartMs: number;
    startWithDatabaseUpMs: number;
    finalAudit: { slots: number; overCapacity: number; mismatched: number };
  }

  function assemble(p: Parts): BenchReport {
    const perSecond = (count: number, ms: number): number => (ms > 0 ? (count * 1000) / ms : 0);
    const steadyPerSecond = perSecond(p.steadyResult.pairs, p.steadyResult.elapsedMs);
    const ceilingPerSecond = perSecond(p.ceilingResult.pairs, p.ceilingResult.elapsedMs);
    const signInAll = new Recorder(new Set());
    signInAll.merge(p.signInResult.request);
    signInAll.merge(p.signInResult.verify);
    const cpu = cpus();
    const base: Omit<BenchReport, 'targets' | 'correct' | 'durationSeconds'> = {
      quick: args.quick,
      machine: {
        cpus: cpu.length,
        cpuModel: cpu[0]?.model.trim() ?? 'unknown',
        memoryGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        loadAverageBefore: p.loadBefore,
        loadAverageAfter: loadavg(),
        postgres: p.server.version,
        database: adminUrl ? 'DATABASE_URL' : 'embedded',
        fsync: p.server.fsync,
        synchronousCommit: p.server.sc,
        sharedBuffers: p.server.sb,
      },
      rush: {
        connections: CONNECTIONS,
        residents: RUSH.residents,
        slots: RUSH.slots,
        placesPerSlot: RUSH.capacity,
        rounds: p.rushResult.rounds,
        bookingsPerSecond: perSecond(p.rushResult.book.count(201), p.rushResult.elapsedMs),
        requestsPerSecond: perSecond(p.rushResult.book.count(), p.rushResult.elapsedMs),
        fillMs: p.rushResult.fillMs,
        p50Ms: p.rushResult.book.percentile(50),
        p95Ms: p.rushResult.book.percentile(95),
        p99Ms: p.rushResult.book.percentile(99),
        overCapacity: p.rushResult.audit.overCapacity,
        mismatchedSlots: p.rushResult.audit.mismatched,
        errors: p.rushResult.book.unexpected,
        cpuMsPerRequest: perOperation(p.rushResult.cpu, p.rushResult.book.count()),
        answers: Object.fromEntries(p.rushResult.book.statuses),
        appPool: p.rushPool,
      },
      steady: {
        connections: CONNECTIONS,
        bookingsPerSecond: steadyPerSecond,
        requestsPerSecond: perSecond(p.steadyResult.book.count() + p.steadyResult.cancel.count(), p.steadyResult.elapsedMs),
        bookP50Ms: p.steadyResult.book.percentile(50),
        bookP99Ms: p.steadyResult.book.percentile(99),
        cancelP50Ms: p.steadyResult.cancel.percentile(50),
        errors: p.steadyResult.book.unexpected + p.steadyResult.cancel.unexpected,
        cpuMsPerPair: perOperation(p.steadyResult.cpu, p.steadyResult.pairs),
        appPool: p.steadyPool,
      },
      ceiling: {
        connections: CONNECTIONS,
        bookingsPerSecond: ceilingPerSecond,
        bookP50Ms: p.ceilingResult.book.percentile(50),
        bookP99Ms: p.ceilingResult.book.percentile(99),
        errors: p.ceilingResult.book.unexpected + p.ceilingResult.cancel.unexpected,
        cpuMsPerPair: perOperation(p.ceilingResult.cpu, p.ceilingResult.pairs),
        server: p.ceilingServer,
      },
      ratio: ceilingPerSecond > 0 ? steadyPerSecond / ceilingPerSecond : 0,
      availability: {
        connections: 1,
        days: 31,
        historyRows: HISTORY.big,
        slotsAnswered: p.big.slotsAnswered,
        p50Ms: p.big.requests.percentile(50),
        p99Ms: p.big.requests.percentile(99),
        errors: p.big.requests.unexpected + p.small.requests.unexpected + p.bigLoaded.requests.unexpected,
        cpuMsPerRequest: perOperation(p.big.cpu, p.big.requests.count()),
        small: {
          historyRows: HISTORY.small,
          p50Ms: p.small.requests.percentile(50),
          p99Ms: p.small.requests.percentile(99),
        },
        loaded: {
          connections: AVAILABILITY_CONNECTIONS,
          requestsPerSecond: perSecond(p.bigLoaded.requests.count(), p.bigLoaded.elapsedMs),
          p50Ms: p.bigLoaded.requests.percentile(50),
          p99Ms: p.bigLoaded.requests.percentile(99),
        },
      },
      signIn: {
        connections: CONNECTIONS,
        pairsPerSecond: perSecond(p.signInResult.pairs, p.signInResult.elapsedMs),
        requestP50Ms: p.signInResult.request.percentile(50),
        verifyP50Ms: p.signInResult.verify.percentile(50),
        p99Ms: signInAll.percentile(99),
        errors: p.signInResult.request.unexpected + p.signInResult.verify.unexpected,
        cpuMsPerPair: perOperation(p.signInResult.cpu, p.signInResult.pairs),
      },
      twoInstances: {
        connections: CONNECTIONS,
        rounds: p.twoResult.rounds,
        bookingsPerSecond: perSecond(p.twoResult.book.count(201), p.twoResult.elapsedMs),
        requestsPerSecond: perSecond(p.twoResult.book.count(), p.twoResult.elapsedMs),
        p50Ms: p.twoResult.book.percentile(50),
        p99Ms: p.twoResult.book.percentile(99),
        overCapacity: p.twoResult.audit.overCapacity,
        mismatchedSlots: p.twoResult.audit.mismatched,
        errors: p.twoResult.book.unexpected,
        cpuMsPerRequest: perOperation(p.twoResult.cpu, p.twoResult.book.count()),
      },
      registry: {
        lines: p.registryResult.lines,
        status: p.registryResult.status,
        imported: p.registryResult.imported,
        rejected: p.registryResult.rejected,
        ms: p.registryResult.ms,
        linesPerSecond: perSecond(p.registryResult.lines, p.registryResult.ms),
        cpuMsPerThousandLines: perOperation(p.registryResult.cpu, p.registryResult.lines / 1000),
      },
      peakRssMb: p.peakRssMb,
      peakRssWholeRunMb: p.peakRssWholeRunMb,
      startMs: p.startMs,
      firstStartMs: p.firstStartMs,
      startWithDatabaseUpMs: p.startWithDatabaseUpMs,
      finalAudit: p.finalAudit,
    };
    const r = base;
    const correct =
      r.rush.overCapacity === 0 &&
      r.rush.errors === 0 &&
      r.rush.mismatchedSlots === 0 &&
      r.steady.errors === 0 &&
      r.ceiling.errors === 0 &&
      r.availability.errors === 0 &&
      r.signIn.errors === 0 &&
      r.twoInstances.overCapacity === 0 &&
      r.twoInstances.errors === 0 &&
      r.twoInstances.mismatchedSlots === 0 &&
      (!runs('registry') || (r.registry.status === 200 && r.registry.imported === r.registry.lines && r.registry.rejected === 0)) &&
      r.finalAudit.overCapacity === 0 &&
      r.finalAudit.mismatched === 0;
    return { ...base, targets: targets(base), correct, durationSeconds: process.uptime() };
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of the hot statements, for finding where the time goes. */
async function explain(pool: Pool, url: string, centerId: string, serviceId: string, resident: BenchResident, slotId: string): Promise<void> {
  const from = new Date();
  const to = new Date(Date.now() + 31 * 86_400_000);
  const metadataSource = new DataSource(dataSourceOptions(url, 1));
  await metadataSource.initialize();
  const statements = new BookingStatements(metadataSource);
  await metadataSource.destroy();
  const plans: Array<[string, string, unknown[]]> = [
    ['availability', AVAILABLE_SLOTS.text, [centerId, from, to, 'Asia/Shanghai']],
    ['session by token', 'SELECT * FROM session s LEFT JOIN staff st ON st.id = s.staff_id WHERE s.token_hash = $1', [createHashOf(resident.token)]],
    ['booking: prepare', statements.prepare.text, [resident.id, slotId, serviceId]],
    ['booking: book (rolled back)', statements.book.text, [resident.id, serviceId, slotId, new Date(), 3, 'EXPLAIN000', null, null, BENCH_BOOKING_CAP, BENCH_BOOKING_CAP, null, null]],
  ];
  const client = await pool.connect();
  try {
    for (const [name, sql, params] of plans) {
      // In a transaction rolled back: EXPLAIN ANALYZE runs the statement, and would book.
      await client.query('BEGIN');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      await client.query('ROLLBACK');
      process.stderr.write(`\n-- ${name}\n${rows.map((row) => row['QUERY PLAN']).join('\n')}\n`);
    }
  } finally {
    client.release();
  }
}

function createHashOf(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** A server on this data folder that nobody stopped (a crashed app): fast shutdown by signal. */
function stopStrayServer(pgdata: string): void {
  if (runningPort(pgdata) === undefined) return;
  try {
    const pid = Number(readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGINT');
  } catch {
    // already gone
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function describeActivity(a: ActivitySummary): string {
  const waits = Object.entries(a.waits).slice(0, 6).map(([event, share]) => `${event} ${share}%`).join(', ');
  return `${a.connections} open, busy mean ${a.busyMean} / max ${a.busyMax}; busy on: ${waits}`;
}

const NO_CPU = { appMs: 0, postgresMs: 0, loadGeneratorMs: 0 };

function emptyAvailability(): AvailabilityResult {
  return { elapsedMs: 0, requests: new Recorder(new Set()), slotsAnswered: 0, cpu: NO_CPU };
}

function emptyRush(): RushResult {
  return { rounds: 0, elapsedMs: 0, book: new Recorder(new Set()), fillMs: 0, audit: { slots: 0, overCapacity: 0, mismatched: 0 }, cpu: NO_CPU };
}

function emptyActivity(): ActivitySummary {
  return { samples: 0, connections: 0, busyMean: 0, busyMax: 0, waits: {} };
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Today at the bench centers (Asia/Shanghai), YYYY-MM-DD. */
function localDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
