import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type NewSigningKey, type Store, type StoredSigningKey } from '../../src/store/contract/store.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import { describeActivityContract } from './activity-contract.js';
import { describeInsightsContract } from './insights-contract.js';
import { describeApiKeyContract } from './api-key-contract.js';
import { describeBlocklistContract } from './blocklist-contract.js';
import { describeSummaryContract } from './summary-contract.js';
import { describeVersionSeriesContract } from './version-series-contract.js';
import { describeQueryContract } from './query-contract.js';
import { describeRetentionContract } from './retention-contract.js';
import { describeEventIdContract } from './event-id-contract.js';
import { describeInstallsContract } from './installs-contract.js';
import { describeWebhookContract } from './webhook-contract.js';
import { describeAuditContract } from './audit-contract.js';
import { describeRecordTimeContract } from './record-time-contract.js';
import { describeLicenseLifecycleContract } from './license-lifecycle-contract.js';
import { describeRollupContract } from './rollup-contract.js';
import { describeLicenseCountsContract } from './license-counts-contract.js';
import { DuplicateError } from '../../src/model/errors.js';

/**
 * The storage contract as behaviour, written only against the Store interface so that every
 * backend runs the very same suite. `open` must give a migrated store over an EMPTY database;
 * each test opens its own and closes it.
 */
export function describeStoreContract(backendName: string, open: () => Promise<Store>): void {
  const test = (name: string, body: (store: Store) => Promise<void>): void => {
    it(name, async () => {
      const store = await open();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    });
  };

  describe(`Store contract (${backendName})`, () => {
    describe('migrations', () => describeMigrations(test));
    describe('telemetry', () => describeTelemetry(test));
    describe('telemetry summaries', () => describeSummaryContract(test));
    describe('telemetry per-version series', () => describeVersionSeriesContract(test));
    describe('telemetry query', () => describeQueryContract(test));
    describe('telemetry activity', () => describeActivityContract(test));
    describe('telemetry installs', () => describeInstallsContract(test));
    describe('telemetry record time', () => describeRecordTimeContract(test));
    describe('license insights', () => describeInsightsContract(test));
    describe('products', () => describeProducts(test));
    describe('licenses and activations', () => describeLicenses(test));
    describe('license lifecycle', () => describeLicenseLifecycleContract(test, record));
    describe('api keys', () => describeApiKeyContract(test));
    describe('report facts', () => describeReportFacts(test));
    describe('secrets', () => describeSecrets(test));
    describe('telemetry retention', () => describeRetentionContract(test));
    describe('blocklist', () => describeBlocklistContract(test));
    describe('telemetry event ids', () => describeEventIdContract(test, record));
    describe('webhooks', () => describeWebhookContract(test, record));
    describe('audit log', () => describeAuditContract(test));
    describe('telemetry rollups', () => describeRollupContract(test));
    describe('license report counts', () => describeLicenseCountsContract(test));
  });
}

export type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const CREATED_AT_US = Date.UTC(2024, 1, 27, 1, 57, 24) * 1000 + 123_456;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A complete, correct numeric-single-value report; override what a test is about. */
function record(overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord {
  return {
    api_key_id: 1,
    product_id: 100,
    user_identifier: '554dddsqfqs4dqd5qsd74q',
    license_key: '755aed85-0d0c-4a5e-9b6a-2a3c8e0f1a11',
    activation_identifier: '12135644',
    product_version: '5.2.5',
    data_type: 'numeric-single-value',
    data_group: 'test_group',
    data: '50',
    numeric_data_single_value: 50,
    numeric_data_x: null,
    numeric_data_y: null,
    text_data: null,
    is_correct_format: 1,
    product_exists: 1,
    license_key_exists: 1,
    product_version_exists: 1,
    activation_exists: 1,
    license_active: 1,
    has_red_flags: 0,
    errors: {},
    metadata: {},
    client_ip: '203.0.113.7',
    blocked: 0,
    created_at_us: CREATED_AT_US, reported_at_us: null,
    ...overrides,
  };
}

/** Records that differ from each other, so that paging tests can tell them apart. */
function numbered(count: number): NewTelemetryRecord[] {
  return Array.from({ length: count }, (_, i) =>
    record({ data: String(i), numeric_data_single_value: i, created_at_us: CREATED_AT_US + i }),
  );
}

function signingKey(scope: string, marker: string, createdAt = '2024-02-27T01:57:24.000Z'): NewSigningKey {
  return {
    key_id: `${marker}-${scope}`,
    scope,
    algorithm: 'rsa-2048',
    private_pem: `-----BEGIN PRIVATE KEY-----\n${marker}\n-----END PRIVATE KEY-----\n`,
    public_pem: `-----BEGIN PUBLIC KEY-----\n${marker}\n-----END PUBLIC KEY-----\n`,
    created_at: createdAt,
  };
}

function current(key: NewSigningKey): StoredSigningKey {
  return { ...key, retired_at: null };
}

function describeMigrations(test: StoreTest): void {
  test('migrating an already migrated store again changes nothing and keeps the data', async (store) => {
    const [id] = await store.telemetry.insertMany([record()]);
    const product = await store.registry.createProduct({ name: 'Editor', versions: ['1.0.0'] });
    const again = await store.migrate();
    assert.deepEqual(again.applied, [], 'nothing left to apply');
    assert.ok(Number.isSafeInteger(again.version) && again.version > 0, `at schema version ${again.version}`);
    assert.deepEqual(await store.migrate(), again);
    assert.equal(await store.telemetry.count(), 1);
    assert.equal((await store.telemetry.list({ limit: 10 }))[0]?.id, id);
    assert.deepEqual(await store.registry.getProduct(product.id), product);
  });

  test('ping resolves on an open, migrated store', async (store) => {
    assert.equal(await store.ping(), undefined);
  });

  test('a freshly opened store is empty', async (store) => {
    assert.equal(await store.telemetry.count(), 0);
    assert.deepEqual(await store.registry.listProducts(), []);
    assert.deepEqual(await store.registry.listApiKeys(), []);
    assert.equal(await store.secrets.getSigningKey('global'), null);
  });
}

function describeTelemetry(test: StoreTest): void {
  describeTelemetryInsert(test);
  describeTelemetryRoundTrip(test);
  describeTelemetryPaging(test);
}

function describeTelemetryInsert(test: StoreTest): void {
  test('insertMany returns one id per record, increasing in input order', async (store) => {
    const first = await store.telemetry.insertMany(numbered(3));
    const second = await store.telemetry.insertMany(numbered(2));
    const ids = [...first, ...second];
    assert.equal(ids.length, 5);
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `id ${ids[i]} follows ${ids[i - 1]}`);
    const stored = await store.telemetry.list({ limit: 10 });
    assert.deepEqual(stored.map((r) => r.id), ids);
    assert.deepEqual(stored.map((r) => r.data), ['0', '1', '2', '0', '1']);
  });

  test('insertMany of no records returns no ids and stores nothing', async (store) => {
    assert.deepEqual(await store.telemetry.insertMany([]), []);
    assert.equal(await store.telemetry.count(), 0);
  });

  test('insertMany stores 1000 records in one call, each under its own id', async (store) => {
    const ids = await store.telemetry.insertMany(numbered(1000));
    assert.equal(ids.length, 1000);
    assert.equal(new Set(ids).size, 1000);
    assert.equal(await store.telemetry.count(), 1000);
    const page = await store.telemetry.list({ afterId: ids[997]!, limit: 10 });
    assert.deepEqual(page.map((r) => [r.id, r.data]), [[ids[998], '998'], [ids[999], '999']]);
  });

  test('count reflects every stored record', async (store) => {
    assert.equal(await store.telemetry.count(), 0);
    await store.telemetry.insertMany(numbered(4));
    await store.telemetry.insertMany(numbered(3));
    assert.equal(await store.telemetry.count(), 7);
  });
}

function describeTelemetryRoundTrip(test: StoreTest): void {
  test('a stored record reads back with every field exactly as inserted', async (store) => {
    const full = record({
      api_key_id: 42,
      product_id: 7,
      user_identifier: 'Zoë 🚀 日本語 "quoted" \'single\' \\ back',
      license_key: 'LIC-ÅÄÖ-∑',
      activation_identifier: 'machine\tone\nline two',
      product_version: '1.0.0-beta+exp.sha.5114f85',
      data_type: 'numeric-xy-axis',
      data_group: 'grøup/ü',
      data: '{"x":"-1.5","y":"2e3"}',
      numeric_data_single_value: null,
      numeric_data_x: -1.5,
      numeric_data_y: 2000,
      text_data: null,
      is_correct_format: 0,
      product_exists: 1,
      license_key_exists: 0,
      product_version_exists: 1,
      activation_exists: 0,
      license_active: 1,
      has_red_flags: 1,
      errors: { product_id: ['The selected product id is invalid.'], data_group: ['a', 'b ✓'] },
      metadata: { raw_product_id: 'abc', nested: { list: [1, 'two', null, true] }, 'ключ': 'значение' },
      client_ip: '2001:db8::1',
      blocked: 1,
      created_at_us: CREATED_AT_US,
    });
    const [id] = await store.telemetry.insertMany([full]);
    assert.deepEqual(await store.telemetry.list({ limit: 1 }), [{ ...full, id }]);
  });

  test('a record with no usable values stores its nulls as nulls', async (store) => {
    const empty = record({
      api_key_id: null, product_id: null, user_identifier: null, license_key: null, activation_identifier: null,
      product_version: null, data_type: null, data_group: null, data: null, numeric_data_single_value: null,
      text_data: null, client_ip: null, errors: { product_id: ['The product id field is required.'] },
    });
    const [id] = await store.telemetry.insertMany([empty]);
    assert.deepEqual(await store.telemetry.list({ limit: 1 }), [{ ...empty, id }]);
  });

  test('records of one call that share some values and differ in others read back exactly, in order', async (store) => {
    // A batch from one install shares most columns; this one also varies in each kind of column
    // (text, number, flag, errors, metadata, null against a value, created_at) and is not a
    // multiple of ten records long.
    const shared = record({ errors: { data_group: ['x'] }, metadata: { build: 7 } });
    const records = [
      shared,
      ...numbered(12).map((r) => ({ ...r, errors: { data_group: ['x'] }, metadata: { build: 7 } })),
      record({ ...shared, user_identifier: null, metadata: {}, has_red_flags: 1, license_active: 0 }),
      record({ ...shared, data_type: 'text', data: 'héllo ✓', numeric_data_single_value: null, text_data: 'héllo ✓' }),
      record({ ...shared, errors: {}, product_id: null, client_ip: '2001:db8::2', created_at_us: CREATED_AT_US + 99 }),
      record({ ...shared, numeric_data_single_value: -0.5, data: '-0.5', blocked: 1, metadata: { raw_event_id: 'x', n: [1, null] } }),
      record({ ...shared, product_version: '🚀', data_group: 'grøup' }),
      record({ ...shared, api_key_id: null }),
    ];
    const ids = await store.telemetry.insertMany(records);
    assert.deepEqual(await store.telemetry.list({ limit: 100 }), records.map((r, i) => ({ ...r, id: ids[i] })));
    const same = [record(), record(), record()];
    const sameIds = await store.telemetry.insertMany(same);
    assert.deepEqual(await store.telemetry.list({ afterId: ids[ids.length - 1], limit: 100 }), same.map((r, i) => ({ ...r, id: sameIds[i] })));
  });

  test('numbers keep their full double precision', async (store) => {
    const values = [0.1, -2.5e-10, 1e300, 123456789.12345679, 0];
    await store.telemetry.insertMany(values.map((v) => record({ numeric_data_single_value: v })));
    const stored = await store.telemetry.list({ limit: 10 });
    assert.deepEqual(stored.map((r) => r.numeric_data_single_value), values);
  });

  test('the errors object keeps its fields in the order they were listed', async (store) => {
    const order = ['user_identifier', 'product_id', 'data_type', 'a', 'numeric_data_x', 'data_group'];
    const errors = Object.fromEntries(order.map((field) => [field, [`${field} is wrong`]]));
    await store.telemetry.insertMany([record({ errors })]);
    const [stored] = await store.telemetry.list({ limit: 1 });
    assert.deepEqual(Object.keys(stored?.errors ?? {}), order);
  });

  test('over-long values and reports naming unknown products are stored whole', async (store) => {
    const long = 'x'.repeat(70_000);
    const report = record({ product_id: 987_654, text_data: long, data: long, user_identifier: 'u'.repeat(300) });
    await store.telemetry.insertMany([report]);
    const [stored] = await store.telemetry.list({ limit: 1 });
    assert.equal(stored?.product_id, 987_654);
    assert.equal(stored?.text_data, long);
    assert.equal(stored?.user_identifier?.length, 300);
  });
}

function describeTelemetryPaging(test: StoreTest): void {
  test('list pages through records by id, limit at a time, after afterId', async (store) => {
    const ids = await store.telemetry.insertMany(numbered(5));
    const pages: number[][] = [];
    let afterId: number | undefined;
    for (;;) {
      const page = await store.telemetry.list({ afterId, limit: 2 });
      if (page.length === 0) break;
      pages.push(page.map((r) => r.id));
      afterId = page[page.length - 1]!.id;
    }
    assert.deepEqual(pages, [ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
  });

  test('list without afterId starts at the first record and honours the limit', async (store) => {
    const ids = await store.telemetry.insertMany(numbered(3));
    assert.deepEqual((await store.telemetry.list({ limit: 1 })).map((r) => r.id), [ids[0]]);
    assert.deepEqual((await store.telemetry.list({ limit: 100 })).map((r) => r.id), ids);
  });

  test('list after the last id is empty', async (store) => {
    const ids = await store.telemetry.insertMany(numbered(2));
    assert.deepEqual(await store.telemetry.list({ afterId: ids[1]!, limit: 10 }), []);
  });
}

function describeProducts(test: StoreTest): void {
  test('createProduct returns an active product with its id, versions and ISO creation time', async (store) => {
    const product = await store.registry.createProduct({ name: 'Éditeur Pro', versions: ['1.0.0', '1.1.0'] });
    assert.ok(Number.isInteger(product.id) && product.id > 0);
    assert.equal(product.name, 'Éditeur Pro');
    assert.equal(product.status, 'active');
    assert.deepEqual(product.versions, ['1.0.0', '1.1.0']);
    assert.match(product.created_at, ISO_8601);
    assert.deepEqual(await store.registry.getProduct(product.id), product);
  });

  test('versions come back in the order they were registered, a repeated one once', async (store) => {
    const product = await store.registry.createProduct({ name: 'App', versions: ['2.0.0', '1.0.0', '2.0.0'] });
    assert.deepEqual(product.versions, ['2.0.0', '1.0.0']);
    assert.equal(await store.registry.addProductVersion(product.id, '1.5.0'), true);
    assert.deepEqual((await store.registry.getProduct(product.id))?.versions, ['2.0.0', '1.0.0', '1.5.0']);
  });

  test('adding a version that is already registered succeeds and changes nothing', async (store) => {
    const product = await store.registry.createProduct({ name: 'App', versions: ['1.0.0'] });
    assert.equal(await store.registry.addProductVersion(product.id, '1.0.0'), true);
    assert.deepEqual((await store.registry.getProduct(product.id))?.versions, ['1.0.0']);
  });

  test('a product set inactive is reported found but not active, and can be set active again', async (store) => {
    const product = await store.registry.createProduct({ name: 'Retired', versions: ['1.0.0'] });
    const lookup = { productId: product.id, licenseKey: null, productVersion: '1.0.0', activationIdentifier: null };
    assert.equal(await store.registry.setProductStatus(product.id, 'inactive'), true);
    assert.equal((await store.registry.getProduct(product.id))?.status, 'inactive');
    const facts = await store.registry.lookupReportFacts(lookup);
    assert.deepEqual(facts.product, { id: product.id, active: false });
    assert.equal(facts.versionExists, true);
    assert.equal(await store.registry.setProductStatus(product.id, 'active'), true);
    assert.deepEqual((await store.registry.lookupReportFacts(lookup)).product, { id: product.id, active: true });
    assert.equal(await store.registry.setProductStatus(424_242, 'inactive'), false);
  });

  test('adding a version to an unknown product returns false', async (store) => {
    assert.equal(await store.registry.addProductVersion(424_242, '1.0.0'), false);
    assert.deepEqual(await store.registry.listProducts(), []);
  });

  test('getProduct of an unknown id is null', async (store) => {
    assert.equal(await store.registry.getProduct(424_242), null);
  });

  test('listProducts returns every product by id, each with its own versions', async (store) => {
    const a = await store.registry.createProduct({ name: 'A', versions: ['1.0.0'] });
    const b = await store.registry.createProduct({ name: 'B', versions: [] });
    const c = await store.registry.createProduct({ name: 'C', versions: ['1.0.0', '3.0.0'] });
    await store.registry.addProductVersion(b.id, '0.9.0');
    const listed = await store.registry.listProducts();
    assert.deepEqual(listed.map((p) => [p.id, p.name, p.versions]), [
      [a.id, 'A', ['1.0.0']],
      [b.id, 'B', ['0.9.0']],
      [c.id, 'C', ['1.0.0', '3.0.0']],
    ]);
  });
}

function describeLicenses(test: StoreTest): void {
  describeLicenseCreation(test);
  describeLicenseImport(test);
  describeActivations(test);
}

function describeLicenseCreation(test: StoreTest): void {
  test('createLicense returns the stored license, expiry included', async (store) => {
    const product = await store.registry.createProduct({ name: 'App', versions: [] });
    const expires = '2030-01-31T23:59:59.000Z';
    const license = await store.registry.createLicense({
      product_id: product.id, key: 'KEY-1', status: 'blocked', expires_at: expires,
    });
    assert.ok(license.id > 0);
    assert.deepEqual({ ...license, id: 0, created_at: '', updated_at: '' }, {
      id: 0, product_id: product.id, key: 'KEY-1', status: 'blocked', expires_at: expires, max_activations: null, notes: null, created_at: '', updated_at: '',
    });
    assert.match(license.created_at, ISO_8601);
    assert.equal(license.updated_at, license.created_at);
    assert.deepEqual(await store.registry.findLicenses('KEY-1'), [license]);
  });

  test('a second license with the same key for the same product is a DuplicateError', async (store) => {
    const product = await store.registry.createProduct({ name: 'App', versions: [] });
    const input = { product_id: product.id, key: 'KEY-1', status: 'active' as const, expires_at: null };
    await store.registry.createLicense(input);
    await assert.rejects(store.registry.createLicense({ ...input, status: 'blocked' }), DuplicateError);
    assert.equal((await store.registry.findLicenses('KEY-1')).length, 1);
  });

  test('the same key may be licensed for two products', async (store) => {
    const a = await store.registry.createProduct({ name: 'A', versions: [] });
    const b = await store.registry.createProduct({ name: 'B', versions: [] });
    const la = await store.registry.createLicense({ product_id: a.id, key: 'SHARED', status: 'active', expires_at: null });
    const lb = await store.registry.createLicense({ product_id: b.id, key: 'SHARED', status: 'active', expires_at: null });
    assert.deepEqual(await store.registry.findLicenses('SHARED'), [la, lb]);
  });

  test('findLicenses of an unknown key is empty', async (store) => {
    assert.deepEqual(await store.registry.findLicenses('nope'), []);
  });

  test('a license for an unknown product is refused', async (store) => {
    await assert.rejects(
      store.registry.createLicense({ product_id: 424_242, key: 'K', status: 'active', expires_at: null }),
    );
    assert.deepEqual(await store.registry.findLicenses('K'), []);
  });
}

function describeLicenseImport(test: StoreTest): void {
  test('importLicenses inserts new licenses and updates status and expiry of existing ones', async (store) => {
    const product = await store.registry.createProduct({ name: 'App', versions: [] });
    const kept = await store.registry.createLicense({
      product_id: product.id, key: 'OLD', status: 'active', expires_at: null,
    });
    const written = await store.registry.importLicenses([
      { product_id: product.id, key: 'OLD', status: 'blocked', expires_at: '2025-06-01T00:00:00.000Z' },
      { product_id: product.id, key: 'NEW', status: 'active', expires_at: null },
    ]);
    assert.equal(written, 2);
    const [old] = await store.registry.findLicenses('OLD');
    assert.deepEqual(old, { ...kept, status: 'blocked', expires_at: '2025-06-01T00:00:00.000Z', updated_at: old?.updated_at });
    assert.ok((old?.updated_at ?? '') >= kept.updated_at);
    const [created] = await store.registry.findLicenses('NEW');
    assert.equal(created?.status, 'active');
    assert.equal(created?.product_id, product.id);
  });

  test('importLicenses of nothing writes nothing', async (store) => {
    assert.equal(await store.registry.importLicenses([]), 0);
  });

  test('an import with a license for an unknown product writes none of its licenses', async (store) => {
    const product = await store.registry.createProduct({ name: 'App', versions: [] });
    await assert.rejects(store.registry.importLicenses([
      { product_id: product.id, key: 'GOOD', status: 'active', expires_at: null },
      { product_id: 424_242, key: 'BAD', status: 'active', expires_at: null },
    ]));
    assert.deepEqual(await store.registry.findLicenses('GOOD'), []);
  });
}

function describeActivations(test: StoreTest): void {
  test('createActivation records the identifier against the license', async (store) => {
    const product = await store.registry.createProduct({ name: 'App', versions: [] });
    const license = await store.registry.createLicense({ product_id: product.id, key: 'K', status: 'active', expires_at: null });
    const activation = await store.registry.createActivation(license.id, 'machine-1');
    assert.ok(activation.id > 0);
    assert.equal(activation.license_id, license.id);
    assert.equal(activation.identifier, 'machine-1');
    assert.match(activation.created_at, ISO_8601);
  });

  test('recording the same activation twice returns the existing row', async (store) => {
    const product = await store.registry.createProduct({ name: 'App', versions: [] });
    const license = await store.registry.createLicense({ product_id: product.id, key: 'K', status: 'active', expires_at: null });
    const first = await store.registry.createActivation(license.id, 'machine-1');
    assert.deepEqual(await store.registry.createActivation(license.id, 'machine-1'), first);
  });

  test('one identifier may activate two licenses, as two activations', async (store) => {
    const product = await store.registry.createProduct({ name: 'App', versions: [] });
    const a = await store.registry.createLicense({ product_id: product.id, key: 'A', status: 'active', expires_at: null });
    const b = await store.registry.createLicense({ product_id: product.id, key: 'B', status: 'active', expires_at: null });
    const first = await store.registry.createActivation(a.id, 'machine-1');
    const second = await store.registry.createActivation(b.id, 'machine-1');
    assert.notEqual(first.id, second.id);
    assert.equal(second.license_id, b.id);
  });
}

/** Two products, each with a version, a license and an activation, to look reports up against. */
async function seedRegistry(store: Store) {
  const a = await store.registry.createProduct({ name: 'A', versions: ['1.0.0'] });
  const b = await store.registry.createProduct({ name: 'B', versions: ['2.0.0'] });
  const licenseA = await store.registry.createLicense({ product_id: a.id, key: 'KEY-A', status: 'active', expires_at: null });
  const licenseB = await store.registry.createLicense({
    product_id: b.id, key: 'KEY-B', status: 'blocked', expires_at: '2020-01-01T00:00:00.000Z',
  });
  await store.registry.createActivation(licenseA.id, 'device-a');
  await store.registry.createActivation(licenseB.id, 'device-b');
  return { a, b };
}

const NOTHING_FOUND = { product: null, versionExists: false, license: null, activationExists: false };

function describeReportFacts(test: StoreTest): void {
  describeReportFactsFound(test);
  describeReportFactsMismatched(test);
}

function describeReportFactsFound(test: StoreTest): void {
  test('a report whose identifiers are all registered finds everything', async (store) => {
    const { a } = await seedRegistry(store);
    const facts = await store.registry.lookupReportFacts({
      productId: a.id, licenseKey: 'KEY-A', productVersion: '1.0.0', activationIdentifier: 'device-a',
    });
    assert.deepEqual(facts, {
      product: { id: a.id, active: true },
      versionExists: true,
      license: { status: 'active', expires_at: null },
      activationExists: true,
    });
  });

  test('a blocked license is found with its status and expiry', async (store) => {
    const { b } = await seedRegistry(store);
    const facts = await store.registry.lookupReportFacts({
      productId: b.id, licenseKey: 'KEY-B', productVersion: '2.0.0', activationIdentifier: 'device-b',
    });
    assert.deepEqual(facts.license, { status: 'blocked', expires_at: '2020-01-01T00:00:00.000Z' });
    assert.equal(facts.activationExists, true);
  });

  test('a lookup with every identifier null finds nothing', async (store) => {
    await seedRegistry(store);
    const facts = await store.registry.lookupReportFacts({
      productId: null, licenseKey: null, productVersion: null, activationIdentifier: null,
    });
    assert.deepEqual(facts, NOTHING_FOUND);
  });

  test('a product alone is found when the other identifiers are null', async (store) => {
    const { a } = await seedRegistry(store);
    const facts = await store.registry.lookupReportFacts({
      productId: a.id, licenseKey: null, productVersion: null, activationIdentifier: null,
    });
    assert.deepEqual(facts, { ...NOTHING_FOUND, product: { id: a.id, active: true } });
  });
}

function describeReportFactsMismatched(test: StoreTest): void {
  test('an unknown product finds nothing, not even identifiers registered elsewhere', async (store) => {
    await seedRegistry(store);
    const facts = await store.registry.lookupReportFacts({
      productId: 424_242, licenseKey: 'KEY-A', productVersion: '1.0.0', activationIdentifier: 'device-a',
    });
    assert.deepEqual(facts, NOTHING_FOUND);
  });

  test('a null product finds no license, even for a registered key', async (store) => {
    await seedRegistry(store);
    const facts = await store.registry.lookupReportFacts({
      productId: null, licenseKey: 'KEY-A', productVersion: '1.0.0', activationIdentifier: 'device-a',
    });
    assert.deepEqual(facts, NOTHING_FOUND);
  });

  test('a version registered only for another product does not exist for this one', async (store) => {
    const { a } = await seedRegistry(store);
    const facts = await store.registry.lookupReportFacts({
      productId: a.id, licenseKey: 'KEY-A', productVersion: '2.0.0', activationIdentifier: 'device-a',
    });
    assert.equal(facts.versionExists, false);
    assert.deepEqual(facts.license, { status: 'active', expires_at: null });
    assert.equal(facts.activationExists, true);
  });

  test('a license of another product is not found, and neither are its activations', async (store) => {
    const { a } = await seedRegistry(store);
    const facts = await store.registry.lookupReportFacts({
      productId: a.id, licenseKey: 'KEY-B', productVersion: '1.0.0', activationIdentifier: 'device-b',
    });
    assert.deepEqual(facts, { product: { id: a.id, active: true }, versionExists: true, license: null, activationExists: false });
  });

  test('an activation recorded for another license does not count for this one', async (store) => {
    const { a } = await seedRegistry(store);
    const facts = await store.registry.lookupReportFacts({
      productId: a.id, licenseKey: 'KEY-A', productVersion: '1.0.0', activationIdentifier: 'device-b',
    });
    assert.deepEqual(facts.license, { status: 'active', expires_at: null });
    assert.equal(facts.activationExists, false);
  });

  test('an unknown license key finds no license and no activation', async (store) => {
    const { a } = await seedRegistry(store);
    const facts = await store.registry.lookupReportFacts({
      productId: a.id, licenseKey: 'KEY-NONE', productVersion: '1.0.0', activationIdentifier: 'device-a',
    });
    assert.deepEqual(facts, { product: { id: a.id, active: true }, versionExists: true, license: null, activationExists: false });
  });
}

function describeSecrets(test: StoreTest): void {
  test('a signing key that was never saved is null', async (store) => {
    assert.equal(await store.secrets.getSigningKey('global'), null);
  });

  test('the first signing key saved for a scope wins and is its current key', async (store) => {
    const first = signingKey('global', 'first');
    assert.deepEqual(await store.secrets.saveSigningKeyIfAbsent(first), current(first));
    assert.deepEqual(await store.secrets.saveSigningKeyIfAbsent(signingKey('global', 'second')), current(first));
    assert.deepEqual(await store.secrets.getSigningKey('global'), current(first));
    assert.deepEqual(await store.secrets.listSigningKeys('global'), [current(first)]);
  });

  test('each scope keeps its own signing key', async (store) => {
    const global = await store.secrets.saveSigningKeyIfAbsent(signingKey('global', 'g'));
    const product = await store.secrets.saveSigningKeyIfAbsent(signingKey('product:1', 'p'));
    assert.deepEqual(await store.secrets.getSigningKey('global'), global);
    assert.deepEqual(await store.secrets.getSigningKey('product:1'), product);
    assert.equal(await store.secrets.getSigningKey('product:2'), null);
  });

  test('a rotation makes the new key current and keeps the old one listed as retired', async (store) => {
    const old = signingKey('global', 'old', '2024-01-01T00:00:00.000Z');
    await store.secrets.saveSigningKeyIfAbsent(old);
    const next = signingKey('global', 'next', '2024-02-01T00:00:00.000Z');
    assert.deepEqual(await store.secrets.rotateSigningKey(next), current(next));
    const last = signingKey('global', 'last', '2024-03-01T00:00:00.000Z');
    assert.deepEqual(await store.secrets.rotateSigningKey(last), current(last));
    assert.deepEqual(await store.secrets.getSigningKey('global'), current(last));
    assert.deepEqual(await store.secrets.listSigningKeys('global'), [
      current(last),
      { ...next, retired_at: last.created_at },
      { ...old, retired_at: next.created_at },
    ]);
    assert.deepEqual(await store.secrets.currentSigningKeys(), [current(last)]);
  });

  test('rotating a scope without a current key changes nothing', async (store) => {
    assert.equal(await store.secrets.rotateSigningKey(signingKey('product:7', 'p')), null);
    assert.deepEqual(await store.secrets.listSigningKeys('product:7'), []);
    assert.deepEqual(await store.secrets.listSigningKeys(), []);
  });

  test('listing every scope puts global first, and each scope has exactly one current key', async (store) => {
    await store.secrets.saveSigningKeyIfAbsent(signingKey('product:2', 'p2'));
    await store.secrets.saveSigningKeyIfAbsent(signingKey('global', 'g'));
    await store.secrets.rotateSigningKey(signingKey('product:2', 'p2b', '2024-05-01T00:00:00.000Z'));
    const all = await store.secrets.listSigningKeys();
    assert.deepEqual(all.map((key) => [key.scope, key.key_id, key.retired_at === null]), [
      ['global', 'g-global', true],
      ['product:2', 'p2b-product:2', true],
      ['product:2', 'p2-product:2', false],
    ]);
    assert.deepEqual((await store.secrets.currentSigningKeys()).map((key) => key.key_id), ['g-global', 'p2b-product:2']);
  });

  test('concurrent first starts end with one current key that every caller gets', async (store) => {
    const saved = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.secrets.saveSigningKeyIfAbsent(signingKey('global', `racer${i}`))),
    );
    const [winner] = saved;
    assert.ok(winner);
    for (const key of saved) assert.deepEqual(key, winner);
    assert.deepEqual(await store.secrets.listSigningKeys('global'), [winner]);
  });

  test('concurrent rotations of one scope each retire the key before them: one current key remains', async (store) => {
    await store.secrets.saveSigningKeyIfAbsent(signingKey('global', 'start', '2024-01-01T00:00:00.000Z'));
    const rotated = await Promise.all(
      Array.from({ length: 4 }, (_, i) => store.secrets.rotateSigningKey(signingKey('global', `rot${i}`, `2024-02-0${i + 1}T00:00:00.000Z`))),
    );
    for (const key of rotated) assert.ok(key, 'every rotation found a current key to retire');
    const keys = await store.secrets.listSigningKeys('global');
    assert.equal(keys.length, 5);
    assert.equal(keys.filter((key) => key.retired_at === null).length, 1);
  });

  test('a setting reads back what was set, and setting it again overwrites it', async (store) => {
    assert.equal(await store.secrets.getSetting('admin_token_hash'), null);
    await store.secrets.setSetting('admin_token_hash', 'first');
    assert.equal(await store.secrets.getSetting('admin_token_hash'), 'first');
    await store.secrets.setSetting('admin_token_hash', 'second ✓');
    assert.equal(await store.secrets.getSetting('admin_token_hash'), 'second ✓');
    assert.equal(await store.secrets.getSetting('other'), null);
  });
}
