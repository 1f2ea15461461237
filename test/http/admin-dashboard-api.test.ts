import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nowMicros } from '../../src/model/clock.js';
import { seedTelemetry, type SeededTelemetry } from '../system/dashboard/seed-telemetry.js';
import { startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
let seeded: SeededTelemetry;

before(async () => {
  server = await startTestServer();
  seeded = await seedTelemetry(server.store, server.seed, nowMicros());
});
after(() => server.close());

async function admin(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${server.adminToken}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}/admin/api${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Counts { total: number; clean: number; flagged: number }

describe('GET /admin/api/overview', () => {
  it('counts every seeded report of the last 7 days, clean and flagged, per day and per product', async () => {
    const { status, body } = await admin('/overview');
    assert.equal(status, 200);
    assert.equal(body['bucket'], 'day');
    assert.deepEqual([body['total'], body['clean'], body['flagged']], [seeded.total, seeded.clean, seeded.flagged]);
    const series = body['series'] as (Counts & { start: string })[];
    assert.equal(series.length, 8, 'a 7-day range touches 8 UTC days');
    assert.equal(series.reduce((sum, b) => sum + b.clean + b.flagged, 0), seeded.total);
    const products = body['products'] as (Counts & { product_id: number })[];
    assert.deepEqual(products.map((p) => [p.product_id, p.total, p.flagged]).sort(), [[server.seed.productA, 77, 5], [server.seed.productB, 8, 0]].sort());
    const groups = body['groups'] as (Counts & { data_group: string; data_type: string })[];
    assert.deepEqual(groups.filter((g) => g.data_group === 'os').map((g) => [g.data_type, g.total]), [['text', 12]]);
  });

  it('buckets a 24-hour range by hour and keeps one product', async () => {
    const from = new Date(Date.now() - 24 * 3_600_000).toISOString();
    const { body } = await admin(`/overview?from=${from}&product_id=${server.seed.productB}`);
    assert.equal(body['bucket'], 'hour');
    assert.ok((body['series'] as unknown[]).length >= 24);
    assert.deepEqual((body['products'] as { product_id: number }[]).map((p) => p.product_id).filter((id) => id !== server.seed.productB), []);
  });

  it('answers bad parameters with 400 and a message per parameter', async () => {
    const { status, body } = await admin('/overview?from=yesterday&product_id=x&form=1');
    assert.equal(status, 400);
    assert.deepEqual(Object.keys(body['errors'] as object).sort(), ['form', 'from', 'product_id']);
  });
});

describe('GET /admin/api/records', () => {
  it('pages through the filtered records with the query API\'s filters', async () => {
    const first = await admin(`/records?license_key=${seeded.pirateKey}&has_red_flags=1&limit=3`);
    assert.equal(first.status, 200);
    const records = first.body['records'] as { id: number; license_key: string }[];
    assert.equal(records.length, 3);
    assert.ok(records.every((r) => r.license_key === seeded.pirateKey));
    const rest = await admin(`/records?license_key=${seeded.pirateKey}&has_red_flags=1&limit=3&after_id=${String(first.body['next_after_id'])}`);
    assert.equal((rest.body['records'] as unknown[]).length, 2);
    assert.equal(rest.body['next_after_id'], null);
  });

  it('answers a malformed filter with 400', async () => {
    const { status, body } = await admin('/records?limit=abc');
    assert.equal(status, 400);
    assert.ok('limit' in (body['errors'] as object));
  });
});

describe('GET /admin/api/piracy', () => {
  it('lists the pirate license key and user with their red-flagged reports and failed checks', async () => {
    const { status, body } = await admin('/piracy');
    assert.equal(status, 200);
    const [key] = body['license_keys'] as { product_id: number; value: string; count: number; failed_checks: Record<string, number> }[];
    assert.deepEqual([key?.product_id, key?.value, key?.count], [server.seed.productA, seeded.pirateKey, seeded.pirateReports]);
    assert.equal(key?.failed_checks['license_key_exists'], 5);
    assert.equal(key?.failed_checks['product_version_exists'], 0);
    const users = body['user_identifiers'] as { value: string; count: number }[];
    assert.deepEqual(users.map((u) => [u.value, u.count]), [['mallory', 5]]);
  });

  it('is empty for a product without red flags', async () => {
    const { body } = await admin(`/piracy?product_id=${server.seed.productB}`);
    assert.deepEqual([body['license_keys'], body['user_identifiers']], [[], []]);
  });
});

describe('registry routes', () => {
  it('creates a product with versions, adds a version and lists it', async () => {
    const created = await admin('/products', { method: 'POST', body: { name: 'Gadget', versions: '1.0, 1.1' } });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body['versions'], ['1.0', '1.1']);
    const id = created.body['id'] as number;
    const added = await admin(`/products/${id}/versions`, { method: 'POST', body: { version: '2.0' } });
    assert.deepEqual(added.body['versions'], ['1.0', '1.1', '2.0']);
    const list = await admin('/products');
    assert.ok((list.body['products'] as { id: number }[]).some((p) => p.id === id));
  });

  it('answers registry mistakes with 400 and the reason', async () => {
    assert.equal((await admin('/products', { method: 'POST', body: { name: ' ' } })).status, 400);
    assert.equal((await admin('/products/999999/versions', { method: 'POST', body: { version: '1' } })).status, 400);
    assert.equal((await admin('/products/abc/versions', { method: 'POST', body: { version: '1' } })).status, 400);
    const duplicate = await admin('/licenses', { method: 'POST', body: { product_id: server.seed.productA, key: 'LIC-ACTIVE' } });
    assert.equal(duplicate.status, 400);
    assert.match(String(duplicate.body['error']), /already exists/);
  });

  it('creates, finds and imports licenses, and records an activation', async () => {
    const created = await admin('/licenses', { method: 'POST', body: { product_id: server.seed.productA, key: 'LIC-NEW', expires_at: '2030-01-01' } });
    assert.equal(created.status, 201);
    const found = await admin('/licenses?key=LIC-NEW');
    assert.deepEqual((found.body['licenses'] as { key: string }[]).map((l) => l.key), ['LIC-NEW']);
    const csv = `product_id,key,status\n${server.seed.productA},LIC-IMP-1,active\n${server.seed.productA},LIC-IMP-2,blocked\n`;
    const imported = await admin('/licenses/import', { method: 'POST', body: { text: csv } });
    assert.deepEqual(imported, { status: 200, body: { imported: 2, skipped: 0 } });
    const bad = await admin('/licenses/import', { method: 'POST', body: { text: 'product_id,key\nx,\n' } });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body['error']), /line 2/);
    const activation = await admin('/activations', { method: 'POST', body: { license_key: 'LIC-IMP-1', identifier: 'machine-9' } });
    assert.equal(activation.status, 201);
    assert.equal((activation.body['activation'] as { identifier: string }).identifier, 'machine-9');
  });
});
