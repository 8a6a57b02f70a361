/** The benchmark's one table, and the JSON object behind it. */

/** CPU ms per operation spent by the app, PostgreSQL (null: not measurable here) and the load generator. */
export interface CpuPerOperation {
  app: number;
  postgres: number | null;
  loadGenerator: number;
}

const cpuText = (c: CpuPerOperation): string => `${c.app.toFixed(2)} · ${c.postgres === null ? '–' : c.postgres.toFixed(2)} · ${c.loadGenerator.toFixed(2)}`;

export interface BenchReport {
  quick: boolean;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    loadAverageBefore: number[];
    loadAverageAfter: number[];
    postgres: string;
    database: 'embedded' | 'DATABASE_URL';
    fsync: string;
    synchronousCommit: string;
    sharedBuffers: string;
  };
  rush: {
    connections: number;
    residents: number;
    slots: number;
    placesPerSlot: number;
    rounds: number;
    bookingsPerSecond: number;
    requestsPerSecond: number;
    fillMs: number;
    p50Ms: number;
    p95Ms: number;
    p99Ms: number;
    overCapacity: number;
    mismatchedSlots: number;
    errors: number;
    cpuMsPerRequest: CpuPerOperation;
    answers: Record<string, number>;
    appPool: unknown;
  };
  steady: {
    connections: number;
    bookingsPerSecond: number;
    requestsPerSecond: number;
    bookP50Ms: number;
    bookP99Ms: number;
    cancelP50Ms: number;
    errors: number;
    cpuMsPerPair: CpuPerOperation;
    appPool: unknown;
  };
  ceiling: {
    connections: number;
    bookingsPerSecond: number;
    bookP50Ms: number;
    bookP99Ms: number;
    errors: number;
    cpuMsPerPair: CpuPerOperation;
    server: unknown;
  };
  ratio: number;
  availability: {
    /** Latency figures: one request at a time. */
    connections: number;
    days: number;
    historyRows: number;
    slotsAnswered: number;
    p50Ms: number;
    p99Ms: number;
    errors: number;
    cpuMsPerRequest: CpuPerOperation;
    small: { historyRows: number; p50Ms: number; p99Ms: number };
    /** Throughput: several connections at once (1,000,000 history rows). */
    loaded: { connections: number; requestsPerSecond: number; p50Ms: number; p99Ms: number };
  };
  signIn: {
    connections: number;
    pairsPerSecond: number;
    requestP50Ms: number;
    verifyP50Ms: number;
    p99Ms: number;
    errors: number;
    cpuMsPerPair: CpuPerOperation;
  };
  twoInstances: {
    connections: number;
    rounds: number;
    bookingsPerSecond: number;
    requestsPerSecond: number;
    p50Ms: number;
    p99Ms: number;
    overCapacity: number;
    mismatchedSlots: number;
    errors: number;
    cpuMsPerRequest: CpuPerOperation;
  };
  /** The registry import of one file of valid lines (issue 5). */
  registry: { lines: number; status: number; imported: number; rejected: number; ms: number; linesPerSecond: number; cpuMsPerThousandLines: CpuPerOperation };
  /** VmHWM of the app right after the rush (its start and the rush). */
  peakRssMb: number;
  /** VmHWM at the end, the larger of the two instances (every scenario). */
  peakRssWholeRunMb: number;
  startMs: number;
  firstStartMs: number;
  startWithDatabaseUpMs: number;
  finalAudit: { slots: number; overCapacity: number; mismatched: number };
  correct: boolean;
  targets: Record<string, { target: string; value: number; met: boolean }>;
  durationSeconds: number;
}

const round1 = (n: number): string => (Number.isFinite(n) ? (Math.round(n * 10) / 10).toLocaleString('en-US') : '–');
const whole = (n: number): string => Math.round(n).toLocaleString('en-US');

export function targets(r: Omit<BenchReport, 'targets' | 'correct' | 'durationSeconds'>): BenchReport['targets'] {
  return {
    steadyVsCeiling: { target: 'ratio ≥ 0.5', value: r.ratio, met: r.ratio >= 0.5 },
    rushP99: { target: 'rush p99 ≤ 100 ms', value: r.rush.p99Ms, met: r.rush.p99Ms <= 100 },
    availabilityP50: { target: 'availability p50 ≤ 5 ms (1M history)', value: r.availability.p50Ms, met: r.availability.p50Ms <= 5 },
    availabilityP99: { target: 'availability p99 ≤ 20 ms (1M history)', value: r.availability.p99Ms, met: r.availability.p99Ms <= 20 },
    peakRss: { target: 'peak RSS ≤ 256 MB under the rush', value: r.peakRssMb, met: r.peakRssMb <= 256 },
    start: { target: 'start → healthy ≤ 3 s', value: r.startMs, met: r.startMs <= 3000 },
    registry: { target: 'registry import of 100,000 lines ≤ 30 s', value: r.registry.ms, met: r.registry.lines >= 100_000 && r.registry.ms <= 30_000 },
  };
}

export function renderTable(r: BenchReport): string {
  const rows: Array<[string, string, string, string]> = [];
  const ok = (broken: boolean): string => (broken ? 'BROKEN' : 'ok');
  const met = (t: { met: boolean }): string => (t.met ? 'met' : 'not met');
  const T = r.targets;
  rows.push([`1 rush: ${whole(r.rush.residents)} residents, ${r.rush.slots} slots × ${r.rush.placesPerSlot}, ${r.rush.connections} conn, ${r.rush.rounds} round(s)`, 'bookings/s (201) · answers/s (201+409)', `${whole(r.rush.bookingsPerSecond)} · ${whole(r.rush.requestsPerSecond)}`, '']);
  rows.push(['', 'p50 / p95 / p99 ms', `${round1(r.rush.p50Ms)} / ${round1(r.rush.p95Ms)} / ${round1(r.rush.p99Ms)}`, `p99 ≤ 100: ${met(T.rushP99!)}`]);
  rows.push(['', 'all places taken after (ms, mean per round)', whole(r.rush.fillMs), '']);
  rows.push(['', 'places over capacity', String(r.rush.overCapacity), `must be 0: ${ok(r.rush.overCapacity > 0)}`]);
  rows.push(['', 'errors other than 409', String(r.rush.errors), `must be 0: ${ok(r.rush.errors > 0)}`]);
  rows.push(['', 'slots with booked ≠ appointments', String(r.rush.mismatchedSlots), `must be 0: ${ok(r.rush.mismatchedSlots > 0)}`]);
  rows.push(['', 'CPU ms per answer: app · PostgreSQL · load generator', cpuText(r.rush.cpuMsPerRequest), '']);
  rows.push([`2 steady: book + cancel, uncontended, ${r.steady.connections} conn`, 'bookings/s (pairs) · requests/s', `${whole(r.steady.bookingsPerSecond)} · ${whole(r.steady.requestsPerSecond)}`, '']);
  rows.push(['', 'book p50 / p99 ms · cancel p50 ms', `${round1(r.steady.bookP50Ms)} / ${round1(r.steady.bookP99Ms)} · ${round1(r.steady.cancelP50Ms)}`, `errors must be 0: ${ok(r.steady.errors > 0)} (${r.steady.errors})`]);
  rows.push(['', 'CPU ms per pair: app · PostgreSQL · load generator', cpuText(r.steady.cpuMsPerPair), '']);
  rows.push([`3 ceiling: same transactions, raw pg, ${r.ceiling.connections} conn`, 'bookings/s (pairs)', whole(r.ceiling.bookingsPerSecond), `errors must be 0: ${ok(r.ceiling.errors > 0)} (${r.ceiling.errors})`]);
  rows.push(['', 'CPU ms per pair: – · PostgreSQL · pg client', cpuText(r.ceiling.cpuMsPerPair).replace(/^[^·]*/, '– '), '']);
  rows.push(['', 'ratio = steady ÷ ceiling', r.ratio.toFixed(2), `≥ 0.5: ${met(T.steadyVsCeiling!)}`]);
  rows.push([`4 availability: ${r.availability.days} days, ${r.availability.slotsAnswered} slots answered`, `${whole(r.availability.historyRows)} history rows: p50 / p99 ms (1 conn)`, `${round1(r.availability.p50Ms)} / ${round1(r.availability.p99Ms)}`, `≤ 5 / ≤ 20: ${met(T.availabilityP50!)} / ${met(T.availabilityP99!)}`]);
  rows.push(['', `${whole(r.availability.small.historyRows)} history rows: p50 / p99 ms (1 conn)`, `${round1(r.availability.small.p50Ms)} / ${round1(r.availability.small.p99Ms)}`, '']);
  rows.push(['', `${r.availability.loaded.connections} conn: requests/s · p50 / p99 ms`, `${whole(r.availability.loaded.requestsPerSecond)} · ${round1(r.availability.loaded.p50Ms)} / ${round1(r.availability.loaded.p99Ms)}`, `errors must be 0: ${ok(r.availability.errors > 0)}`]);
  rows.push(['', 'CPU ms per request (1M): app · PostgreSQL · load generator', cpuText(r.availability.cpuMsPerRequest), '']);
  rows.push([`5 sign-in: passcode request + verify, ${r.signIn.connections} conn`, 'pairs/s', whole(r.signIn.pairsPerSecond), `errors must be 0: ${ok(r.signIn.errors > 0)} (${r.signIn.errors})`]);
  rows.push(['', 'request p50 · verify p50 · p99 ms', `${round1(r.signIn.requestP50Ms)} · ${round1(r.signIn.verifyP50Ms)} · ${round1(r.signIn.p99Ms)}`, '']);
  rows.push(['', 'CPU ms per pair: app · PostgreSQL · load generator', cpuText(r.signIn.cpuMsPerPair), '']);
  rows.push([`6 two instances: the rush, ${r.twoInstances.connections} conn split`, 'bookings/s · answers/s', `${whole(r.twoInstances.bookingsPerSecond)} · ${whole(r.twoInstances.requestsPerSecond)}`, '']);
  rows.push(['', 'p50 / p99 ms', `${round1(r.twoInstances.p50Ms)} / ${round1(r.twoInstances.p99Ms)}`, '']);
  rows.push(['', 'places over capacity · errors · booked ≠ appts', `${r.twoInstances.overCapacity} · ${r.twoInstances.errors} · ${r.twoInstances.mismatchedSlots}`, `must be 0: ${ok(r.twoInstances.overCapacity + r.twoInstances.errors + r.twoInstances.mismatchedSlots > 0)}`]);
  rows.push(['', 'CPU ms per answer: both apps · PostgreSQL · load generator', cpuText(r.twoInstances.cpuMsPerRequest), '']);
  rows.push(['7 process', 'peak RSS MB (start + rush · whole run)', `${whole(r.peakRssMb)} · ${whole(r.peakRssWholeRunMb)}`, `≤ 256 under the rush: ${met(T.peakRss!)}`]);
  rows.push(['', 'start → healthy ms (initialised data dir)', whole(r.startMs), `≤ 3000: ${met(T.start!)}`]);
  rows.push(['', 'first start (initdb + migrations) · with the database already up', `${whole(r.firstStartMs)} · ${whole(r.startWithDatabaseUpMs)}`, '']);
  rows.push(['8 registry import: one CSV file, admin', `${whole(r.registry.lines)} lines: seconds · lines/s`, `${round1(r.registry.ms / 1000)} · ${whole(r.registry.linesPerSecond)}`, `≤ 30 s: ${met(T.registry!)}`]);
  rows.push(['', 'imported · rejected (every line valid)', `${whole(r.registry.imported)} · ${whole(r.registry.rejected)}`, `all imported: ${ok(r.registry.lines > 0 && (r.registry.status !== 200 || r.registry.imported !== r.registry.lines))}`]);
  rows.push(['', 'CPU ms per 1,000 lines: app · PostgreSQL · load generator', cpuText(r.registry.cpuMsPerThousandLines), '']);
  rows.push(['end', `every slot (${whole(r.finalAudit.slots)}): over capacity · booked ≠ appts`, `${r.finalAudit.overCapacity} · ${r.finalAudit.mismatched}`, `must be 0: ${ok(r.finalAudit.overCapacity + r.finalAudit.mismatched > 0)}`]);

  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length), ['scenario', 'figure', 'value', 'target / check'][i]!.length));
  const line = (cells: string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  const m = r.machine;
  return [
    `Civic Desk benchmark (${r.quick ? 'quick' : 'full'} run, ${Math.round(r.durationSeconds)} s) — ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}`,
    `${m.postgres.split(' on ')[0]} (${m.database}), fsync=${m.fsync}, synchronous_commit=${m.synchronousCommit}, shared_buffers=${m.sharedBuffers}; load average before ${m.loadAverageBefore.map((n) => n.toFixed(2)).join(' ')}, after ${m.loadAverageAfter.map((n) => n.toFixed(2)).join(' ')}`,
    '',
    line(['scenario', 'figure', 'value', 'target / check']),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    '',
    r.correct ? 'Correctness: every check passed.' : 'Correctness: BROKEN — see the rows marked BROKEN.',
    'Speeds are reported, not asserted; targets are the ones of issue 6.',
  ].join('\n');
}
