import fc from 'fast-check';
import type { TelemetryFilter } from '../../src/model/filter.js';
import type { NewTelemetryRecord, TelemetryRecord } from '../../src/model/record.js';
import { recordTimeRange } from '../../src/model/record-time.js';
import { CHECK_NAMES, type CheckName, type PiracyAlert } from '../../src/model/summary.js';

/**
 * Random red-flagged and clean reports and summary filters for the piracy alerts' tests, and the
 * alerts counted from stored records in plain JavaScript: the answer every path must give.
 */

export const HOUR_US = 3_600_000_000;
export const DAY_US = 24 * HOUR_US;
/** 2024-08-05T00:00:00Z. */
export const ALERT_DAY0 = Date.UTC(2024, 7, 5) * 1000;
/** Days the random reports of one run spread over: few, so that short ranges hold some. */
export const SPAN_DAYS = 4;
/** A product no report names: a filter of two products takes today's raw query (the walk needs one). */
export const NO_REPORTS_PRODUCT = 999_999;

/** Few values, so that counts tie; a BMP character above the surrogates and one beyond U+FFFF (byte order ≠ UTF-16 order). */
export const KEYS = [null, 'K-a', 'K-b', 'K-c', 'k-A', 'ä', '\uFF5E', '\u{1F600}'] as const;
export const USERS = [null, 'alice', 'bob', 'carol', 'Dave', 'é', '\u{1F600}'] as const;

export interface RecordSpec {
  key: string | null;
  user: string | null;
  group: 'g' | 'h' | null;
  otherProduct: boolean;
  version: '1.0' | '2.0' | null;
  flagged: boolean;
  failed: boolean[];
  createdUs: number;
  lateUs: number | null;
}

/** True with probability `p` (in hundredths). */
const chance = (p: number): fc.Arbitrary<boolean> => fc.integer({ min: 0, max: 99 }).map((n) => n < p * 100);

export const recordSpec: fc.Arbitrary<RecordSpec> = fc.record({
  key: fc.constantFrom(...KEYS),
  user: fc.constantFrom(...USERS),
  group: fc.constantFrom('g' as const, 'g' as const, 'g' as const, 'h' as const, null),
  otherProduct: chance(0.1),
  version: fc.constantFrom('1.0' as const, '2.0' as const, null),
  flagged: chance(0.7),
  failed: fc.array(fc.boolean(), { minLength: CHECK_NAMES.length, maxLength: CHECK_NAMES.length }),
  createdUs: fc.integer({ min: 0, max: SPAN_DAYS * DAY_US - 1 }),
  lateUs: fc.option(fc.integer({ min: -4 * 60_000_000, max: 2 * DAY_US }), { nil: null }),
});

/** The report a spec describes, for `product` (another one when the spec says so), its times after `baseUs`. */
export function alertRecord(spec: RecordSpec, product: number, baseUs: number): NewTelemetryRecord {
  const checks = Object.fromEntries(CHECK_NAMES.map((check, i) => [check, spec.flagged && spec.failed[i] === true ? 0 : 1])) as Record<CheckName, 0 | 1>;
  const createdAt = baseUs + spec.createdUs;
  return {
    api_key_id: 1, product_id: spec.otherProduct ? product + 1 : product, user_identifier: spec.user, license_key: spec.key,
    activation_identifier: 'act', product_version: spec.version, data_type: 'numeric-single-value', data_group: spec.group,
    data: '1', numeric_data_single_value: 1, numeric_data_x: null, numeric_data_y: null, text_data: null,
    ...checks, has_red_flags: spec.flagged ? 1 : 0, blocked: 0, errors: {}, metadata: {}, client_ip: null,
    created_at_us: createdAt, reported_at_us: spec.lateUs === null ? null : createdAt - spec.lateUs,
  };
}

export interface FilterSpec {
  group: 'g' | 'h';
  /** None, a record-time range as a summary asks it (with the created_at bounds it implies), or a created_at range alone. */
  range: 'none' | 'record' | 'created';
  fromUs: number;
  lengthUs: number;
  version: '1.0' | '2.0' | undefined;
  hasRedFlags: 0 | 1 | undefined;
  top: number;
}

export const filterSpec: fc.Arbitrary<FilterSpec> = fc.record({
  group: fc.constantFrom('g' as const, 'g' as const, 'g' as const, 'h' as const),
  range: fc.constantFrom('none' as const, 'record' as const, 'record' as const, 'created' as const),
  fromUs: fc.integer({ min: -6 * HOUR_US, max: SPAN_DAYS * DAY_US }),
  // Short (hours) as often as long (up to the whole span and more).
  lengthUs: fc.oneof(fc.integer({ min: 0, max: 12 * HOUR_US }), fc.integer({ min: 0, max: (SPAN_DAYS + 1) * DAY_US })),
  version: fc.constantFrom('1.0' as const, '2.0' as const, undefined, undefined, undefined),
  hasRedFlags: fc.constantFrom(0 as const, 1 as const, undefined, undefined, undefined),
  top: fc.integer({ min: 1, max: 5 }),
});

/** The summary filter a spec describes, of `product`, its range after `baseUs`. */
export function alertFilter(spec: FilterSpec, product: number, baseUs: number): TelemetryFilter {
  const from = baseUs + spec.fromUs;
  const to = from + spec.lengthUs;
  const range = spec.range === 'record' ? recordTimeRange(from, to, 30) : spec.range === 'created' ? { fromUs: from, toUs: to } : {};
  return {
    productIds: [product], dataGroup: spec.group, ...range, productVersion: spec.version,
    flags: spec.hasRedFlags === undefined ? undefined : { has_red_flags: spec.hasRedFlags },
  };
}

/** The same filter over one more product without reports: the same answer, by the raw query. */
export function rawPathFilter(filter: TelemetryFilter): TelemetryFilter {
  return { ...filter, productIds: [...(filter.productIds ?? []), NO_REPORTS_PRODUCT] };
}

function matches(record: TelemetryRecord, filter: TelemetryFilter): boolean {
  const time = record.reported_at_us ?? record.created_at_us;
  const inside = (value: number, from: number | undefined, to: number | undefined): boolean => (from === undefined || value >= from) && (to === undefined || value <= to);
  return record.has_red_flags === 1 && (filter.productIds ?? []).includes(record.product_id ?? -1) && record.data_group === filter.dataGroup
    && (filter.productVersion === undefined || record.product_version === filter.productVersion)
    && (filter.userIdentifier === undefined || record.user_identifier === filter.userIdentifier)
    && (filter.licenseKey === undefined || record.license_key === filter.licenseKey)
    && (filter.flags?.has_red_flags === undefined || record.has_red_flags === filter.flags.has_red_flags)
    && inside(record.created_at_us, filter.fromUs, filter.toUs) && inside(time, filter.recordFromUs, filter.recordToUs);
}

/** Ties by value: NULL first, then the bytes of the UTF-8 text (what both backends do). */
function byValue(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The alerts of `records` (stored ones) under `filter`, counted here. */
export function expectedAlerts(records: readonly TelemetryRecord[], filter: TelemetryFilter, top: number): { license_keys: PiracyAlert[]; user_identifiers: PiracyAlert[] } {
  const of = (field: 'license_key' | 'user_identifier'): PiracyAlert[] => {
    const alerts = new Map<string | null, PiracyAlert>();
    for (const record of records) {
      if (!matches(record, filter)) continue;
      const time = record.reported_at_us ?? record.created_at_us;
      const value = record[field];
      const failed = Object.fromEntries(CHECK_NAMES.map((check) => [check, 0])) as Record<CheckName, number>;
      const alert = alerts.get(value) ?? { value, count: 0, failed_checks: failed, first_seen_us: time, last_seen_us: time };
      alert.count += 1;
      for (const check of CHECK_NAMES) alert.failed_checks[check] += record[check] === 0 ? 1 : 0;
      alert.first_seen_us = Math.min(alert.first_seen_us, time);
      alert.last_seen_us = Math.max(alert.last_seen_us, time);
      alerts.set(value, alert);
    }
    return [...alerts.values()].sort((a, b) => b.count - a.count || byValue(a.value, b.value)).slice(0, top);
  };
  return { license_keys: of('license_key'), user_identifiers: of('user_identifier') };
}

/** Per (product, group, kind, value), the stored red-flagged reports: what flagged_value_counts must hold, as sorted lines. */
export function expectedCounts(records: readonly TelemetryRecord[]): string[] {
  const counts = new Map<string, number>();
  for (const record of records) {
    if (record.has_red_flags !== 1 || record.product_id === null || record.data_group === null) continue;
    for (const kind of ['license_key', 'user_identifier'] as const) {
      const value = record[kind];
      if (value === null) continue;
      const key = JSON.stringify([record.product_id, record.data_group, kind, value]);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.entries()].map(([key, n]) => `${key} ${n}`).sort();
}

/** Stored counts rows as the lines expectedCounts gives. */
export function countLines(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => `${JSON.stringify([Number(r['product_id']), r['data_group'], r['kind'], r['value']])} ${Number(r['flagged'])}`).sort();
}

/** Values for walks over counts made to tie: byte order differs from UTF-16 order for the last two. */
const WALK_VALUES = ['A', 'B', 'Z-1', 'Z-10', 'Z-2', 'a', 'b', 'k', 'ä', 'é', '\uFF5E', '\u{1F600}', 'K-01', 'K-02', 'K-03', 'K-04'];

/** A value's red-flagged reports inside the walk's range and outside it (raising its stored count only). */
export interface ValueCounts {
  inside: number;
  outside: number;
}

const valueCounts: fc.Arbitrary<ValueCounts> = fc.record({ inside: fc.integer({ min: 0, max: 3 }), outside: fc.integer({ min: 0, max: 4 }) });

/** The NULL group's counts and up to 16 values', as reports of `product`, group g, the range being day 1 after `baseUs`. */
export const walkCounts: fc.Arbitrary<{ nulls: ValueCounts; values: ValueCounts[] }> = fc.record({
  nulls: valueCounts,
  values: fc.array(valueCounts, { minLength: 1, maxLength: WALK_VALUES.length, size: 'max' }),
});

export function walkRecords(counts: { nulls: ValueCounts; values: ValueCounts[] }, product: number, baseUs: number): NewTelemetryRecord[] {
  const records: NewTelemetryRecord[] = [];
  const add = (value: string | null, { inside, outside }: ValueCounts, i: number): void => {
    const spec = (createdUs: number): RecordSpec => ({
      key: value, user: value, group: 'g', otherProduct: false, version: null, flagged: true, failed: CHECK_NAMES.map((_, c) => (c + i) % 3 === 0), createdUs, lateUs: null,
    });
    for (let n = 0; n < inside; n++) records.push(alertRecord(spec(DAY_US + i * 1000 + n), product, baseUs));
    for (let n = 0; n < outside; n++) records.push(alertRecord(spec(3 * DAY_US + i * 1000 + n), product, baseUs));
  };
  add(null, counts.nulls, 99);
  counts.values.forEach((c, i) => add(WALK_VALUES[i] ?? null, c, i));
  // Stored in an order unrelated to the values'.
  return records.sort((a, b) => (a.created_at_us % 7) - (b.created_at_us % 7));
}

/** The walk's range: day 1 after `baseUs`. */
export function walkRange(product: number, baseUs: number): TelemetryFilter {
  return { productIds: [product], dataGroup: 'g', fromUs: baseUs + DAY_US, toUs: baseUs + 2 * DAY_US - 1 };
}
