import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ClientIpMode } from '../../src/model/client-ip-mode.js';
import { CLIENT_IP_MODE_SETTING, CLIENT_IP_SECRET_SETTING, openClientIpPolicy } from '../../src/privacy/client-ip-setting.js';
import { reportAt } from '../store/retention-contract.js';
import { form, post, startTestServer, TEST_BACKEND, type TestServer } from './test-server.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';
import { dropSchemas, randomName, TEST_DATABASE_URL } from '../postgres-helpers.js';

/** Sends one report through the public API from `ip` (X-Forwarded-For through the trusted local proxy) and returns its marker. */
async function sendFrom(server: TestServer, ip: string, license: string): Promise<string> {
  const marker = randomUUID();
  const fields = {
    api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: 'u-ip', license_key: license,
    activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 'x', data_group: 'ip-modes', marker,
  };
  const answer = await post(`${server.url}/api/v1/send-telemetry-data`, form(fields), 'application/x-www-form-urlencoded', { 'x-forwarded-for': ip });
  assert.ok([830, 831].includes(answer.response.code), JSON.stringify(answer.response));
  return marker;
}

/** Sends a batch of two reports from `ip` and returns their markers. */
async function sendBatchFrom(server: TestServer, ip: string, license: string): Promise<string[]> {
  const markers = [randomUUID(), randomUUID()];
  const items = markers.map((marker) => ({
    product_id: server.seed.productA, user_identifier: 'u-ip', license_key: license, activation_identifier: 'act-1', product_version: '1.0.1',
    data_type: 'text', text_data: 'x', data_group: 'ip-modes', marker,
  }));
  const answer = await post(`${server.url}/api/v1/send-telemetry-data-batch?api_key=${server.seed.keys.full}`, JSON.stringify(items), 'application/json', { 'x-forwarded-for': ip });
  assert.equal(answer.response.code, 840, JSON.stringify(answer.response));
  return markers;
}

async function adminGet(server: TestServer, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}/admin/api${path}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}

/** The client_ip of each marker's record, as the admin records API shows it. */
async function shownIps(server: TestServer, markers: readonly string[]): Promise<(string | null)[]> {
  const { records } = (await adminGet(server, '/records?data_group=ip-modes&limit=1000')) as { records: { client_ip: string | null; metadata: Record<string, unknown> }[] };
  return markers.map((marker) => {
    const record = records.find((r) => r.metadata['marker'] === marker);
    return record === undefined ? 'missing' : record.client_ip;
  });
}

/** The license insights' networks of one license key. */
async function networksOf(server: TestServer, license: string): Promise<unknown> {
  const { data } = (await adminGet(server, '/licenses/insights?limit=500')) as { data: { license_key: string; networks: number }[] };
  return data.find((row) => row.license_key === license)?.networks;
}

/** Runs `body` on a server with that mode, closing it after. */
async function withMode(mode: ClientIpMode | null, body: (server: TestServer) => Promise<void>): Promise<void> {
  const server = await startTestServer({ trustedProxies: '127.0.0.1', ...(mode === null ? {} : { clientIpMode: mode }) });
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

/** Two reports from one /24, one from another /24, one IPv6 batch of two from one /48: 3 networks. */
async function sendFromThreeNetworks(server: TestServer, license: string): Promise<{ v4: string[]; v6: string[] }> {
  const v4 = [await sendFrom(server, '203.0.113.77', license), await sendFrom(server, '203.0.113.5', license), await sendFrom(server, '198.51.100.9', license)];
  const v6 = await sendBatchFrom(server, '2001:db8:1:2::1', license);
  return { v4, v6 };
}

describe('--client-ip-mode at ingest (single reports and batches), in the admin records and the license insights', () => {
  it('full keeps the address as the client sent from', () => withMode('full', async (server) => {
    const { v4, v6 } = await sendFromThreeNetworks(server, 'LIC-ACTIVE');
    assert.deepEqual(await shownIps(server, [...v4, ...v6]), ['203.0.113.77', '203.0.113.5', '198.51.100.9', '2001:db8:1:2::1', '2001:db8:1:2::1']);
    assert.equal(await networksOf(server, 'LIC-ACTIVE'), 3);
  }));

  it('truncated keeps the IPv4 /24 and the IPv6 /48, and the networks count is unchanged', () => withMode('truncated', async (server) => {
    const { v4, v6 } = await sendFromThreeNetworks(server, 'LIC-ACTIVE');
    assert.deepEqual(await shownIps(server, [...v4, ...v6]), ['203.0.113.0', '203.0.113.0', '198.51.100.0', '2001:db8:1::', '2001:db8:1::']);
    assert.equal(await networksOf(server, 'LIC-ACTIVE'), 3);
  }));

  it('hashed keeps a marked hash of the network: one per network, counted as networks', () => withMode('hashed', async (server) => {
    const { v4, v6 } = await sendFromThreeNetworks(server, 'LIC-ACTIVE');
    const shown = await shownIps(server, [...v4, ...v6]);
    for (const value of shown) assert.match(value ?? '', /^hashed:[A-Za-z0-9_-]{22}$/);
    assert.equal(shown[0], shown[1], 'one /24, one hash');
    assert.equal(shown[3], shown[4]);
    assert.equal(new Set(shown).size, 3);
    assert.equal(await networksOf(server, 'LIC-ACTIVE'), 3);
    assert.match(await server.store.secrets.getSetting(CLIENT_IP_SECRET_SETTING) ?? '', /^[0-9a-f]{64}$/, 'the key\'s secret is in the settings table');
  }));

  it('none keeps nothing, and the networks count is 0', () => withMode('none', async (server) => {
    const { v4, v6 } = await sendFromThreeNetworks(server, 'LIC-ACTIVE');
    assert.deepEqual(await shownIps(server, [...v4, ...v6]), [null, null, null, null, null]);
    assert.equal(await networksOf(server, 'LIC-ACTIVE'), 0);
  }));

  it('the blocklist still matches the full address in every mode', () => withMode('none', async (server) => {
    const res = await fetch(`${server.url}/admin/api/blocklist`, {
      method: 'POST', headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'ip', value: '192.0.2.7' }),
    });
    assert.equal(res.status, 201);
    const fields = { api_key: server.seed.keys.full, product_id: String(server.seed.productA), data_type: 'text', text_data: 'x', data_group: 'ip-modes' };
    const answer = await post(`${server.url}/api/v1/send-telemetry-data`, form(fields), 'application/x-www-form-urlencoded', { 'x-forwarded-for': '192.0.2.7' });
    assert.equal(answer.response.code, 150);
  }));
});

describe('the client-IP mode a database remembers', () => {
  it('a new database takes truncated and remembers it', () => withMode(null, async (server) => {
    assert.equal(await server.store.secrets.getSetting(CLIENT_IP_MODE_SETTING), 'truncated');
    const marker = await sendFrom(server, '203.0.113.77', 'LIC-ACTIVE');
    assert.deepEqual(await shownIps(server, [marker]), ['203.0.113.0']);
  }));

  it('a database that already held reports (an upgrade) keeps full, with a notice; a configured mode wins; the first choice stays', async () => {
    const { store, close } = await freshStore();
    try {
      await store.telemetry.insertMany([reportAt(Date.UTC(2024, 5, 1) * 1000)]);
      const upgraded = await openClientIpPolicy(null, store);
      assert.equal(upgraded.policy.mode, 'full');
      assert.match(upgraded.notice ?? '', /stored in full.*--client-ip-mode/);
      assert.equal(await store.secrets.getSetting(CLIENT_IP_MODE_SETTING), 'full');
      const configured = await openClientIpPolicy('truncated', store);
      assert.deepEqual([configured.policy.mode, configured.notice], ['truncated', null]);
      assert.equal((await openClientIpPolicy(null, store)).policy.mode, 'full', 'a configured mode does not overwrite what the first start chose');
    } finally {
      await close();
    }
  });

  it('a configured mode on the first start is the one remembered', async () => {
    const { store, close } = await freshStore();
    try {
      assert.equal((await openClientIpPolicy('hashed', store)).policy.mode, 'hashed');
      assert.equal((await openClientIpPolicy(null, store)).policy.mode, 'hashed');
    } finally {
      await close();
    }
  });
});

/** A migrated, empty store of the backend under test, as an install before its first `tally serve`. */
async function freshStore(): Promise<{ store: Store; close(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-ip-mode-'));
  const schema = TEST_BACKEND === 'postgres' ? randomName() : undefined;
  const store = await openStore({ databaseUrl: schema === undefined ? null : TEST_DATABASE_URL, dataDir, sqliteSynchronous: 'NORMAL', schema });
  return {
    store,
    async close() {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (schema !== undefined) await dropSchemas([schema]);
    },
  };
}
