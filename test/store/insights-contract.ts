import assert from 'node:assert/strict';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { Store } from '../../src/store/contract/store.js';
import { licenseInsights, userInsights, type InsightsParams, type LicenseInsight } from '../../src/query/insights.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const DAY_US = 86_400_000_000;
const NOW = Date.UTC(2026, 5, 15, 12) * 1000;
const CLEAN = { is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1, license_active: 1, has_red_flags: 0 } as const;

function report(productId: number, overrides: Partial<NewTelemetryRecord>): NewTelemetryRecord {
  return {
    api_key_id: 1, product_id: productId, user_identifier: 'u1', license_key: 'LIC-A', activation_identifier: 'm1', product_version: '1.0.0',
    data_type: 'numeric-single-value', data_group: 'g', data: '1', numeric_data_single_value: 1, numeric_data_x: null, numeric_data_y: null,
    text_data: null, ...CLEAN, blocked: 0, errors: {}, metadata: {}, client_ip: '10.0.1.5', created_at_us: NOW - DAY_US + 1000, reported_at_us: null, ...overrides,
  };
}

/**
 * The ground truth: LIC-A (2 seats) on 3 machines from 2 IPv4 networks, LIC-B (no seats) on one
 * machine from an IPv6 /48 and a mapped IPv4, LIC-C with format errors only (a client bug),
 * LIC-D with a format error and a piracy flag, FAKE-1 unregistered on 2 machines, LIC-BLOCKED
 * (blocked in the registry), lic-listed (on the blocklist, in another case); records outside the
 * window, without a product or without a key, which no row counts.
 */
async function fleet(store: Store): Promise<{ p: number; q: number }> {
  const p = (await store.registry.createProduct({ name: 'P', versions: ['1.0.0'] })).id;
  const q = (await store.registry.createProduct({ name: 'Q', versions: [] })).id;
  await store.registry.createLicense({ product_id: p, key: 'LIC-A', status: 'active', expires_at: null, max_activations: 2 });
  await store.registry.importLicenses([
    { product_id: p, key: 'LIC-B', status: 'active', expires_at: null },
    { product_id: p, key: 'LIC-C', status: 'active', expires_at: null, max_activations: null },
    { product_id: p, key: 'LIC-D', status: 'active', expires_at: null, max_activations: 5 },
    { product_id: p, key: 'LIC-BLOCKED', status: 'blocked', expires_at: null },
    { product_id: p, key: 'LIC-LISTED', status: 'active', expires_at: null },
  ]);
  await store.blocklist.add({ kind: 'license_key', value: 'lic-listed', product_id: null, reason: null, ignore_case: true });
  await store.blocklist.add({ kind: 'user_identifier', value: 'u-multi', product_id: p, reason: null, ignore_case: false });
  const r = (overrides: Partial<NewTelemetryRecord>): NewTelemetryRecord => report(p, overrides);
  await store.telemetry.insertMany([
    r({ activation_identifier: 'm1', user_identifier: 'u1', client_ip: '10.0.1.5', product_version: '1.10.0', created_at_us: NOW - 20 * DAY_US }),
    r({ activation_identifier: 'm2', user_identifier: 'u1', client_ip: '10.0.1.9', product_version: '1.2.0' }),
    r({ activation_identifier: 'm3', user_identifier: 'u-multi', client_ip: '10.0.2.1', created_at_us: NOW - 2 }),
    r({ activation_identifier: 'm3', user_identifier: 'u-multi', client_ip: null }),
    r({ activation_identifier: 'm9', created_at_us: NOW - 31 * DAY_US }),
    r({ license_key: 'LIC-B', activation_identifier: 'b1', user_identifier: 'u-multi', client_ip: '2001:db8:1:2::1' }),
    r({ license_key: 'LIC-B', activation_identifier: 'b1', user_identifier: 'u-multi', client_ip: '2001:DB8:1:ffff::5' }),
    r({ license_key: 'LIC-B', activation_identifier: 'b1', user_identifier: 'u-multi', client_ip: '::ffff:10.0.1.7' }),
    r({ license_key: 'LIC-B', activation_identifier: 'b1', user_identifier: 'u-multi', client_ip: 'not-an-ip' }),
    r({ license_key: 'LIC-C', activation_identifier: 'c1', user_identifier: 'uc', is_correct_format: 0, has_red_flags: 1, product_version: null }),
    r({ license_key: 'LIC-C', activation_identifier: 'c1', user_identifier: 'uc', is_correct_format: 0, has_red_flags: 1 }),
    r({ license_key: 'LIC-C', activation_identifier: 'c1', user_identifier: 'uc' }),
    r({ license_key: 'LIC-D', activation_identifier: 'd1', user_identifier: 'ud', is_correct_format: 0, product_version_exists: 0, has_red_flags: 1, product_version: '9.9.9' }),
    r({ license_key: 'FAKE-1', activation_identifier: 'f1', user_identifier: 'uf', license_key_exists: 0, activation_exists: 0, has_red_flags: 1 }),
    r({ license_key: 'FAKE-1', activation_identifier: 'f2', user_identifier: 'uf', license_key_exists: 0, activation_exists: 0, has_red_flags: 1 }),
    r({ license_key: 'LIC-BLOCKED', activation_identifier: 'x1', user_identifier: 'ux', license_active: 0, has_red_flags: 1 }),
    r({ license_key: 'LIC-LISTED', activation_identifier: 'l1', user_identifier: 'ul' }),
    r({ license_key: null, activation_identifier: 'n1' }),
    report(q, { product_id: null, license_key: 'LIC-A', activation_identifier: 'n2' }),
    report(q, { license_key: 'LIC-A', activation_identifier: 'q1', user_identifier: 'uq' }),
  ]);
  return { p, q };
}

const params = (overrides: Partial<InsightsParams> = {}): InsightsParams => ({ class: 'all', sort: 'machines', windowDays: 30, limit: 50, ...overrides });
const deps = (store: Store) => ({ telemetry: store.telemetry, blocklist: store.blocklist, defaultSeats: 1 });

async function licenseRows(store: Store, overrides: Partial<InsightsParams> = {}): Promise<LicenseInsight[]> {
  const outcome = await licenseInsights(deps(store), params(overrides), NOW);
  assert.ok(outcome.ok);
  return outcome.answer.data;
}

/** License insights as behaviour, over the store and the shared function; part of the store contract every backend runs. */
export function describeInsightsContract(test: StoreTest): void {
  test('licenses keep max_activations through create, import and find', async (store) => {
    const { p } = await fleet(store);
    const seats = async (key: string) => (await store.registry.findLicenses(key)).map((l) => l.max_activations);
    assert.deepEqual(await seats('LIC-A'), [2]);
    assert.deepEqual(await seats('LIC-B'), [null]);
    assert.deepEqual(await seats('LIC-D'), [5]);
    await store.registry.importLicenses([{ product_id: p, key: 'LIC-D', status: 'active', expires_at: null, max_activations: null }]);
    assert.deepEqual(await seats('LIC-D'), [null]);
  });

  test('insights count machines, users, networks, versions, reports and flags per product and license key exactly', async (store) => {
    const { p, q } = await fleet(store);
    const rows = await store.telemetry.insights({ subject: 'license', fromUs: NOW - 30 * DAY_US + 1, toUs: NOW });
    const byKey = new Map(rows.map((row) => [`${row.product_id}:${row.value}`, row]));
    assert.equal(rows.length, 8);
    const a = byKey.get(`${p}:LIC-A`);
    assert.ok(a);
    assert.deepEqual({ ...a, versions: [...a.versions].sort() }, {
      product_id: p, value: 'LIC-A', machines: 3, others: 2, networks: 2, versions: ['1.0.0', '1.10.0', '1.2.0'], reports: 4,
      flagged_reports: 0, client_bug_reports: 0,
      flags: { product_exists: 0, license_key_exists: 0, product_version_exists: 0, activation_exists: 0, license_active: 0 },
      first_seen_us: NOW - 20 * DAY_US, last_seen_us: NOW - 2, license: { status: 'active', max_activations: 2 },
    });
    assert.equal(byKey.get(`${q}:LIC-A`)?.license, null, 'LIC-A is registered for P only');
    const b = byKey.get(`${p}:LIC-B`);
    assert.deepEqual([b?.machines, b?.networks, b?.reports, b?.license], [1, 2, 4, { status: 'active', max_activations: null }]);
    const c = byKey.get(`${p}:LIC-C`);
    assert.deepEqual([c?.flagged_reports, c?.client_bug_reports, c?.versions], [0, 2, ['1.0.0']]);
    const d = byKey.get(`${p}:LIC-D`);
    assert.deepEqual([d?.flagged_reports, d?.client_bug_reports, d?.flags.product_version_exists], [1, 0, 1]);
    const fake = byKey.get(`${p}:FAKE-1`);
    assert.deepEqual([fake?.machines, fake?.flagged_reports, fake?.flags.license_key_exists, fake?.flags.activation_exists, fake?.license], [2, 2, 2, 2, null]);
    assert.equal(byKey.get(`${p}:LIC-BLOCKED`)?.license?.status, 'blocked');
  });

  test('insights classify shared, suspicious and client-bug keys and say which are blocked', async (store) => {
    await fleet(store);
    const rows = await licenseRows(store);
    const summary = Object.fromEntries(rows.map((row) => [`${row.license_key}@${row.product_id}`, [row.seats, row.class, row.blocked]]));
    const p = rows.find((row) => row.license_key === 'LIC-C')?.product_id ?? 0;
    assert.deepEqual(summary, {
      [`LIC-A@${p}`]: [2, ['shared'], false],
      [`LIC-A@${p + 1}`]: [null, [], false],
      [`LIC-B@${p}`]: [null, [], false],
      [`LIC-C@${p}`]: [null, ['client-bug'], false],
      [`LIC-D@${p}`]: [5, ['suspicious'], false],
      [`FAKE-1@${p}`]: [null, ['shared', 'suspicious'], false],
      [`LIC-BLOCKED@${p}`]: [null, ['suspicious'], true],
      [`LIC-LISTED@${p}`]: [null, [], true],
    });
    assert.deepEqual(rows.find((row) => row.license_key === 'LIC-A')?.versions, ['1.0.0', '1.2.0', '1.10.0']);
    const withMoreSeats = await licenseInsights({ ...deps(store), defaultSeats: 2 }, params({ class: 'shared' }), NOW);
    assert.ok(withMoreSeats.ok);
    assert.deepEqual(withMoreSeats.answer.data.map((row) => row.license_key), ['LIC-A'], 'FAKE-1 has 2 machines, within a default of 2');
  });

  test('insights filter by class, product and search, sort descending with ties by key, and page with a cursor', async (store) => {
    const { p, q } = await fleet(store);
    assert.deepEqual((await licenseRows(store, { class: 'client-bug' })).map((row) => row.license_key), ['LIC-C']);
    assert.deepEqual((await licenseRows(store, { class: 'suspicious' })).map((row) => row.license_key), ['FAKE-1', 'LIC-BLOCKED', 'LIC-D']);
    assert.deepEqual((await licenseRows(store, { productId: q })).map((row) => row.license_key), ['LIC-A']);
    assert.deepEqual((await licenseRows(store, { search: 'lic-b' })).map((row) => row.license_key), ['LIC-B', 'LIC-BLOCKED']);
    const all = (await licenseRows(store, { productId: p })).map((row) => `${row.license_key}:${row.machines}`);
    assert.deepEqual(all, ['LIC-A:3', 'FAKE-1:2', 'LIC-B:1', 'LIC-BLOCKED:1', 'LIC-C:1', 'LIC-D:1', 'LIC-LISTED:1']);
    assert.deepEqual((await licenseRows(store, { sort: 'flagged', productId: p })).slice(0, 2).map((row) => row.license_key), ['FAKE-1', 'LIC-BLOCKED']);
    assert.equal((await licenseRows(store, { sort: 'last_seen', productId: p }))[0]?.license_key, 'LIC-A');
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const outcome = await licenseInsights(deps(store), params({ productId: p, limit: 3, after }), NOW);
      assert.ok(outcome.ok);
      seen.push(...outcome.answer.data.map((row) => `${row.license_key}:${row.machines}`));
      if (outcome.answer.next === null) break;
      after = outcome.answer.next;
    }
    assert.deepEqual(seen, all);
    const bad = await licenseInsights(deps(store), params({ after: 'nonsense' }), NOW);
    assert.equal(bad.ok, false);
  });

  test('insights leave out reports outside the window', async (store) => {
    await fleet(store);
    const rows = await licenseRows(store, { windowDays: 1, search: 'LIC-A' });
    assert.deepEqual(rows.map((row) => [row.license_key, row.machines, row.reports]), [['LIC-A', 2, 3], ['LIC-A', 1, 1]]);
  });

  test('user insights count machines and licenses per user identifier and call a user on several licenses shared', async (store) => {
    const { p } = await fleet(store);
    const outcome = await userInsights(deps(store), params({ productId: p, sort: 'licenses' }), NOW);
    assert.ok(outcome.ok);
    const multi = outcome.answer.data[0];
    assert.deepEqual(multi && [multi.user_identifier, multi.machines, multi.licenses, multi.networks, multi.class, multi.blocked], ['u-multi', 2, 2, 3, ['shared'], true]);
    const u1 = outcome.answer.data.find((row) => row.user_identifier === 'u1');
    // m1, m2 and n1, whose report had no license key: a machine of the user all the same.
    assert.deepEqual(u1 && [u1.machines, u1.licenses, u1.class, u1.blocked], [3, 1, ['shared'], false]);
    const uc = outcome.answer.data.find((row) => row.user_identifier === 'uc');
    assert.deepEqual(uc?.class, ['client-bug']);
  });
}
