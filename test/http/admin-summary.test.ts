import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SummaryAnswer } from '../../src/query/summary-answer.js';
import type { TelemetryRecord } from '../../src/model/record.js';
import { form, post, startTestServer, type TestServer } from './test-server.js';

/** A report as the test sends it: who sent it, and whether ingest must flag it. */
interface Sender {
  license_key: string;
  user_identifier: string;
  product_version: string;
  /** The checks that must fail for this sender (none = clean). */
  fails: string[];
}

const ALICE: Sender = { license_key: 'LIC-ACTIVE', user_identifier: 'alice', product_version: '1.0.1', fails: [] };
const PIRATE: Sender = { license_key: 'MADE-UP-KEY', user_identifier: 'pirate-1', product_version: '1.0.1', fails: ['license_key_exists', 'activation_exists', 'license_active'] };
const BOB_BLOCKED: Sender = { license_key: 'LIC-BLOCKED', user_identifier: 'bob', product_version: '1.1.0', fails: ['license_active'] };
const ALICE_UNRELEASED: Sender = { ...ALICE, product_version: '9.9.9', fails: ['product_version_exists'] };
const SENDERS = [ALICE, PIRATE, ALICE, BOB_BLOCKED, ALICE, ALICE_UNRELEASED, PIRATE];

const VALUES = Array.from({ length: 57 }, (_, i) => ((i * 37) % 101) / 4 - 5).concat([0, 0, 19.5, -5]);
const CURVE = Array.from({ length: 60 }, (_, x) => ({ x, y: x === 41 ? 500 : Math.round(Math.cos(x / 6) * 40) }));
const SCREENS = ['home', 'home', 'settings', 'home', 'about', 'ünïcode ✓', 'settings', 'home', 'ünïcode ✓', 'home', 'help'];

let server: TestServer;
let sentAt: { startUs: number; endUs: number };

async function send(fields: Record<string, string>, sender: Sender = ALICE, productId = server.seed.productA): Promise<void> {
  const { license_key, user_identifier, product_version } = sender;
  const body = { api_key: server.seed.keys.full, product_id: String(productId), activation_identifier: 'act-1', license_key, user_identifier, product_version, ...fields };
  const answer = await post(`${server.url}/api/v1/send-telemetry-data`, form(body), 'application/x-www-form-urlencoded');
  assert.equal(answer.response.code, 830, JSON.stringify(answer.response));
}

async function sendAll(): Promise<void> {
  for (const [i, v] of VALUES.entries()) await send({ data_type: 'numeric-single-value', data_group: 'latency', numeric_data_single_value: String(v) }, SENDERS[i % SENDERS.length]);
  for (const { x, y } of CURVE) await send({ data_type: 'numeric-xy-axis', data_group: 'curve', numeric_data_x: String(x), numeric_data_y: String(y) });
  for (const t of SCREENS) await send({ data_type: 'text', data_group: 'screens', text_data: t });
  // Neither another product's records nor another group's may count.
  await send({ data_type: 'numeric-single-value', data_group: 'latency', numeric_data_single_value: '1e6' }, { ...ALICE, license_key: 'LIC-B' }, server.seed.productB);
  await send({ data_type: 'numeric-single-value', data_group: 'latency-2', numeric_data_single_value: '-1e6' });
}

before(async () => {
  server = await startTestServer();
  const startUs = Date.now() * 1000;
  await sendAll();
  sentAt = { startUs, endUs: Date.now() * 1000 + 1000 };
});
after(() => server.close());

async function summary(query: string): Promise<{ status: number; body: SummaryAnswer & { error?: string; errors?: Record<string, string[]> } }> {
  const res = await fetch(`${server.url}/admin/api/summary?${query}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  return { status: res.status, body: (await res.json()) as SummaryAnswer & { error?: string; errors?: Record<string, string[]> } };
}

const of = (group: string): string => `product_id=${server.seed.productA}&data_group=${group}`;

async function storedRecords(group: string): Promise<TelemetryRecord[]> {
  const all = await server.store.telemetry.list({ limit: 10_000 });
  return all.filter((r) => r.product_id === server.seed.productA && r.data_group === group);
}

/** The test's own ISO formatting: UTC, six fractional digits, Z. */
function iso(us: number): string {
  return `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${String(us % 1_000_000).padStart(6, '0')}Z`;
}

describe('GET /admin/api/summary: numbers the test computes itself', () => {
  it('gives count, min, max, mean and exact percentiles of the single values sent, with percentiles=exact', async () => {
    const { status, body } = await summary(`${of('latency')}&percentiles=exact`);
    assert.equal(status, 200);
    const sorted = [...VALUES].sort((a, b) => a - b);
    const rank = (p: number): number | undefined => sorted[Math.ceil((p / 100) * sorted.length) - 1];
    const { mean, count, min, max, p50, p90, p99, percentiles } = body.numeric;
    assert.deepEqual({ count, min, max, p50, p90, p99, percentiles }, {
      count: VALUES.length, min: sorted[0], max: sorted.at(-1), p50: rank(50), p90: rank(90), p99: rank(99), percentiles: 'exact',
    });
    assert.ok(Math.abs((mean ?? NaN) - VALUES.reduce((a, b) => a + b, 0) / VALUES.length) < 1e-9);
  });

  it('by default answers from the rollups: count, min, max and mean exact, percentiles within 1 %, and says so', async () => {
    const { status, body } = await summary(of('latency'));
    assert.equal(status, 200);
    const sorted = [...VALUES].sort((a, b) => a - b);
    const rank = (p: number): number => sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? NaN;
    const { mean, count, min, max, p50, p90, p99, percentiles, histogram } = body.numeric;
    assert.deepEqual({ count, min, max, percentiles }, { count: VALUES.length, min: sorted[0], max: sorted.at(-1), percentiles: 'sketch ±1%' });
    assert.ok(Math.abs((mean ?? NaN) - VALUES.reduce((a, b) => a + b, 0) / VALUES.length) < 1e-9);
    for (const [got, p] of [[p50, 50], [p90, 90], [p99, 99]] as const) assert.ok(Math.abs((got ?? NaN) - rank(p)) <= 0.01 * Math.abs(rank(p)), `p${p}: ${got} vs ${rank(p)}`);
    assert.equal(histogram.reduce((sum, b) => sum + b.count, 0), VALUES.length);
  });

  it('gives a histogram on round bins (about 20 asked) whose counts are the values in each bin, with percentiles=exact', async () => {
    const { body } = await summary(`${of('latency')}&percentiles=exact`);
    const [min, max] = [Math.min(...VALUES), Math.max(...VALUES)];
    assert.deepEqual([min, max], [-5, 20]);
    // (20 - -5) / 20 = 1.25 → the round width 2, from the even number at or below -5, until a bin holds 20.
    const expected = Array.from({ length: 14 }, (_, i) => {
      const from = -6 + 2 * i;
      return { from, to: from + 2, count: VALUES.filter((v) => v >= from && v < from + 2).length };
    });
    assert.deepEqual(body.numeric.histogram, expected);
    assert.equal(expected.reduce((sum, b) => sum + b.count, 0), VALUES.length);
  });

  it('returns every xy point ordered by x when there are at most `points`', async () => {
    const { body } = await summary(of('curve'));
    assert.equal(body.xy.count, CURVE.length);
    assert.equal(body.xy.downsampling, 'none');
    assert.deepEqual(body.xy.points.map(({ x, y }) => ({ x, y })), CURVE);
    for (const p of body.xy.points) assert.match(p.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });

  it('downsamples xy points to at most `points`, keeping the spike, by min/max per x bucket', async () => {
    const { body } = await summary(`${of('curve')}&points=10`);
    assert.equal(body.xy.downsampling, 'min-max');
    assert.equal(body.xy.count, CURVE.length);
    assert.ok(body.xy.points.length <= 10, `${body.xy.points.length} points`);
    assert.ok(body.xy.points.some((p) => p.x === 41 && p.y === 500), 'the spike survives');
    assert.ok(body.xy.points.some((p) => p.y === Math.min(...CURVE.map((c) => c.y))), 'the lowest point survives');
    for (const p of body.xy.points) assert.equal(p.y, CURVE[p.x]?.y);
  });

  it('ranks text values by how often they were sent', async () => {
    const { body } = await summary(`${of('screens')}&top=3`);
    const counts = new Map<string, number>();
    for (const t of SCREENS) counts.set(t, (counts.get(t) ?? 0) + 1);
    const expected = [...counts].map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, 3);
    assert.deepEqual(body.text, { count: SCREENS.length, top: expected });
  });
});

describe('GET /admin/api/summary: days and piracy alerts', () => {
  it('counts clean and flagged records per UTC day', async () => {
    const { body } = await summary(of('latency'));
    const expected = new Map<string, { clean: number; flagged: number }>();
    for (const [i, r] of (await storedRecords('latency')).entries()) {
      const day = iso(r.created_at_us).slice(0, 10);
      const entry = expected.get(day) ?? { clean: 0, flagged: 0 };
      if ((SENDERS[i % SENDERS.length]?.fails.length ?? 0) > 0) entry.flagged++;
      else entry.clean++;
      expected.set(day, entry);
    }
    assert.deepEqual(body.days, [...expected].map(([day, c]) => ({ day, ...c })));
    assert.equal(body.total, VALUES.length);
  });

  it('lists the license keys and users with red-flagged reports, which checks failed, first and last seen', async () => {
    const { body } = await summary(of('latency'));
    const stored = await storedRecords('latency');
    const expected = (key: 'license_key' | 'user_identifier') => expectedAlerts(key, stored);
    assert.deepEqual(body.piracy_alerts.license_keys, expected('license_key'));
    assert.deepEqual(body.piracy_alerts.user_identifiers, expected('user_identifier'));
    assert.equal(body.piracy_alerts.license_keys[0]?.['license_key'], 'MADE-UP-KEY');
  });
});

/** The alerts the test expects, from what it sent (who, which checks must fail) and when it was stored. */
function expectedAlerts(key: 'license_key' | 'user_identifier', stored: readonly TelemetryRecord[]): Record<string, unknown>[] {
  const checks = ['is_correct_format', 'product_exists', 'license_key_exists', 'product_version_exists', 'activation_exists', 'license_active'];
  const byValue = new Map<string, { count: number; failed: Record<string, number>; first: number; last: number }>();
  for (const [i, record] of stored.entries()) {
    const sender = SENDERS[i % SENDERS.length] as Sender;
    if (sender.fails.length === 0) continue;
    const entry = byValue.get(sender[key]) ?? { count: 0, failed: Object.fromEntries(checks.map((c) => [c, 0])), first: Infinity, last: -Infinity };
    entry.count++;
    for (const check of sender.fails) entry.failed[check] = (entry.failed[check] ?? 0) + 1;
    entry.first = Math.min(entry.first, record.created_at_us);
    entry.last = Math.max(entry.last, record.created_at_us);
    byValue.set(sender[key], entry);
  }
  return [...byValue]
    .sort(([a, x], [b, y]) => y.count - x.count || (a < b ? -1 : 1))
    .map(([value, e]) => ({ [key]: value, count: e.count, failed_checks: e.failed, first_seen: iso(e.first), last_seen: iso(e.last) }));
}

describe('GET /admin/api/summary: range and filters', () => {
  it('covers the last 30 days by default and says which range it covered', async () => {
    const { body } = await summary(of('latency'));
    const span = Date.parse(body.to) - Date.parse(body.from);
    assert.equal(span, 30 * 86_400_000);
    assert.match(body.from, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });

  it('takes from and to as Unix seconds or ISO-8601, and counts nothing outside them', async () => {
    const before = Math.floor(sentAt.startUs / 1e6) - 3600;
    const empty = await summary(`${of('latency')}&from=${before - 60}&to=${before}`);
    assert.equal(empty.status, 200);
    assert.deepEqual([empty.body.total, empty.body.numeric.count, empty.body.days.length], [0, 0, 0]);
    const all = await summary(`${of('latency')}&from=${new Date(sentAt.startUs / 1000 - 1000).toISOString()}&to=${new Date(sentAt.endUs / 1000).toISOString()}`);
    assert.equal(all.body.numeric.count, VALUES.length);
  });

  it('summarizes only clean or only flagged records on request', async () => {
    const flagged = VALUES.filter((_, i) => (SENDERS[i % SENDERS.length]?.fails.length ?? 0) > 0);
    const { body } = await summary(`${of('latency')}&has_red_flags=1`);
    assert.equal(body.numeric.count, flagged.length);
    assert.equal(body.numeric.max, Math.max(...flagged));
    const clean = await summary(`${of('latency')}&has_red_flags=0`);
    assert.equal(clean.body.numeric.count, VALUES.length - flagged.length);
    assert.deepEqual(clean.body.piracy_alerts, { license_keys: [], user_identifiers: [] });
  });

  it('takes has_red_flags as true and false too (the SDKs\' words)', async () => {
    const flagged = VALUES.filter((_, i) => (SENDERS[i % SENDERS.length]?.fails.length ?? 0) > 0);
    assert.equal((await summary(`${of('latency')}&has_red_flags=true`)).body.numeric.count, flagged.length);
    assert.equal((await summary(`${of('latency')}&has_red_flags=false`)).body.numeric.count, VALUES.length - flagged.length);
  });

  it('summarizes one product version on request', async () => {
    const { body } = await summary(`${of('latency')}&product_version=1.1.0`);
    assert.equal(body.numeric.count, VALUES.filter((_, i) => SENDERS[i % SENDERS.length] === BOB_BLOCKED).length);
  });

  it('keeps the last value of a repeated parameter, like the rest of the API', async () => {
    const { status, body } = await summary(`product_id=${server.seed.productA}&data_group=nothing-here&data_group=latency`);
    assert.equal(status, 200);
    assert.equal(body.numeric.count, VALUES.length);
  });

  it('answers a product that has no records with an empty summary', async () => {
    const { status, body } = await summary('product_id=999&data_group=latency');
    assert.equal(status, 200);
    assert.deepEqual([body.total, body.numeric.count, body.xy.points.length, body.text.top.length], [0, 0, 0, 0]);
  });
});

describe('GET /admin/api/summary: bad parameters', () => {
  const cases: [string, string, Record<string, string[]>][] = [
    ['nothing', '', { product_id: ['The product id field is required.'], data_group: ['The data group field is required.'] }],
    ['a product id that is not a positive integer', 'product_id=abc&data_group=g', { product_id: ['The product id field must be a positive integer.'] }],
    ['a date that is neither ISO-8601 nor Unix seconds', 'product_id=1&data_group=g&from=yesterday', { from: ['The from field must be an ISO-8601 date or Unix seconds.'] }],
    ['a day that does not exist', 'product_id=1&data_group=g&to=2024-02-30', { to: ['The to field must be an ISO-8601 date or Unix seconds.'] }],
    ['to before from', 'product_id=1&data_group=g&from=2024-03-01&to=2024-02-01', { to: ['The to field must be a date after or equal to from.'] }],
    ['out-of-range sizes', 'product_id=1&data_group=g&buckets=0&points=1&top=101', {
      buckets: ['The buckets field must be an integer between 1 and 100.'],
      points: ['The points field must be an integer between 2 and 10000.'],
      top: ['The top field must be an integer between 1 and 100.'],
    }],
    ['a parameter sent as an array', 'product_id=1&data_group[]=a', { data_group: ['The data group field must be a string.'] }],
    ['a flag that is not 1, 0, true or false', 'product_id=1&data_group=g&has_red_flags=yes', { has_red_flags: ['The has red flags field must be 1, 0, true or false.'] }],
    ['an unknown parameter', 'product_id=1&data_group=g&form=2024-01-01', { form: ['The form parameter is not supported.'] }],
  ];
  for (const [name, query, errors] of cases) {
    it(`answers 400 with a message per field for ${name}`, async () => {
      const { status, body } = await summary(query);
      assert.equal(status, 400);
      assert.equal(typeof body.error, 'string');
      assert.deepEqual(body.errors, errors);
    });
  }
});
