/**
 * CPU time spent by this process and each of its child processes (DynamoDB Local, the SQS emulator, the
 * load generator), read from /proc on Linux: how much CPU the local stack needs per postback, which says
 * whether two cores can carry the offered rate at all. Null where /proc is not available.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export type CpuSample = ReadonlyMap<string, number>;

function processStat(pid: string): { ppid: number; ms: number; name: string; live: boolean } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state(0) ppid(1) ... utime(11) stime(12), in clock ticks.
    return {
      ppid: Number(fields[1]),
      ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND,
      name,
      live: fields[0] !== 'Z',
    };
  } catch {
    return null;
  }
}

/** CPU ms so far: 'bench' for this process, and each child by its command name and pid. */
export function sampleCpu(): CpuSample | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  const sample = new Map<string, number>();
  const usage = process.cpuUsage();
  sample.set('bench', (usage.user + usage.system) / 1000);
  for (const pid of pids) {
    const stat = processStat(pid);
    if (stat?.live && stat.ppid === process.pid) sample.set(`${stat.name}:${pid}`, stat.ms);
  }
  return sample;
}

/** CPU ms per process between two samples (processes that ended in between are left out). */
export function cpuBetween(before: CpuSample | null, after: CpuSample | null): Map<string, number> {
  const spent = new Map<string, number>();
  if (!before || !after) return spent;
  for (const [key, ms] of after) if (before.has(key)) spent.set(key, ms - before.get(key)!);
  return spent;
}
