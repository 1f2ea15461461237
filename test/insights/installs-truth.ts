import type { InstallsBy, InstallsCounts, InstallsInterval, InstallsRequest, InstallsSeriesRow } from '../../src/model/installs.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';

/**
 * What `TelemetryStore.installs` must answer, computed in plain TypeScript from the records as
 * stored (in id order), with JavaScript dates, sets and sorts: none of the SQL under test.
 */

/** The truth is asked exactly what the store is. */
export type TruthRequest = Omit<InstallsRequest, 'distinct'>;

/** The record time: the client's reported_at when the record has one, else created_at. */
export const recordTime = (record: NewTelemetryRecord): number => record.reported_at_us ?? record.created_at_us;

export function bucketOf(us: number, interval: InstallsInterval): string {
  const date = new Date(Math.floor(us / 1000));
  if (interval === 'month') return date.toISOString().slice(0, 7);
  if (interval === 'day') return date.toISOString().slice(0, 10);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - sinceMonday)).toISOString().slice(0, 10);
}

const chars = (text: string, most: number): string => Array.from(text).slice(0, most).join('');

export function keyOf(record: NewTelemetryRecord, by: InstallsBy): string {
  if (by === 'none') return 'all';
  if (by === 'version') return record.product_version === null || record.product_version === '' ? 'unknown' : chars(record.product_version, 255);
  const os: unknown = record.metadata['os'];
  if (typeof os !== 'string') return 'unknown';
  const read = chars(os.replaceAll('\u0000', '\uFFFD').replace(/^ +| +$/g, ''), 64);
  return read === '' ? 'unknown' : read;
}

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The keys named: most distinct machines in range first, ties in byte order; the first maxKeys. */
function namedKeys(inRange: readonly NewTelemetryRecord[], request: TruthRequest): Set<string> | null {
  if (request.by === 'none') return null;
  const machines = new Map<string, Set<string>>();
  for (const record of inRange) {
    const key = keyOf(record, request.by);
    const set = machines.get(key) ?? new Set<string>();
    if (record.activation_identifier !== null) set.add(record.activation_identifier);
    machines.set(key, set);
  }
  const ranked = [...machines].sort(([ka, a], [kb, b]) => b.size - a.size || byteOrder(ka, kb));
  return new Set(ranked.slice(0, request.maxKeys).map(([key]) => key));
}

interface Cell {
  bucket: string;
  key: string;
  machines: Set<string>;
  users: Set<string>;
  fresh: number;
}

/** The answer's counts; series ordered by bucket, then key in code-unit order, "other" last. */
export function installsTruth(records: readonly NewTelemetryRecord[], request: TruthRequest): InstallsCounts {
  const ofProduct = records.filter((r) => r.product_id === request.productId);
  const inRange = ofProduct.filter((r) => recordTime(r) >= request.fromUs && recordTime(r) <= request.toUs);
  const named = namedKeys(inRange, request);
  const fold = (key: string): string => (named === null || named.has(key) ? key : 'other');
  const cells = new Map<string, Cell>();
  const cellOf = (record: NewTelemetryRecord): Cell => {
    const bucket = bucketOf(recordTime(record), request.interval);
    const key = fold(keyOf(record, request.by));
    const id = `${bucket}\u0001${key}`;
    const cell = cells.get(id) ?? { bucket, key, machines: new Set(), users: new Set(), fresh: 0 };
    cells.set(id, cell);
    return cell;
  };
  for (const record of inRange) {
    const cell = cellOf(record);
    if (record.activation_identifier !== null) cell.machines.add(record.activation_identifier);
    if (record.user_identifier !== null) cell.users.add(record.user_identifier);
  }
  for (const first of firstReports(ofProduct).values()) {
    if (recordTime(first) >= request.fromUs && recordTime(first) <= request.toUs) cellOf(first).fresh++;
  }
  const series: InstallsSeriesRow[] = [...cells.values()].map((c) => ({ bucket: c.bucket, key: c.key, machines: c.machines.size, users: c.users.size, new_machines: c.fresh }));
  return {
    totals: {
      machines: new Set(inRange.flatMap((r) => (r.activation_identifier === null ? [] : [r.activation_identifier]))).size,
      users: new Set(inRange.flatMap((r) => (r.user_identifier === null ? [] : [r.user_identifier]))).size,
    },
    series: sortSeries(series),
  };
}

/** Each machine's first report: earliest record time, the one stored first on a tie. */
function firstReports(records: readonly NewTelemetryRecord[]): Map<string, NewTelemetryRecord> {
  const firsts = new Map<string, NewTelemetryRecord>();
  for (const record of records) {
    if (record.activation_identifier === null) continue;
    const seen = firsts.get(record.activation_identifier);
    if (seen === undefined || recordTime(record) < recordTime(seen)) firsts.set(record.activation_identifier, record);
  }
  return firsts;
}

export function sortSeries(series: readonly InstallsSeriesRow[]): InstallsSeriesRow[] {
  const rank = (key: string): [number, string] => [key === 'other' ? 1 : 0, key];
  return [...series].sort((a, b) => {
    if (a.bucket !== b.bucket) return a.bucket < b.bucket ? -1 : 1;
    const [ra, ka] = rank(a.key);
    const [rb, kb] = rank(b.key);
    if (ra !== rb) return ra - rb;
    return ka === kb ? 0 : ka < kb ? -1 : 1;
  });
}
