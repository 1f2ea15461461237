import type { TelemetryFilter } from '../../model/filter.js';
import { FLAG_NAMES } from '../../model/record.js';

/**
 * A record has red flags exactly when one of the other six flags is 0 (CONTRACT §3, computed in
 * telemetry/flags.ts). So asking for any of them = 0 also means `has_red_flags = 1`, and saying
 * so lets a backend narrow the scan to its partial index of red-flagged records.
 */
export function impliesRedFlags(flags: TelemetryFilter['flags']): boolean {
  if (flags === undefined || flags.has_red_flags !== undefined) return false;
  return FLAG_NAMES.some((name) => flags[name] === 0);
}
