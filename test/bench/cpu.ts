/**
 * CPU time spent by the app, by PostgreSQL and by the load generator during a phase, from
 * /proc. Unlike throughput, CPU time per operation hardly changes when other work shares the
 * machine, so it tells where the cost is even on a busy machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface CpuSplit {
  appMs: number;
  /** Null when the server is not on this machine as a process we can see (DATABASE_URL elsewhere). */
  postgresMs: number | null;
  loadGeneratorMs: number;
}

/** utime + stime of a process (with `children`: plus that of its children it has waited for), in ms; 0 when it is gone. */
function processCpuMs(pid: number, children = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * The postmaster and its children (backends, WAL writer, checkpointer, autovacuum …). A child
 * that exits moves its CPU time into the postmaster's cutime/cstime, so the sum stays whole.
 */
function postgresCpuMs(postmasterPid: number): number {
  let total = processCpuMs(postmasterPid, true);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmasterPid) total += processCpuMs(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

export function postmasterPid(pgdata: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Starts counting; `stop()` answers the CPU time spent since. */
export function cpuMeter(appPids: number[], postmaster: number | undefined): { stop(): CpuSplit } {
  const app0 = appPids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const pg0 = postmaster ? postgresCpuMs(postmaster) : 0;
  const self0 = process.cpuUsage();
  return {
    stop: () => {
      const self = process.cpuUsage(self0);
      return {
        appMs: appPids.reduce((sum, pid) => sum + processCpuMs(pid), 0) - app0,
        postgresMs: postmaster ? postgresCpuMs(postmaster) - pg0 : null,
        loadGeneratorMs: (self.user + self.system) / 1000,
      };
    },
  };
}

/** CPU ms per operation, rounded to 0.01. */
export function perOperation(split: CpuSplit, operations: number): { app: number; postgres: number | null; loadGenerator: number } {
  const per = (ms: number): number => (operations > 0 ? Math.round((100 * ms) / operations) / 100 : 0);
  return { app: per(split.appMs), postgres: split.postgresMs === null ? null : per(split.postgresMs), loadGenerator: per(split.loadGeneratorMs) };
}
