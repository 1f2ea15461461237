import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux everywhere in practice). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system, all threads) a process has used so far; null off Linux or once it is gone. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Busy and total CPU ticks of the whole machine so far (all cores); null off Linux. */
export function machineTicks(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((sum, t) => sum + t, 0);
    // idle and iowait are the 4th and 5th.
    return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total };
  } catch {
    return null;
  }
}

/** What a process and the machine used over a stretch of time. */
export interface CpuUse {
  /** CPU seconds of the watched process. */
  processSeconds: number;
  /** Share of all cores' time the machine was busy (0–1), everything included. */
  machineBusy: number;
}

/** Starts watching; the returned function tells what was used since. Null parts when /proc is not there. */
export function watchCpu(pid: number | undefined): () => CpuUse | null {
  const process0 = pid === undefined ? null : processCpuSeconds(pid);
  const machine0 = machineTicks();
  return () => {
    const process1 = pid === undefined ? null : processCpuSeconds(pid);
    const machine1 = machineTicks();
    if (process0 === null || process1 === null || machine0 === null || machine1 === null) return null;
    const total = machine1.total - machine0.total;
    return { processSeconds: process1 - process0, machineBusy: total > 0 ? (machine1.busy - machine0.busy) / total : 0 };
  };
}
