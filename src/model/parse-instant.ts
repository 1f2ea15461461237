import { DAY_US } from './clock.js';

/** A point in time as a filter names it, and how long the unit it was written in lasts. */
export interface Instant {
  /** Microseconds since the Unix epoch. */
  us: number;
  /** 86 400 s for a date, 1 s for `…:24`, 1 ms for `…:24.123`: `to` covers the whole unit. */
  unitUs: number;
}

const UNIX_SECONDS = /^(\d{1,12})(?:\.(\d{1,6}))?$/;
// Date, then optional time (T, t or a space), fraction and offset. A space before the offset is a
// `+` that a query string decoded to a space.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+\- ]\d{2}(?::?\d{2})?)?)?$/;
/** The range of a JavaScript Date, in microseconds. */
const MAX_US = 8.64e18;

/**
 * Parses `from`/`to` values: Unix seconds (`1708999044`, `1708999044.5`) or ISO-8601 (`2024-02-27`,
 * `2024-02-27T01:57`, `2024-02-27T01:57:24.123456Z`, `…+01:00`). Without an offset the time is
 * UTC. Returns null for anything else, including impossible dates (`2024-02-30`).
 */
export function parseInstant(text: string): Instant | null {
  const unix = UNIX_SECONDS.exec(text);
  if (unix) return fromUnix(unix[1] ?? '0', unix[2]);
  const iso = ISO_8601.exec(text);
  return iso ? fromIso(iso) : null;
}

function fromUnix(seconds: string, fraction: string | undefined): Instant {
  const us = Number(seconds) * 1_000_000 + fractionUs(fraction);
  return { us, unitUs: unitOf(fraction, 1_000_000) };
}

interface IsoParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function fromIso(match: RegExpExecArray): Instant | null {
  const p = isoParts(match);
  const offsetMinutes = parseOffset(match[8]);
  if (!isValidTime(p) || offsetMinutes === null) return null;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as they are.
  date.setUTCFullYear(p.year, p.month - 1, p.day);
  date.setUTCHours(p.hour, p.minute - offsetMinutes, p.second);
  const us = date.getTime() * 1000 + fractionUs(match[7]);
  if (!Number.isFinite(us) || Math.abs(us) > MAX_US) return null;
  return { us, unitUs: isoUnit(match) };
}

function isoParts(match: RegExpExecArray): IsoParts {
  const n = (index: number): number => Number(match[index] ?? 0);
  return { year: n(1), month: n(2), day: n(3), hour: n(4), minute: n(5), second: n(6) };
}

function isValidTime(p: IsoParts): boolean {
  return isCalendarDate(p.year, p.month, p.day) && p.hour <= 23 && p.minute <= 59 && p.second <= 59;
}

/** Which part the text ended with: the day, the minute, the second or a fraction of it. */
function isoUnit(match: RegExpExecArray): number {
  if (match[4] === undefined) return DAY_US;
  if (match[6] === undefined) return 60_000_000;
  return unitOf(match[7], 1_000_000);
}

/** `Z` or none → 0; `+01:00`, `-0130`, `+05` → minutes east of UTC; out of range → null. */
function parseOffset(text: string | undefined): number | null {
  if (text === undefined || text === 'Z' || text === 'z') return 0;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) return null;
  return (text.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/** `.5` → 500 000 µs; digits past the sixth are dropped (created_at has microseconds). */
function fractionUs(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(fraction.slice(0, 6).padEnd(6, '0'));
}

function unitOf(fraction: string | undefined, wholeUs: number): number {
  return fraction === undefined ? wholeUs : 10 ** (6 - Math.min(fraction.length, 6));
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}
