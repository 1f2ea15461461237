import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { License } from '../../src/model/registry.js';
import type { ListedActivation } from '../../src/store/contract/license-store.js';
import { runCli } from './cli-runner.js';
import { form, post, startTestServer, TEST_BACKEND, type TestServer } from './test-server.js';

let server: TestServer;
let productId: number;
const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-lifecycle-'));

type Body = Record<string, unknown>;

async function admin<T = Body>(route: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { authorization: `Bearer ${server.adminToken}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}/admin/api${route}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: res.status, body: (await res.json()) as T };
}

/** `tally …` on the server's own database, with --json: its stdout parsed (exit 0 required). */
async function cli<T = Body>(args: string[]): Promise<T> {
  const result = await runCli([...args, '--json', ...server.cliStoreArgs]);
  assert.equal(result.code, 0, `tally ${args.join(' ')}: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `one JSON value on stdout: ${result.stdout}`);
  return JSON.parse(result.stdout) as T;
}

async function cliFails(args: string[]): Promise<string> {
  const result = await runCli([...args, ...server.cliStoreArgs]);
  assert.equal(result.code, 1, result.stdout);
  assert.equal(result.stdout, '');
  return result.stderr;
}

function file(name: string, text: string): string {
  const where = path.join(tempDir, name);
  fs.writeFileSync(where, text);
  return where;
}

/** One report of the key from a machine; returns the stored record's flags. */
async function report(licenseKey: string, activation: string): Promise<{ license_active: number; activation_exists: number; license_key_exists: number }> {
  const fields = {
    api_key: server.seed.keys.full, product_id: String(productId), user_identifier: 'u', license_key: licenseKey,
    activation_identifier: activation, product_version: '3.0.0', data_type: 'numeric-single-value', numeric_data_single_value: '1', data_group: 'g',
  };
  const answer = await post(`${server.url}/api/v1/send-telemetry-data`, form(fields), 'application/x-www-form-urlencoded');
  assert.equal(answer.status, 200);
  const [stored] = (await server.store.telemetry.list({ limit: 1_000_000 })).slice(-1);
  assert.ok(stored);
  return { license_active: stored.license_active, activation_exists: stored.activation_exists, license_key_exists: stored.license_key_exists };
}

/** Reports until the flags are as expected: a change made by the CLI reaches the server within its registry cache TTL. */
async function reportUntil(licenseKey: string, activation: string, expected: Partial<Awaited<ReturnType<typeof report>>>): Promise<void> {
  let last: Awaited<ReturnType<typeof report>> | undefined;
  for (let attempt = 0; attempt < 100; attempt++) {
    last = await report(licenseKey, activation);
    if (Object.entries(expected).every(([name, value]) => last?.[name as keyof typeof last] === value)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`flags stayed ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`);
}

before(async () => {
  server = await startTestServer();
  productId = (await admin<{ id: number }>('/products', { method: 'POST', body: { name: 'Lifecycle', versions: ['3.0.0'] } })).body.id;
});
after(async () => {
  await server.close();
  fs.rmSync(tempDir, { recursive: true, force: true });
});

describe(`the license lifecycle through the CLI and the admin API (${TEST_BACKEND})`, () => {
  it('imports licenses with --json, and with --no-update leaves existing ones untouched and counts them as skipped', async () => {
    const first = file('licenses.csv', `product_id,key,status,max_activations\n${productId},LIFE-1,active,2\n${productId},LIFE-2,active,\n`);
    assert.deepEqual(await cli(['license', 'import', first]), { imported: 2, skipped: 0 });
    const second = file('more.csv', `product_id,key,status\n${productId},LIFE-1,blocked\n${productId},LIFE-3,active\n`);
    assert.deepEqual(await cli(['license', 'import', second, '--no-update']), { imported: 1, skipped: 1 });
    const [one] = await server.store.registry.findLicenses('LIFE-1');
    assert.equal(one?.status, 'active');
    assert.equal(one?.max_activations, 2);
    assert.deepEqual(await cli(['license', 'import', second]), { imported: 2, skipped: 0 });
    assert.equal((await server.store.registry.findLicenses('LIFE-1'))[0]?.status, 'blocked');
    const again = await admin('/licenses/import', { method: 'POST', body: { text: `product_id,key\n${productId},LIFE-1\n${productId},LIFE-4\n`, update: false } });
    assert.deepEqual(again, { status: 200, body: { imported: 1, skipped: 1 } });
  });

  it('imports activations from CSV and NDJSON (bad rows listed with line numbers, nothing written), idempotently', async () => {
    const bad = file('bad.csv', 'license_key,identifier\nLIFE-1,m-1\nNOPE,m-2\nLIFE-1,m-1\n');
    const stderr = await cliFails(['activation', 'import', bad]);
    assert.match(stderr, /line 3: No license "NOPE"/);
    assert.match(stderr, /line 4: Same license and identifier as line 2/);
    assert.deepEqual(await cli(['activation', 'list', '--license', 'LIFE-1']), { activations: [], next: null });
    const csv = file('activations.csv', 'license_key,identifier,product_id\nLIFE-1,m-1,\nLIFE-1,m-2,\nLIFE-2,m-1,' + productId + '\n');
    assert.deepEqual(await cli(['activation', 'import', csv]), { imported: 3, unchanged: 0 });
    assert.deepEqual(await cli(['activation', 'import', csv]), { imported: 0, unchanged: 3 });
    const ndjson = `{"license_key":"LIFE-3","identifier":"m-9"}\n{"license_key":"LIFE-1","identifier":"m-1"}\n`;
    assert.deepEqual((await admin('/activations/import', { method: 'POST', body: { text: ndjson } })).body, { imported: 1, unchanged: 1 });
    const page = await cli<{ activations: ListedActivation[]; next: string | null }>(['activation', 'list', '--product', String(productId), '--limit', '2']);
    assert.equal(page.activations.length, 2);
    assert.notEqual(page.next, null);
    const rest = await admin<{ activations: ListedActivation[]; next: string | null }>(`/activations?product_id=${productId}&after=${page.next}`);
    assert.deepEqual(rest.body.activations.map((a) => `${a.license_key}/${a.identifier}`), ['LIFE-2/m-1', 'LIFE-3/m-9']);
    assert.equal(rest.body.next, null);
  });

  it('lists with filters through both, shows a license with activations and report counts, and updates it', async () => {
    await report('LIFE-1', 'm-1');
    const listed = await cli<{ licenses: License[] }>(['license', 'list', '--product', String(productId), '--status', 'blocked']);
    assert.deepEqual(listed.licenses.map((l) => l.key), ['LIFE-1']);
    const viaApi = await admin<{ licenses: License[] }>(`/licenses?product_id=${productId}&search=life-&expiry=never&limit=10`);
    assert.deepEqual(viaApi.body.licenses.map((l) => l.key), ['LIFE-1', 'LIFE-2', 'LIFE-3', 'LIFE-4']);
    const shown = await cli<{ license: License; activations: ListedActivation[]; reports: { total: number; flagged: number; last_report_at: string | null } }>(['license', 'show', 'LIFE-1']);
    assert.deepEqual(shown.activations.map((a) => a.identifier), ['m-1', 'm-2']);
    assert.equal(shown.reports.total, 1);
    assert.equal(shown.reports.flagged, 1);
    assert.match(shown.reports.last_report_at ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const updated = await cli<License>(['license', 'update', 'LIFE-1', '--status', 'active', '--expires-at', '2031-05-01', '--max-activations', '4', '--notes', 'Reseller: Contoso']);
    assert.deepEqual([updated.status, updated.expires_at, updated.max_activations, updated.notes], ['active', '2031-05-01T00:00:00.000Z', 4, 'Reseller: Contoso']);
    const cleared = await cli<License>(['license', 'update', String(updated.id), '--no-expiry', '--no-seats', '--notes', '']);
    assert.deepEqual([cleared.expires_at, cleared.max_activations, cleared.notes], [null, null, null]);
    const patched = await admin<License>(`/licenses/${updated.id}`, { method: 'PATCH', body: { notes: 'contoso', expires_at: '2020-01-01' } });
    assert.equal(patched.status, 200);
    assert.deepEqual((await cli<{ licenses: License[] }>(['license', 'list', '--expired', '--search', 'CONTOSO'])).licenses.map((l) => l.key), ['LIFE-1']);
    assert.deepEqual((await cli<{ licenses: License[] }>(['license', 'list', '--product', String(productId), '--expires-before', '2021-01-01'])).licenses.map((l) => l.key), ['LIFE-1']);
    await admin(`/licenses/${updated.id}`, { method: 'PATCH', body: { expires_at: null } });
  });

  it('a block through the API flags the next report at once; a deactivation too; unblocking restores them', async () => {
    const [license] = await server.store.registry.findLicenses('LIFE-1');
    assert.ok(license);
    await reportUntil('LIFE-1', 'm-1', { license_active: 1, activation_exists: 1 });
    assert.equal((await admin<License>(`/licenses/${license.id}/block`, { method: 'POST' })).body.status, 'blocked');
    assert.equal((await report('LIFE-1', 'm-1')).license_active, 0);
    assert.equal((await admin<License>(`/licenses/${license.id}/unblock`, { method: 'POST' })).body.status, 'active');
    assert.equal((await report('LIFE-1', 'm-1')).license_active, 1);
    const [m1] = (await admin<{ activations: ListedActivation[] }>(`/licenses/${license.id}/activations`)).body.activations;
    assert.ok(m1);
    const off = await admin<ListedActivation>(`/activations/${m1.id}/deactivate`, { method: 'POST' });
    assert.notEqual(off.body.deactivated_at, null);
    assert.equal((await report('LIFE-1', 'm-1')).activation_exists, 0);
    assert.deepEqual(await cli(['activation', 'import', file('again.csv', 'license_key,identifier\nLIFE-1,m-1\n')]), { imported: 1, unchanged: 0 });
    await reportUntil('LIFE-1', 'm-1', { activation_exists: 1 });
  });

  it('a deactivation and a revoke through the CLI reach the server within its cache TTL; revoked is final everywhere', async () => {
    const deactivated = await cli<ListedActivation>(['activation', 'deactivate', '--license', 'LIFE-1', '--identifier', 'm-2']);
    assert.notEqual(deactivated.deactivated_at, null);
    await reportUntil('LIFE-1', 'm-2', { activation_exists: 0 });
    const revoked = await cli<License>(['license', 'revoke', 'LIFE-1']);
    assert.equal(revoked.status, 'revoked');
    await reportUntil('LIFE-1', 'm-1', { license_active: 0 });
    assert.match(await cliFails(['license', 'unblock', 'LIFE-1']), /revoked; revoking is final/);
    assert.match(await cliFails(['license', 'update', 'LIFE-1', '--status', 'active']), /revoking is final/);
    const refused = await admin(`/licenses/${revoked.id}`, { method: 'PATCH', body: { status: 'blocked' } });
    assert.equal(refused.status, 400);
    assert.match(String(refused.body['error']), /revoking is final/);
    assert.deepEqual(await cli(['license', 'import', file('unrevoke.csv', `product_id,key,status\n${productId},LIFE-1,active\n`)]), { imported: 1, skipped: 0 });
    assert.equal((await server.store.registry.findLicenses('LIFE-1'))[0]?.status, 'revoked');
    assert.equal((await admin<License>(`/licenses/${revoked.id}`, { method: 'PATCH', body: { notes: 'refunded' } })).body.notes, 'refunded');
  });

  it('bulk-blocks a page of licenses, says which it could not act on, and deletes one with its activations', async () => {
    const page = await admin<{ licenses: License[] }>(`/licenses?product_id=${productId}`);
    const ids = page.body.licenses.map((l) => l.id);
    const revoked = page.body.licenses.find((l) => l.status === 'revoked');
    assert.ok(revoked);
    const bulk = await admin<{ changed: number[]; unchanged: number[]; refused: { id: number; error: string }[] }>('/licenses/bulk', { method: 'POST', body: { ids: [...ids, 999_999], action: 'unblock' } });
    assert.equal(bulk.status, 200);
    assert.deepEqual(bulk.body.refused.map((r) => r.id), [revoked.id, 999_999]);
    const blocked = await admin<{ changed: number[]; unchanged: number[]; refused: { id: number }[] }>('/licenses/bulk', { method: 'POST', body: { ids, action: 'block' } });
    assert.deepEqual(blocked.body.changed, ids.filter((id) => id !== revoked.id));
    assert.deepEqual(blocked.body.refused.map((r) => r.id), [revoked.id]);
    assert.deepEqual((await admin<{ unchanged: number[] }>('/licenses/bulk', { method: 'POST', body: { ids: blocked.body.changed, action: 'block' } })).body.unchanged, blocked.body.changed);
    const [three] = await server.store.registry.findLicenses('LIFE-3');
    assert.ok(three);
    assert.deepEqual(await cli(['license', 'delete', 'LIFE-3']), { id: three.id, key: 'LIFE-3', product_id: productId, deleted: true });
    assert.equal((await admin(`/licenses/${three.id}`)).status, 404);
    assert.equal((await server.store.registry.listActivations({ licenseId: three.id, limit: 10 })).length, 0);
    assert.match(await cliFails(['license', 'show', 'LIFE-3']), /No license "LIFE-3"/);
    assert.equal((await report('LIFE-3', 'm-9')).license_key_exists, 0);
  });

  it('manages a thousand licenses and their activations without a CSV round trip: one import call, filtered pages, a bulk block of 100', async () => {
    const bulkProduct = (await admin<{ id: number }>('/products', { method: 'POST', body: { name: 'Thousand' } })).body.id;
    const licenses = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ product_id: bulkProduct, key: `BULK-${String(i).padStart(4, '0')}`, max_activations: 2 }));
    assert.deepEqual((await admin('/licenses/import', { method: 'POST', body: { text: licenses.join('\n') } })).body, { imported: 1000, skipped: 0 });
    const activations = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ license_key: `BULK-${String(i).padStart(4, '0')}`, identifier: `machine-${i}`, product_id: bulkProduct }));
    assert.deepEqual((await admin('/activations/import', { method: 'POST', body: { text: activations.join('\n') } })).body, { imported: 1000, unchanged: 0 });
    const seen: License[] = [];
    let after: string | null = '';
    while (after !== null) {
      const page: { status: number; body: { licenses: License[]; next: string | null } } = await admin(`/licenses?product_id=${bulkProduct}&limit=300${after === '' ? '' : `&after=${after}`}`);
      seen.push(...page.body.licenses);
      after = page.body.next;
    }
    assert.equal(seen.length, 1000);
    assert.equal(new Set(seen.map((l) => l.id)).size, 1000);
    const first100 = seen.slice(0, 100).map((l) => l.id);
    const blocked = await admin<{ changed: number[] }>('/licenses/bulk', { method: 'POST', body: { ids: first100, action: 'block' } });
    assert.equal(blocked.body.changed.length, 100);
    const blockedPage = await admin<{ licenses: License[]; next: string | null }>(`/licenses?product_id=${bulkProduct}&status=blocked&limit=1000`);
    assert.deepEqual(blockedPage.body.licenses.map((l) => l.id), first100);
    assert.equal((await cli<{ licenses: License[] }>(['license', 'list', '--product', String(bulkProduct), '--search', 'bulk-099', '--limit', '1000'])).licenses.length, 10);
    const perProduct = await admin<{ activations: ListedActivation[]; next: string | null }>(`/activations?product_id=${bulkProduct}&limit=1000`);
    assert.equal(perProduct.body.activations.length, 1000);
    assert.equal(perProduct.body.next, null);
  });
});
