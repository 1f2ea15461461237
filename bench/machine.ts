import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

function totals(): { busy: number; all: number } {
  let busy = 0;
  let all = 0;
  for (const { times } of cpus()) {
    const sum = times.user + times.nice + times.sys + times.irq + times.idle;
    all += sum;
    busy += sum - times.idle;
  }
  return { busy, all };
}

/** Share of all cores (0–1) that something else kept busy over the next `ms`. */
export async function cpuBusyShare(ms = 500): Promise<number> {
  const before = totals();
  await sleep(ms);
  const after = totals();
  const all = after.all - before.all;
  return all > 0 ? (after.busy - before.busy) / all : 0;
}

/** The machine, and a warning when something else is using the CPU as the bench starts. */
export async function describeMachine(): Promise<string> {
  const cores = cpus();
  const busy = await cpuBusyShare();
  const lines = [`node ${process.version}, ${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}; the load generator shares these cores with the servers`];
  if (busy > 0.1) lines.push(`note: other work kept ${(busy * 100).toFixed(0)}% of the CPU busy just before the run: figures will be lower and noisier`);
  return lines.join('\n');
}
