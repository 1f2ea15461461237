import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { PublicAuditEntry } from '../../src/query/audit-read.js';
import { applyConfiguredAdminToken } from '../../src/registry/admin-token.js';
import { runCli } from './cli-runner.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * The audit log for every kind of change (issue 18, docs/audit.md): each change made through the
 * admin API and through the CLI, on the server's own store (SQLite, or PostgreSQL in the
 * `TALLY_TEST_BACKEND=postgres` pass), is read back through GET /admin/api/audit with its actor,
 * action, target and the fields that changed, and no secret anywhere in the entry.
 */

let server: TestServer;
/** Every secret a change in this file made or used: none may appear in any entry. */
const secrets: string[] = [];
const CLI_NAME = `cli:${userInfo().username}`;

before(async () => {
  server = await startTestServer();
  secrets.push(server.adminToken, ...Object.values(server.seed.keys));
});
after(() => server.close());

async function admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { authorization: `Bearer ${server.adminToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}/admin/api${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as T };
}

async function cli(...args: string[]): Promise<string> {
  const result = await runCli([...args, ...server.cliStoreArgs]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

async function cliJson<T>(...args: string[]): Promise<T> {
  return JSON.parse(await cli(...args, '--json')) as T;
}

/** The newest entries matching the query (newest first). */
async function entries(query: Record<string, string>): Promise<PublicAuditEntry[]> {
  const answer = await admin<{ entries: PublicAuditEntry[] }>('GET', `/audit?${new URLSearchParams({ limit: '50', ...query })}`);
  assert.equal(answer.status, 200);
  for (const entry of answer.body.entries) assertNoSecret(entry);
  return answer.body.entries;
}

async function newest(query: Record<string, string>): Promise<PublicAuditEntry> {
  const [entry] = await entries(query);
  assert.ok(entry, `an entry for ${JSON.stringify(query)}`);
  return entry;
}

function assertNoSecret(entry: PublicAuditEntry): void {
  const text = JSON.stringify(entry);
  for (const secret of secrets) assert.ok(!text.includes(secret), `no secret in ${text}`);
  assert.ok(!/PRIVATE KEY|whsec_|tly_[A-Za-z0-9_-]{20}/.test(text), `nothing that looks like a secret in ${text}`);
}

/** Made through the admin API with the admin token: its actor, from the test's own address. */
function assertByAdminApi(entry: PublicAuditEntry): void {
  assert.equal(entry.actor_kind, 'admin-token');
  assert.equal(entry.actor_name, 'admin-token');
  assert.equal(entry.actor_account_id, null);
  assert.equal(entry.ip, '127.0.0.1');
  assert.match(entry.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
}

function assertByCli(entry: PublicAuditEntry): void {
  assert.equal(entry.actor_kind, 'cli');
  assert.equal(entry.actor_name, CLI_NAME);
  assert.equal(entry.ip, null);
}

describe('the audit log for every kind of change', () => {
  it('records products created, given versions and (from the CLI) deactivated and activated', async () => {
    const made = await admin<{ id: number }>('POST', '/products', { name: 'Audited', versions: ['1.0'] });
    const created = await newest({ target_type: 'product', target_id: String(made.body.id) });
    assertByAdminApi(created);
    assert.equal(created.action, 'product.create');
    assert.deepEqual(created.changes, { name: { before: null, after: 'Audited' }, versions: { before: null, after: ['1.0'] }, status: { before: null, after: 'active' } });

    await admin('POST', `/products/${made.body.id}/versions`, { version: '1.1' });
    await admin('POST', `/products/${made.body.id}/versions`, { version: '1.1' });
    const [added, ...rest] = await entries({ target_type: 'product', target_id: String(made.body.id), action: 'product.add_version' });
    assert.deepEqual(rest, [], 'adding a version it has changes nothing and is not recorded');
    assert.deepEqual(added?.changes, { versions: { before: ['1.0'], after: ['1.0', '1.1'] } });

    const byCli = await cliJson<{ id: number }>('product', 'create', '--name', 'From CLI');
    assertByCli(await newest({ target_type: 'product', target_id: String(byCli.id) }));
    await cli('product', 'add-version', String(byCli.id), '2.0');
    assert.deepEqual((await newest({ action: 'product.add_version', target_id: String(byCli.id) })).changes, { versions: { before: [], after: ['2.0'] } });
    await cli('product', 'deactivate', String(byCli.id));
    await cli('product', 'deactivate', String(byCli.id));
    const deactivations = await entries({ action: 'product.deactivate', target_id: String(byCli.id) });
    assert.equal(deactivations.length, 1);
    assertByCli(deactivations[0]!);
    assert.deepEqual(deactivations[0]?.changes, { status: { before: 'active', after: 'inactive' } });
    await cli('product', 'activate', String(byCli.id));
    assert.deepEqual((await newest({ action: 'product.activate', target_id: String(byCli.id) })).changes, { status: { before: 'inactive', after: 'active' } });
  });

  it('records licenses created, through the API and the CLI', async () => {
    const made = await admin<{ id: number }>('POST', '/licenses', { product_id: server.seed.productA, key: 'AUDIT-1', max_activations: 3 });
    const entry = await newest({ target_type: 'license', target_id: String(made.body.id) });
    assertByAdminApi(entry);
    assert.equal(entry.action, 'license.create');
    assert.deepEqual(entry.changes, {
      product_id: { before: null, after: server.seed.productA }, key: { before: null, after: 'AUDIT-1' }, status: { before: null, after: 'active' },
      max_activations: { before: null, after: 3 },
    });
    const byCli = await cliJson<{ id: number }>('license', 'create', '--product', String(server.seed.productA), '--key', 'AUDIT-2', '--status', 'blocked', '--expires-at', '2030-01-01');
    const fromCli = await newest({ target_type: 'license', target_id: String(byCli.id) });
    assertByCli(fromCli);
    assert.deepEqual(fromCli.changes, {
      product_id: { before: null, after: server.seed.productA }, key: { before: null, after: 'AUDIT-2' }, status: { before: null, after: 'blocked' },
      expires_at: { before: null, after: '2030-01-01T00:00:00.000Z' },
    });
  });

  it('records an import as one entry per license it created or changed, with the fields that changed', async () => {
    const a = server.seed.productA;
    const first = await admin<{ imported: number }>('POST', '/licenses/import', { text: `product_id,key,status\n${a},IMP-1,active\n${a},IMP-2,active\n` });
    assert.equal(first.body.imported, 2);
    const created = await entries({ action: 'license.import' });
    assert.equal(created.length, 2);
    for (const entry of created) assertByAdminApi(entry);
    const [imp1] = (await server.store.registry.findLicenses('IMP-1'));
    assert.ok(imp1);
    assert.deepEqual(created.find((e) => e.target_id === String(imp1.id))?.changes, {
      product_id: { before: null, after: a }, key: { before: null, after: 'IMP-1' }, status: { before: null, after: 'active' },
    });

    // The undocumented way to block a license until now: re-import it. IMP-2 is unchanged: no entry.
    const file = `${server.dataDir}/reimport.ndjson`;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, `{"product_id": ${a}, "key": "IMP-1", "status": "blocked", "max_activations": 2}\n{"product_id": ${a}, "key": "IMP-2", "status": "active"}\n`);
    await cli('license', 'import', file);
    const changed = await entries({ action: 'license.import', actor: CLI_NAME });
    assert.equal(changed.length, 1);
    assertByCli(changed[0]!);
    assert.equal(changed[0]?.target_id, String(imp1.id));
    assert.deepEqual(changed[0]?.changes, { status: { before: 'active', after: 'blocked' }, max_activations: { before: null, after: 2 } });
  });

  it('records activations, through the API and the CLI', async () => {
    const made = await admin<{ activation: { id: number } }>('POST', '/activations', { license_key: 'LIC-B', identifier: 'machine-7' });
    const entry = await newest({ target_type: 'activation', target_id: String(made.body.activation.id) });
    assertByAdminApi(entry);
    assert.equal(entry.action, 'activation.create');
    assert.deepEqual(entry.changes.identifier, { before: null, after: 'machine-7' });
    assert.deepEqual(entry.changes.license_key, { before: null, after: 'LIC-B' });
    const byCli = await cliJson<{ id: number }>('activation', 'create', '--license', 'LIC-B', '--identifier', 'machine-8');
    assertByCli(await newest({ target_type: 'activation', target_id: String(byCli.id) }));
  });

  it('records API keys created, deactivated, activated, updated, rotated (with the new expiry) and revoked, never their secrets', async () => {
    const made = await admin<{ id: number; key: string }>('POST', '/api-keys', { name: 'audited', capabilities: ['get_telemetry'] });
    secrets.push(made.body.key);
    const id = String(made.body.id);
    const created = await newest({ target_type: 'api_key', target_id: id });
    assertByAdminApi(created);
    assert.equal(created.action, 'api_key.create');
    assert.deepEqual(created.changes, {
      name: { before: null, after: 'audited' }, capabilities: { before: null, after: ['get_telemetry'] }, products: { before: null, after: [] },
      allowed_ips: { before: null, after: [] }, signature_scheme: { before: null, after: 'auto' },
    });
    await admin('POST', `/api-keys/${id}/deactivate`);
    assert.deepEqual((await newest({ action: 'api_key.deactivate', target_id: id })).changes, { active: { before: true, after: false } });
    await admin('POST', `/api-keys/${id}/activate`);
    assert.deepEqual((await newest({ action: 'api_key.activate', target_id: id })).changes, { active: { before: false, after: true } });
    await admin('POST', `/api-keys/${id}/update`, { signature_scheme: 'contract' });
    assert.deepEqual((await newest({ action: 'api_key.update', target_id: id })).changes, { signature_scheme: { before: 'auto', after: 'contract' } });

    const rotated = await admin<{ id: number; key: string; old: { expires_at: string } }>('POST', `/api-keys/${id}/rotate`, { grace_seconds: 600 });
    secrets.push(rotated.body.key);
    const rotation = await newest({ action: 'api_key.rotate', target_id: id });
    assertByAdminApi(rotation);
    assert.deepEqual(rotation.changes, { expires_at: { before: null, after: rotated.body.old.expires_at }, rotated_to: { before: null, after: rotated.body.id } });
    const successor = await newest({ action: 'api_key.create', target_id: String(rotated.body.id) });
    assert.deepEqual(successor.changes.rotated_from, { before: null, after: made.body.id });
    assert.deepEqual(successor.changes.signature_scheme, { before: null, after: 'contract' });

    const byCli = await cliJson<{ id: number; key: string }>('api-key', 'create', '--name', 'cli-key');
    secrets.push(byCli.key);
    assertByCli(await newest({ action: 'api_key.create', target_id: String(byCli.id) }));
    await cli('api-key', 'revoke', String(byCli.id));
    const revoked = await newest({ action: 'api_key.revoke', target_id: String(byCli.id) });
    assertByCli(revoked);
    assert.deepEqual(revoked.changes, { revoked: { before: false, after: true } });
    const cliRotated = await cliJson<{ id: number; key: string }>('api-key', 'rotate', String(rotated.body.id));
    secrets.push(cliRotated.key);
    assert.deepEqual((await newest({ action: 'api_key.rotate', target_id: String(rotated.body.id) })).changes, {
      revoked: { before: false, after: true }, rotated_to: { before: null, after: cliRotated.id },
    });
    for (const entry of await entries({ target_type: 'api_key' })) assertNoSecret(entry);
  });

  it('records webhooks created, tested and removed, never their signing secret', async () => {
    const made = await admin<{ id: number; secret: string }>('POST', '/webhooks', { url: 'https://hooks.example/tally', events: ['license.shared'] });
    secrets.push(made.body.secret);
    const id = String(made.body.id);
    const created = await newest({ target_type: 'webhook', target_id: id });
    assertByAdminApi(created);
    assert.deepEqual(created.changes, { url: { before: null, after: 'https://hooks.example/tally' }, events: { before: null, after: ['license.shared'] } });
    const tested = await admin<{ event_id: string }>('POST', `/webhooks/${id}/test`);
    assert.deepEqual((await newest({ action: 'webhook.test', target_id: id })).changes, { event_id: { before: null, after: tested.body.event_id } });
    await admin('DELETE', `/webhooks/${id}`);
    const removed = await newest({ action: 'webhook.remove', target_id: id });
    assertByAdminApi(removed);
    assert.deepEqual(removed.changes, { url: { before: 'https://hooks.example/tally', after: null }, events: { before: ['license.shared'], after: null } });

    const byCli = await cliJson<{ id: number; secret: string }>('webhook', 'create', '--url', 'http://127.0.0.1:9/hook');
    secrets.push(byCli.secret);
    assertByCli(await newest({ action: 'webhook.create', target_id: String(byCli.id) }));
    await cli('webhook', 'test', String(byCli.id));
    assertByCli(await newest({ action: 'webhook.test', target_id: String(byCli.id) }));
    await cli('webhook', 'remove', String(byCli.id));
    assertByCli(await newest({ action: 'webhook.remove', target_id: String(byCli.id) }));
  });

  it('records blocklist entries added and removed, through the API and the CLI', async () => {
    const made = await admin<{ id: number }>('POST', '/blocklist', { kind: 'license_key', value: 'PIRATE-1', reason: 'shared online' });
    const id = String(made.body.id);
    const added = await newest({ target_type: 'block', target_id: id });
    assertByAdminApi(added);
    assert.equal(added.action, 'block.add');
    assert.deepEqual(added.changes, {
      kind: { before: null, after: 'license_key' }, value: { before: null, after: 'PIRATE-1' }, reason: { before: null, after: 'shared online' },
      ignore_case: { before: null, after: false },
    });
    await admin('DELETE', `/blocklist/${id}`);
    const removed = await newest({ action: 'block.remove', target_id: id });
    assertByAdminApi(removed);
    assert.deepEqual(removed.changes.value, { before: 'PIRATE-1', after: null });

    const byCli = await cliJson<{ id: number }>('block', 'add', '--ip', '198.51.100.0/24', '--product', String(server.seed.productB));
    const cliAdded = await newest({ action: 'block.add', target_id: String(byCli.id) });
    assertByCli(cliAdded);
    assert.deepEqual(cliAdded.changes.product_id, { before: null, after: server.seed.productB });
    await cli('block', 'remove', String(byCli.id));
    assertByCli(await newest({ action: 'block.remove', target_id: String(byCli.id) }));
  });

  it('records signing keys made and rotated by their key id, never the private key', async () => {
    const own = await cliJson<{ key_id: string; scope: string }>('keys', 'create', '--product', String(server.seed.productB), '--algorithm', 'ed25519');
    const created = await newest({ target_type: 'signing_key', target_id: own.scope });
    assertByCli(created);
    assert.equal(created.action, 'signing_key.create');
    assert.deepEqual(created.changes, { key_id: { before: null, after: own.key_id }, algorithm: { before: null, after: 'ed25519' } });
    const before = (await server.store.secrets.getSigningKey('global'))?.key_id;
    const rotated = await cliJson<{ key_id: string; retired_key_id: string }>('keys', 'rotate', '--algorithm', 'ed25519');
    const entry = await newest({ action: 'signing_key.rotate', target_id: 'global' });
    assertByCli(entry);
    assert.equal(rotated.retired_key_id, before);
    assert.deepEqual(entry.changes.key_id, { before, after: rotated.key_id });
    assert.equal((entry.changes.algorithm as { after: unknown } | undefined)?.after, 'ed25519');
  });

  it('records the admin token set from TALLY_ADMIN_TOKEN only when it changes, as "(changed)"', async () => {
    const log = { log: server.store.audit, actor: { kind: 'cli' as const, accountId: null, name: 'cli:server-start', ip: null } };
    await applyConfiguredAdminToken(server.store.secrets, server.adminToken, log);
    assert.deepEqual(await entries({ target_type: 'setting', target_id: 'admin_token' }), [], 'the same token again changes nothing');
    const next = 'another-admin-token-0123456789abcdef';
    secrets.push(next);
    await applyConfiguredAdminToken(server.store.secrets, next, log);
    await applyConfiguredAdminToken(server.store.secrets, server.adminToken, log);
    const [back, changed, ...rest] = await entries({ target_type: 'setting', target_id: 'admin_token' });
    assert.deepEqual(rest, []);
    for (const entry of [back, changed]) {
      assert.equal(entry?.action, 'setting.update');
      assert.equal(entry?.actor_name, 'cli:server-start');
      assert.deepEqual(entry?.changes, { admin_token: { before: '(changed)', after: '(changed)' } });
    }
  });

  it('shows what the audit log itself holds to `tally audit` the same way as to the API, and no secret in any entry', async () => {
    const api = await admin<{ entries: PublicAuditEntry[]; next_after: number | null }>('GET', '/audit?limit=5');
    const fromCli = await cliJson<{ entries: PublicAuditEntry[]; next_after: number | null }>('audit', '--limit', '5');
    assert.deepEqual(fromCli, api.body);
    const all = await cli('audit', '--format', 'ndjson');
    const lines = all.trim().split('\n').map((line) => JSON.parse(line) as PublicAuditEntry);
    assert.ok(lines.length > 30, `${lines.length} entries`);
    for (const entry of lines) assertNoSecret(entry);
  });
});
