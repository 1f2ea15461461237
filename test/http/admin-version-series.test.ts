import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { VersionSeriesAnswer as AnswerType, VersionSeriesPoint } from '../../src/query/version-series.js';
import { VersionSeriesAnswer } from '../../src/http/schemas/version-series.js';
import { startTestServer, type TestServer } from './test-server.js';

/** The declared answer and the use case's type describe the same shape (checked at compile time). */
type Describes<S, T> = [S] extends [T] ? ([T] extends [S] ? true : false) : false;
const sameType: true = true as Describes<Static<typeof VersionSeriesAnswer>, AnswerType>;
void sameType;

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;
/** 2025-03-03T00:00:00Z, a Monday. */
const MONDAY = Date.UTC(2025, 2, 3) * 1000;
const RANGE = 'from=2025-03-03&to=2025-03-09';

let server: TestServer;
/** What was stored, for computing the truth here: [version, record time, value]. */
const sent: [string | null, number, number][] = [];

function single(version: string | null, atUs: number, value: number, overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord {
  return {
    api_key_id: 1, product_id: server.seed.productA, user_identifier: 'u', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
    product_version: version, data_type: 'numeric-single-value', data_group: 'startup_ms', data: String(value),
    numeric_data_single_value: value, numeric_data_x: null, numeric_data_y: null, text_data: null,
    is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1, license_active: 1,
    has_red_flags: 0, blocked: 0, errors: {}, metadata: {}, client_ip: null, created_at_us: atUs, reported_at_us: null, ...overrides,
  };
}

/** The truth from `sent`: per (bucket, version) count and nearest-rank p50/p90 (rank ⌈p·n/100⌉ of the sorted values). */
function expected(versions: readonly (string | null)[], bucketOf: (us: number) => string, fromUs: number, toUs: number): VersionSeriesPoint[] {
  const points: VersionSeriesPoint[] = [];
  for (const version of versions) {
    const groups = new Map<string, number[]>();
    for (const [v, at, value] of sent) {
      if (v !== version || at < fromUs || at > toUs) continue;
      const key = bucketOf(at);
      groups.set(key, [...(groups.get(key) ?? []), value]);
    }
    for (const [bucket, values] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const sorted = [...values].sort((a, b) => a - b);
      const at = (p: number): number => sorted[Math.ceil((p * sorted.length) / 100) - 1] ?? NaN;
      points.push({ bucket, product_version: version, count: sorted.length, p50: at(50), p90: at(90) });
    }
  }
  return points;
}

const utcDay = (us: number): string => new Date(us / 1000).toISOString().slice(0, 10);
const utcHour = (us: number): string => `${new Date(us / 1000).toISOString().slice(0, 13)}:00:00.000000Z`;

before(async () => {
  server = await startTestServer();
  const records: NewTelemetryRecord[] = [];
  const add = (version: string | null, at: number, value: number): void => {
    sent.push([version, at, value]);
    records.push(single(version, at, value));
  };
  // 1.1.0: the most reported, 3 reports a day for a week; 1.0.0 on three days; 7 more versions, 9 - i reports each on Tuesday; no version twice.
  for (let day = 0; day < 7; day += 1) for (let k = 0; k < 12; k += 1) add('1.1.0', MONDAY + day * DAY_US + k * HOUR_US + 17, 100 + ((day * 31 + k * 17) % 97) / 4);
  for (const day of [0, 2, 3]) for (let k = 0; k < 5 + day; k += 1) add('1.0.0', MONDAY + day * DAY_US + k * 2 * HOUR_US, 200 - day * 10 + k * 3.5);
  for (let i = 0; i < 7; i += 1) for (let k = 0; k < 9 - i; k += 1) add(`0.${i}`, MONDAY + DAY_US + k * 60_000_000, 10 * i + k);
  add(null, MONDAY + 3 * HOUR_US, 1);
  add(null, MONDAY + 4 * HOUR_US, 2);
  // Outside the range, or not this group's single values: never counted.
  records.push(single('1.1.0', MONDAY - 1, 9999), single('1.1.0', MONDAY + 7 * DAY_US, 9999), single('1.1.0', MONDAY, 9999, { data_group: 'other' }),
    single('1.1.0', MONDAY, 9999, { product_id: server.seed.productB }), single('1.1.0', MONDAY, 9999, { data_type: 'text', numeric_data_single_value: null, text_data: 'x' }));
  await server.store.telemetry.insertMany(records);
});
after(() => server.close());

async function versions(query: string): Promise<{ status: number; body: AnswerType & { errors?: Record<string, string[]> } }> {
  const res = await fetch(`${server.url}/admin/api/summary/versions?${query}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  const body = (await res.json()) as AnswerType & { errors?: Record<string, string[]> };
  if (res.status === 200) {
    const problems = [...Value.Errors(VersionSeriesAnswer, body)].map((e) => `${e.path}: ${e.message}`);
    assert.deepEqual(problems, [], `the answer fits its declared schema: ${JSON.stringify(body).slice(0, 300)}`);
  }
  return { status: res.status, body };
}

const END = MONDAY + 7 * DAY_US - 1;

describe('GET /admin/api/summary/versions', () => {
  it('charts the 8 most reported versions per UTC day, exact p50/p90 of each, and lists the version left out', async () => {
    const { status, body } = await versions(`product_id=${server.seed.productA}&data_group=startup_ms&${RANGE}`);
    assert.equal(status, 200);
    assert.deepEqual([body.from, body.to, body.interval, body.percentiles], ['2025-03-03T00:00:00.000000Z', '2025-03-09T23:59:59.999999Z', 'day', 'exact']);
    assert.equal(body.distinct_versions, 10);
    assert.deepEqual(body.versions.map((v) => [v.product_version, v.count]), [['1.1.0', 84], ['1.0.0', 20], ['0.0', 9], ['0.1', 8], ['0.2', 7], ['0.3', 6], ['0.4', 5], ['0.5', 4]]);
    assert.deepEqual(body.versions_left_out, [{ product_version: '0.6', count: 3 }, { product_version: null, count: 2 }]);
    assert.deepEqual(body.buckets, Array.from({ length: 7 }, (_, i) => utcDay(MONDAY + i * DAY_US)));
    assert.deepEqual(body.series, expected(body.versions.map((v) => v.product_version), utcDay, MONDAY, END));
    assert.equal(body.series.filter((p) => p.product_version === '1.1.0').length, 7);
  });

  it('charts the versions named, in their order, by hour or by week (from Monday, UTC)', async () => {
    const named = await versions(`product_id=${server.seed.productA}&data_group=startup_ms&${RANGE}&versions=1.0.0, 0.6 ,9.9.9,1.0.0&interval=week`);
    assert.equal(named.status, 200);
    assert.deepEqual(named.body.versions, [{ product_version: '1.0.0', count: 20 }, { product_version: '0.6', count: 3 }, { product_version: '9.9.9', count: 0 }]);
    assert.deepEqual(named.body.buckets, ['2025-03-03']);
    assert.deepEqual(named.body.series, expected(['1.0.0', '0.6'], () => '2025-03-03', MONDAY, END));
    assert.equal(named.body.versions_left_out[0]?.product_version, '1.1.0');
    const hours = await versions(`product_id=${server.seed.productA}&data_group=startup_ms&from=2025-03-05T00:00:00Z&to=2025-03-05T11:59:59Z&interval=hour&versions=1.0.0,1.1.0`);
    assert.equal(hours.status, 200);
    assert.deepEqual(hours.body.buckets, Array.from({ length: 12 }, (_, i) => utcHour(MONDAY + 2 * DAY_US + i * HOUR_US)));
    const from = MONDAY + 2 * DAY_US;
    assert.deepEqual(hours.body.series, expected(['1.0.0', '1.1.0'], utcHour, from, from + 12 * HOUR_US - 1));
    assert.ok(hours.body.series.length > 12);
  });

  it('answers an empty series for a group without single values', async () => {
    const { status, body } = await versions(`product_id=${server.seed.productA}&data_group=nothing&${RANGE}`);
    assert.deepEqual([status, body.distinct_versions, body.versions, body.versions_left_out, body.series, body.buckets.length], [200, 0, [], [], [], 7]);
  });

  it('refuses bad parameters with a 400 that names each field', async () => {
    const base = `product_id=${server.seed.productA}&data_group=startup_ms`;
    const cases: [string, string][] = [
      [`${base}&interval=month`, 'interval'],
      [`${base}&interval=hour&from=2025-01-01&to=2025-03-01`, 'interval'],
      [`${base}&versions=1.0.0,,1.1.0`, 'versions'],
      [`${base}&versions=${Array.from({ length: 9 }, (_, i) => `v${i}`).join(',')}`, 'versions'],
      [`${base}&from=2025-03-09&to=2025-03-03`, 'to'],
      [`${base}&from=yesterday`, 'from'],
      [`product_id=0&data_group=startup_ms`, 'product_id'],
      [`product_id=${server.seed.productA}`, 'data_group'],
      [`${base}&product_version=1.0.0`, 'product_version'],
    ];
    for (const [query, field] of cases) {
      const { status, body } = await versions(query);
      assert.equal(status, 400, query);
      assert.ok(body.errors?.[field] !== undefined, `${query}: ${JSON.stringify(body)}`);
    }
    const eight = await versions(`${base}&${RANGE}&versions=${Array.from({ length: 8 }, (_, i) => `v${i}`).join(',')},v0`);
    assert.equal(eight.status, 200, 'eight distinct versions, one named twice');
    const weeks = await versions(`${base}&interval=week&from=2020-01-01&to=2025-03-01`);
    assert.equal(weeks.status, 200, 'five years of weeks fit');
  });

  it('is behind the admin token', async () => {
    const res = await fetch(`${server.url}/admin/api/summary/versions?product_id=1&data_group=g`);
    assert.equal(res.status, 401);
  });
});
