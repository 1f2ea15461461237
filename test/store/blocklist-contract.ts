import assert from 'node:assert/strict';
import { type Store } from '../../src/store/contract/store.js';
import { DuplicateError } from '../../src/model/errors.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The blocklist part of the store contract (docs/security.md, "Blocklist"), run on every backend. */
export function describeBlocklistContract(test: StoreTest): void {
  test('a fresh store has an empty blocklist', async (store) => {
    assert.deepEqual(await store.blocklist.list(), []);
  });

  test('add returns the stored entry with its id and ISO creation time; list gives every entry by id', async (store) => {
    const product = await store.registry.createProduct({ name: 'P', versions: [] });
    const ip = await store.blocklist.add({ kind: 'ip', value: '2001:db8::/32', product_id: null, reason: 'scraper', ignore_case: false });
    const user = await store.blocklist.add({ kind: 'user_identifier', value: 'user-1', product_id: product.id, reason: null, ignore_case: false });
    const license = await store.blocklist.add({ kind: 'license_key', value: 'LIC-LEAKED', product_id: null, reason: null, ignore_case: false });
    assert.ok(ip.id < user.id && user.id < license.id);
    assert.match(ip.created_at, ISO_8601);
    assert.deepEqual(ip, { id: ip.id, kind: 'ip', value: '2001:db8::/32', product_id: null, reason: 'scraper', ignore_case: false, created_at: ip.created_at });
    assert.deepEqual(user, { id: user.id, kind: 'user_identifier', value: 'user-1', product_id: product.id, reason: null, ignore_case: false, created_at: user.created_at });
    assert.deepEqual(await store.blocklist.list(), [ip, user, license]);
  });

  test('ignore_case is stored and listed as a boolean (false for entries that do not set it)', async (store) => {
    const folded = await store.blocklist.add({ kind: 'user_identifier', value: 'Pirate', product_id: null, reason: null, ignore_case: true });
    const exact = await store.blocklist.add({ kind: 'license_key', value: 'LIC', product_id: null, reason: null, ignore_case: false });
    assert.equal(folded.ignore_case, true);
    assert.equal(exact.ignore_case, false);
    assert.deepEqual((await store.blocklist.list()).map((e) => e.ignore_case), [true, false]);
  });

  test('the same kind, value and scope twice is a DuplicateError; another scope or kind is not', async (store) => {
    const a = await store.registry.createProduct({ name: 'A', versions: [] });
    const b = await store.registry.createProduct({ name: 'B', versions: [] });
    await store.blocklist.add({ kind: 'license_key', value: 'K', product_id: null, reason: null, ignore_case: false });
    await assert.rejects(store.blocklist.add({ kind: 'license_key', value: 'K', product_id: null, reason: 'again', ignore_case: false }), DuplicateError);
    await store.blocklist.add({ kind: 'license_key', value: 'K', product_id: a.id, reason: null, ignore_case: false });
    await assert.rejects(store.blocklist.add({ kind: 'license_key', value: 'K', product_id: a.id, reason: null, ignore_case: false }), DuplicateError);
    await store.blocklist.add({ kind: 'license_key', value: 'K', product_id: b.id, reason: null, ignore_case: false });
    await store.blocklist.add({ kind: 'user_identifier', value: 'K', product_id: null, reason: null, ignore_case: false });
    assert.equal((await store.blocklist.list()).length, 4);
  });

  test('remove deletes one entry by id and returns false when there is none', async (store) => {
    const first = await store.blocklist.add({ kind: 'ip', value: '203.0.113.7', product_id: null, reason: null, ignore_case: false });
    const second = await store.blocklist.add({ kind: 'ip', value: '10.0.0.0/8', product_id: null, reason: null, ignore_case: false });
    assert.equal(await store.blocklist.remove(first.id), true);
    assert.equal(await store.blocklist.remove(first.id), false);
    assert.equal(await store.blocklist.remove(999_999), false);
    assert.deepEqual(await store.blocklist.list(), [second]);
  });

  test('an entry for an unknown product is refused', async (store) => {
    await assert.rejects(store.blocklist.add({ kind: 'ip', value: '203.0.113.7', product_id: 424242, reason: null, ignore_case: false }));
    assert.deepEqual(await store.blocklist.list(), []);
  });

  test('records keep their blocked flag, and a filter on it finds them', async (store) => {
    const base = {
      api_key_id: 1, product_id: 1, user_identifier: 'u', license_key: 'k', activation_identifier: 'a', product_version: '1',
      data_type: 'text', data_group: 'g', data: 'x', numeric_data_single_value: null, numeric_data_x: null, numeric_data_y: null,
      text_data: 'x', is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1,
      license_active: 1, has_red_flags: 0, errors: {}, metadata: {}, client_ip: '203.0.113.7', created_at_us: 1_700_000_000_000_000, reported_at_us: null,
    } as const;
    const [clean, blocked] = await store.telemetry.insertMany([{ ...base, blocked: 0 }, { ...base, blocked: 1 }]);
    const page = { afterId: 0, limit: 10 };
    assert.deepEqual((await store.telemetry.query({ productIds: null, blocked: 1 }, page)).map((r) => r.id), [blocked]);
    assert.deepEqual((await store.telemetry.query({ productIds: [1], blocked: 0 }, page)).map((r) => r.id), [clean]);
    assert.deepEqual((await store.telemetry.list({ limit: 10 })).map((r) => r.blocked), [0, 1]);
  });
}
