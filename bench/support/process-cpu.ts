/**
 * CPU time of the processes a benchmark involves, read from Linux's /proc (user + system, in ms),
 * to tell which of them a measured rate is spent in. Elsewhere every reading is empty.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** /proc reports CPU time in clock ticks; Linux's USER_HZ is 100 on every common build. */
const MS_PER_TICK = 10;

/** CPU ms of one process so far; undefined when it is gone or /proc is missing. */
function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return undefined;
  }
}

/** Pids of every process whose command name is `name` (e.g. every PostgreSQL backend). */
function pidsNamed(name: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** Which processes make up each group: fixed pids, or every process of a command name. */
export type CpuGroups = Readonly<Record<string, { readonly pids?: readonly number[]; readonly named?: string }>>;

/** CPU ms per pid of every group, now. */
export type CpuReading = ReadonlyMap<number, number>;

export function readCpu(groups: CpuGroups): Map<string, CpuReading> {
  const reading = new Map<string, CpuReading>();
  for (const [group, { pids, named }] of Object.entries(groups)) {
    const byPid = new Map<number, number>();
    for (const pid of [...(pids ?? []), ...(named ? pidsNamed(named) : [])]) {
      const ms = cpuMsOf(pid);
      if (ms !== undefined) byPid.set(pid, ms);
    }
    reading.set(group, byPid);
  }
  return reading;
}

/**
 * CPU ms each group used between two readings. A process that started meanwhile counts from zero;
 * one that exited meanwhile is left out (its last share is unknown).
 */
export function cpuBetween(before: Map<string, CpuReading>, after: Map<string, CpuReading>): Record<string, number> {
  const used: Record<string, number> = {};
  for (const [group, byPid] of after) {
    let total = 0;
    for (const [pid, ms] of byPid) total += ms - (before.get(group)?.get(pid) ?? 0);
    used[group] = total;
  }
  return used;
}
