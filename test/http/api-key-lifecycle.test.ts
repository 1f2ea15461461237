import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashSecret } from '../../src/registry/secrets.js';
import { form, post, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

function send(key: string): Promise<{ status: number; code: number }> {
  const fields = {
    api_key: key, product_id: String(server.seed.productA), user_identifier: 'u', license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 't', data_group: 'g',
  };
  return post(`${server.url}/api/v1/send-telemetry-data`, form(fields), 'application/x-www-form-urlencoded').then((a) => ({ status: a.status, code: a.response.code }));
}

async function admin(path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${server.adminToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}/admin/api${path}`, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A key stored directly (bypassing the "expiry in the future" check of createApiKey). */
async function storedKey(secret: string, extra: { expires_at?: string; allowed_ips?: string[] }): Promise<number> {
  const key = await server.store.registry.createApiKey({
    name: secret, secret_hash: hashSecret(secret), capabilities: ['send_telemetry'], products: [], allowed_ips: extra.allowed_ips ?? [], expires_at: extra.expires_at ?? null,
  });
  return key.id;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('API key expiry', () => {
  it('an expired key answers 101 (Inactive API Key) with HTTP 401; one expiring later works', async () => {
    await storedKey('tly_expired-key-0001', { expires_at: '2020-01-01T00:00:00.000Z' });
    await storedKey('tly_future-key-0001', { expires_at: '2999-01-01T00:00:00.000Z' });
    assert.deepEqual(await send('tly_expired-key-0001'), { status: 401, code: 101 });
    assert.deepEqual(await send('tly_future-key-0001'), { status: 200, code: 830 });
  });

  it('keeps the check order 100 → 101 → 103: revoked beats expired, expired beats a wrong address', async () => {
    const revoked = await storedKey('tly_expired-revoked-01', { expires_at: '2020-01-01T00:00:00.000Z' });
    await server.store.registry.revokeApiKey(revoked);
    await storedKey('tly_expired-other-ip-1', { expires_at: '2020-01-01T00:00:00.000Z', allowed_ips: ['10.0.0.0/8'] });
    assert.deepEqual(await send('tly_expired-revoked-01'), { status: 401, code: 100 });
    assert.deepEqual(await send('tly_expired-other-ip-1'), { status: 401, code: 101 });
  });
});

describe('API key rotation over HTTP', () => {
  it('with a grace the old key keeps working until it ends, then answers 101; the new key works', async () => {
    const created = await admin('/api-keys', { name: 'rotating' });
    const oldSecret = String(created.body['key']);
    const rotated = await admin(`/api-keys/${String(created.body['id'])}/rotate`, { grace_seconds: 1 });
    assert.equal(rotated.status, 200);
    const newSecret = String(rotated.body['key']);
    assert.deepEqual(await send(oldSecret), { status: 200, code: 830 });
    assert.deepEqual(await send(newSecret), { status: 200, code: 830 });
    await sleep(1100);
    assert.deepEqual(await send(oldSecret), { status: 401, code: 101 });
    assert.deepEqual(await send(newSecret), { status: 200, code: 830 });
  });

  it('without a grace the old key answers 100 at once', async () => {
    const created = await admin('/api-keys', { name: 'rotating-now' });
    const rotated = await admin(`/api-keys/${String(created.body['id'])}/rotate`);
    assert.equal(rotated.status, 200);
    assert.deepEqual(await send(String(created.body['key'])), { status: 401, code: 100 });
    assert.deepEqual(await send(String(rotated.body['key'])), { status: 200, code: 830 });
  });
});

describe('API key last use', () => {
  it('is written only when the kept times are flushed, and only for successful uses', async () => {
    const created = await admin('/api-keys', { name: 'used', capabilities: ['get_telemetry'] });
    const id = Number(created.body['id']);
    const lastUsed = async (): Promise<string | null | undefined> => (await server.store.registry.listApiKeys()).find((k) => k.id === id)?.last_used_at;
    const refused = await send(String(created.body['key'])); // no send_telemetry capability: 102
    assert.equal(refused.code, 102);
    await server.flushKeyUsage();
    assert.equal(await lastUsed(), null, 'a refused request is not a use');
    const before = Date.now();
    const res = await fetch(`${server.url}/api/v1/get-telemetry-data?product_id=${server.seed.productA}`, { headers: { authorization: `Bearer ${String(created.body['key'])}` } });
    assert.equal(res.status, 200);
    assert.equal(await lastUsed(), null, 'nothing is written per request');
    await server.flushKeyUsage();
    const used = await lastUsed();
    assert.ok(used !== null && used !== undefined && Date.parse(used) >= before - 1 && Date.parse(used) <= Date.now(), String(used));
  });
});
