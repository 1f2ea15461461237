import assert from 'node:assert/strict';
import { NO_AUDIT } from '../audit-helpers.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { logSerializers } from '../../src/http/plugins/log-serializers.js';
import { createApiKey } from '../../src/registry/api-keys.js';
import { applyConfiguredAdminToken } from '../../src/registry/admin-token.js';
import { createAppDeps } from '../../src/runtime.js';
import { openStore } from '../../src/store/open-store.js';
import type { RegistryStore, Store } from '../../src/store/contract/store.js';
import { form } from './test-server.js';

const ADMIN_TOKEN = 'admin-token-never-logged-0123456789';
const lines: string[] = [];
let app: FastifyInstance;
let store: Store;
let url: string;
let secret: string;
let dataDir: string;

/** The registry requests see, failing as a broken database would: every request that authenticates gets a logged 500. */
function failing(inner: RegistryStore): RegistryStore {
  return { ...inner, findApiKeyByHash: () => Promise.reject(new Error('database is unreachable')) };
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-log-'));
  const config = loadConfig({ dataDir, databaseUrl: null, logLevel: 'trace', adminToken: ADMIN_TOKEN, rateLimitPerIp: 0, rateLimitPerKey: 0 }, {});
  store = await openStore(config);
  await applyConfiguredAdminToken(store.secrets, ADMIN_TOKEN, NO_AUDIT);
  secret = (await createApiKey(store.registry, { name: 'logged?' }, NO_AUDIT)).secret;
  const deps = await createAppDeps(config, store);
  app = await buildApp({ ...deps, registry: failing(store.registry), logStream: { write: (line) => void lines.push(line) } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

after(async () => {
  await app.close();
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('secrets in the log', () => {
  it('a request that fails with a logged error leaves no API key or admin token in the log', async () => {
    const endpoint = `${url}/api/v1/send-telemetry-data`;
    const formType = { 'content-type': 'application/x-www-form-urlencoded' };
    const answers = await Promise.all([
      fetch(`${endpoint}?api_key=${secret}&product_id=1`, { method: 'POST', headers: formType, body: form({ data_group: 'g' }) }),
      fetch(endpoint, { method: 'POST', headers: { ...formType, authorization: `Bearer ${secret}` }, body: form({ data_group: 'g' }) }),
      fetch(endpoint, { method: 'POST', headers: formType, body: form({ api_key: secret, data_group: 'g' }) }),
      fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: secret }) }),
      fetch(`${url}/api/v1/get-telemetry-data?api_key=${secret}`),
      fetch(`${url}/admin/api/api-keys?token=${ADMIN_TOKEN}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
      fetch(`${url}/admin/api/nothing-here?api_key=${secret}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
    ]);
    assert.deepEqual(answers.slice(0, 5).map((res) => res.status), [500, 500, 500, 500, 500]);
    const log = lines.join('');
    const errors = lines.filter((line) => line.includes('unexpected error'));
    assert.equal(errors.length, 5, log);
    // The lines say what failed and where, so the test would see a secret if one were logged.
    assert.ok(errors.every((line) => line.includes('database is unreachable')), log);
    assert.ok(errors.some((line) => line.includes('"path":"/api/v1/send-telemetry-data"')), log);
    // The 5xx line of each answer names its path too (it once kept only the method).
    const serverErrors = lines.filter((line) => line.includes('answered with a server error'));
    assert.ok(serverErrors.length >= 5 && serverErrors.every((line) => line.includes('"path":"/api/v1/')), log);
    assert.ok(!log.includes(secret), log);
    assert.ok(!log.includes(secret.slice(4, 20)), 'not even part of the secret');
    assert.ok(!log.includes(ADMIN_TOKEN), log);
    assert.ok(!log.includes('api_key='), log);
  });

  it('the request serializer drops the query string and has no headers or body', () => {
    const logged = logSerializers.req({ method: 'GET', url: `/api/v1/get-telemetry-data?api_key=${'s'.repeat(20)}`, ip: '192.0.2.1' });
    assert.deepEqual(logged, { method: 'GET', path: '/api/v1/get-telemetry-data', remoteAddress: '192.0.2.1' });
  });
});
