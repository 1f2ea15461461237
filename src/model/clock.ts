import { performance } from 'node:perf_hooks';

/** Microseconds since the Unix epoch, for created_at with six fractional digits. */
export function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}
