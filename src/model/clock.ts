/** Microseconds since the Unix epoch, for created_at with six fractional digits (the global `performance`, so the dashboard's type check reads this file too). */
export function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** An hour and a day in microseconds, the unit of every time in the store contract. */
export const HOUR_US = 3_600_000_000;
export const DAY_US = 24 * HOUR_US;
