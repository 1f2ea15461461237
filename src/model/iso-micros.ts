/**
 * Microseconds since the epoch as ISO-8601 UTC with six fractional digits and `Z`
 * (`2024-02-27T01:57:24.123456Z`), the precision Tally stores and the contract prints.
 */
export function isoFromMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const micros = us - Math.floor(us / 1_000_000) * 1_000_000;
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}
