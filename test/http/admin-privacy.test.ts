import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ADMIN_RECORD_KEYS } from '../../src/query/record-shape.js';
import { form, post, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;

/** A report through the public API from 203.0.113.77 (through the trusted local proxy); its answer code. */
async function send(user: string, extra: Record<string, string> = {}): Promise<number> {
  const fields = {
    api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: user, license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: `from ${user}`, data_group: 'privacy', ...extra,
  };
  return (await post(`${server.url}/api/v1/send-telemetry-data`, form(fields), 'application/x-www-form-urlencoded', { 'x-forwarded-for': '203.0.113.77' })).response.code;
}

async function privacy(action: 'export' | 'erase', body: unknown, token: string | null = server.adminToken): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  return fetch(`${server.url}/admin/api/privacy/${action}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function exported(body: unknown): Promise<Record<string, unknown>[]> {
  const res = await privacy('export', body);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/x-ndjson');
  const text = await res.text();
  return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

const EVENT = randomUUID();

before(async () => {
  server = await startTestServer({ trustedProxies: '127.0.0.1', clientIpMode: 'truncated' });
  assert.equal(await send('erin', { event_id: EVENT }), 830);
  assert.equal(await send('erin'), 830);
  assert.equal(await send('erin', { license_key: 'LIC-EXPIRED' }), 830);
  assert.equal(await send('Erin'), 830);
  assert.equal(await send('frank'), 830);
});
after(() => server.close());

describe('POST /admin/api/privacy/export', () => {
  it('streams every record of the user identifier as NDJSON in the admin shape, client IP as kept', async () => {
    const lines = await exported({ user_identifier: 'erin' });
    assert.equal(lines.length, 3);
    for (const line of lines) {
      assert.deepEqual(Object.keys(line), [...ADMIN_RECORD_KEYS]);
      assert.equal(line['user_identifier'], 'erin');
      assert.equal(line['client_ip'], '203.0.113.0');
    }
  });

  it('narrows by license key and product, and matches the identifier exactly', async () => {
    assert.equal((await exported({ user_identifier: 'erin', license_key: 'LIC-EXPIRED' })).length, 1);
    assert.equal((await exported({ user_identifier: 'erin', product_id: server.seed.productB })).length, 0);
    assert.equal((await exported({ user_identifier: 'ERIN' })).length, 0);
  });

  it('refuses a request without a user identifier (400) and one without the admin token (401)', async () => {
    const missing = await privacy('export', { license_key: 'LIC-ACTIVE' });
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as { error: string }).error, /user_identifier/);
    assert.equal((await privacy('export', { user_identifier: 'erin', product_id: 0 })).status, 400);
    assert.equal((await privacy('export', { user_identifier: 'erin' }, null)).status, 401);
  });
});

describe('POST /admin/api/privacy/erase', () => {
  it('deletes the user\'s records and event ids, leaves the others, and a re-sent event id is stored again', async () => {
    const res = await privacy('erase', { user_identifier: 'erin' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { records: 3, event_ids: 1 });
    assert.deepEqual(await exported({ user_identifier: 'erin' }), []);
    assert.equal((await exported({ user_identifier: 'Erin' })).length, 1);
    assert.equal((await exported({ user_identifier: 'frank' })).length, 1);
    assert.equal(await send('erin', { event_id: EVENT }), 830, 'stored again, not 832');
    assert.equal(await send('erin', { event_id: EVENT }), 832);
    assert.equal((await exported({ user_identifier: 'erin' })).length, 1, 'a later report is stored normally');
  });

  it('refuses without a user identifier and erases nothing', async () => {
    const res = await privacy('erase', {});
    assert.equal(res.status, 400);
    assert.equal((await exported({ user_identifier: 'frank' })).length, 1);
  });
});
