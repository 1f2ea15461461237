import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { form, post, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;

async function admin(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${server.adminToken}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}/admin/api${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** One report through the public API, as a shipped app sends it. */
async function send(fields: Record<string, string>): Promise<void> {
  const base = {
    api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: 'alice', license_key: 'LIC-SEATS',
    activation_identifier: 'm1', product_version: '1.0.1', data_type: 'numeric-single-value', numeric_data_single_value: '1', data_group: 'startup',
  };
  const answer = await post(`${server.url}/api/v1/send-telemetry-data`, form({ ...base, ...fields }), 'application/x-www-form-urlencoded');
  assert.equal(answer.status, 200);
}

type Row = Record<string, unknown>;
const rows = (body: Record<string, unknown>): Row[] => body['data'] as Row[];

before(async () => {
  server = await startTestServer({ defaultSeats: 1 });
  // LIC-SEATS: 3 seats, 4 activated machines of 2 users (shared, not suspicious).
  const created = await admin('/licenses', { method: 'POST', body: { product_id: server.seed.productA, key: 'LIC-SEATS', max_activations: 3 } });
  assert.equal(created.status, 201);
  for (const machine of ['m1', 'm2', 'm3', 'm4']) {
    assert.equal((await admin('/activations', { method: 'POST', body: { license_key: 'LIC-SEATS', identifier: machine } })).status, 201);
    await send({ activation_identifier: machine, user_identifier: machine === 'm4' ? 'bob' : 'alice' });
  }
  // A made-up key on two machines (suspicious, no seats: the default 1 makes it shared too).
  for (const machine of ['p1', 'p2']) await send({ license_key: 'FAKE-KEY', activation_identifier: machine, user_identifier: 'mallory' });
  // LIC-B, activated, with a report that lacks its data group: a client bug only.
  await send({ product_id: String(server.seed.productB), license_key: 'LIC-B', activation_identifier: 'act-1', product_version: '2.0.0', data_group: '' });
  await send({ product_id: String(server.seed.productB), license_key: 'LIC-B', activation_identifier: 'act-1', product_version: '2.0.0' });
  // The blocked license, from its activated machine (suspicious: license_active 0; blocked).
  await send({ license_key: 'LIC-BLOCKED', activation_identifier: 'act-1', user_identifier: 'carol' });
});
after(() => server.close());

describe('GET /admin/api/licenses/insights', () => {
  it('answers one row per product and key in the contract shape, with classes, seats and blocked', async () => {
    const { status, body } = await admin('/licenses/insights');
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body), ['data', 'next']);
    assert.equal(body['next'], null);
    const seats = rows(body).find((row) => row['license_key'] === 'LIC-SEATS');
    assert.deepEqual(Object.keys(seats ?? {}), [
      'license_key', 'product_id', 'seats', 'machines', 'users', 'networks', 'versions', 'reports', 'flagged_reports',
      'client_bug_reports', 'flags', 'class', 'blocked', 'first_seen', 'last_seen',
    ]);
    assert.deepEqual({ ...seats, first_seen: undefined, last_seen: undefined }, {
      license_key: 'LIC-SEATS', product_id: server.seed.productA, seats: 3, machines: 4, users: 2, networks: 1, versions: ['1.0.1'],
      reports: 4, flagged_reports: 0, client_bug_reports: 0,
      flags: { product_exists: 0, license_key_exists: 0, product_version_exists: 0, activation_exists: 0, license_active: 0 },
      class: ['shared'], blocked: false, first_seen: undefined, last_seen: undefined,
    });
    const summary = rows(body).map((row) => [row['license_key'], row['seats'], row['class'], row['blocked']]);
    assert.deepEqual(summary, [
      ['LIC-SEATS', 3, ['shared'], false],
      ['FAKE-KEY', null, ['shared', 'suspicious'], false],
      ['LIC-B', null, ['client-bug'], false],
      ['LIC-BLOCKED', null, ['suspicious'], true],
    ]);
  });

  it('filters by class, product and search, and sorts by users', async () => {
    const keys = async (query: string) => rows((await admin(`/licenses/insights?${query}`)).body).map((row) => row['license_key']);
    assert.deepEqual(await keys('class=client-bug'), ['LIC-B']);
    assert.deepEqual(await keys('class=suspicious'), ['FAKE-KEY', 'LIC-BLOCKED']);
    assert.deepEqual(await keys(`product_id=${server.seed.productB}`), ['LIC-B']);
    assert.deepEqual(await keys('search=fake'), ['FAKE-KEY']);
    assert.deepEqual(await keys('sort=users'), ['LIC-SEATS', 'FAKE-KEY', 'LIC-B', 'LIC-BLOCKED']);
    assert.deepEqual(await keys('sort=flagged&limit=2'), ['FAKE-KEY', 'LIC-BLOCKED']);
    assert.deepEqual(await keys('window_days=1&search=LIC-S'), ['LIC-SEATS']);
  });

  it('pages with the opaque next cursor until it is null', async () => {
    const seen: unknown[] = [];
    let next: unknown = null;
    do {
      const { status, body } = await admin(`/licenses/insights?limit=1${next === null ? '' : `&after=${encodeURIComponent(String(next))}`}`);
      assert.equal(status, 200);
      assert.equal(rows(body).length, 1);
      seen.push(rows(body)[0]?.['license_key']);
      next = body['next'];
    } while (next !== null && seen.length < 10);
    assert.deepEqual(seen, ['LIC-SEATS', 'FAKE-KEY', 'LIC-B', 'LIC-BLOCKED']);
  });

  it('refuses bad parameters with 400 and the messages per field', async () => {
    for (const query of ['class=pirates', 'sort=name', 'window_days=0', 'window_days=3651', 'limit=501', 'limit=abc', 'product_id=0', 'after=nonsense', 'colour=red']) {
      const { status, body } = await admin(`/licenses/insights?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body['error'], 'The insights parameters are invalid.', query);
      assert.equal(typeof body['errors'], 'object', query);
    }
    const cursor = (await admin('/licenses/insights?limit=1')).body['next'] as string;
    assert.equal((await admin(`/licenses/insights?sort=users&after=${encodeURIComponent(cursor)}`)).status, 400, 'a cursor of another sort');
  });
});

describe('GET /admin/api/users/insights', () => {
  it('answers one row per product and user identifier, with machines and licenses', async () => {
    const { status, body } = await admin(`/users/insights?product_id=${server.seed.productA}&sort=licenses`);
    assert.equal(status, 200);
    const summary = rows(body).map((row) => [row['user_identifier'], row['machines'], row['licenses'], row['class']]);
    assert.deepEqual(summary, [
      ['alice', 3, 1, ['shared']],
      ['bob', 1, 1, []],
      ['carol', 1, 1, ['suspicious']],
      ['mallory', 2, 1, ['shared', 'suspicious']],
    ]);
    assert.equal((await admin('/users/insights?sort=users')).status, 400);
  });
});

describe('licenses with seats', () => {
  it('are created with max_activations and refuse a seat count that is not a whole number from 1', async () => {
    const made = await admin('/licenses', { method: 'POST', body: { product_id: server.seed.productA, key: 'LIC-TEN', max_activations: '10' } });
    assert.deepEqual([made.status, made.body['max_activations']], [201, 10]);
    const none = await admin('/licenses', { method: 'POST', body: { product_id: server.seed.productA, key: 'LIC-NONE' } });
    assert.equal(none.body['max_activations'], null);
    for (const bad of [0, -1, 1.5, 'many']) {
      const refused = await admin('/licenses', { method: 'POST', body: { product_id: server.seed.productA, key: `LIC-BAD-${String(bad)}`, max_activations: bad } });
      assert.equal(refused.status, 400, String(bad));
      assert.match(String(refused.body['error']), /max activations/);
    }
    const found = await admin('/licenses?key=LIC-TEN');
    assert.equal((found.body['licenses'] as Row[])[0]?.['max_activations'], 10);
  });
});
