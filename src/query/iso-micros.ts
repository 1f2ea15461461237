/** The record time format lives with the shapes (src/model/iso-micros.ts), so the registry can use it too. */
export { isoFromMicros } from '../model/iso-micros.js';

/** The UTC calendar day (`YYYY-MM-DD`) that a microsecond timestamp falls on. */
export function utcDayFromMicros(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().slice(0, 10);
}
