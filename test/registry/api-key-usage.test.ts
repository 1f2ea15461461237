import assert from 'node:assert/strict';
import { NO_AUDIT } from '../audit-helpers.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startApiKeyUsageJob } from '../../src/jobs/api-key-usage-job.js';
import { loadConfig } from '../../src/config/config.js';
import { ApiKeyUsage } from '../../src/registry/api-key-usage.js';
import { createApiKey } from '../../src/registry/api-keys.js';
import { startServer } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';
import type { ApiKeyUse } from '../../src/store/contract/store.js';
import { form } from '../http/test-server.js';

/** A touchApiKeys that records each write, failing while `failing` is set. */
function recorder(): { writes: ApiKeyUse[][]; failing: boolean; touchApiKeys(uses: readonly ApiKeyUse[]): Promise<void> } {
  return {
    writes: [],
    failing: false,
    async touchApiKeys(uses) {
      if (this.failing) throw new Error('database is down');
      this.writes.push([...uses]);
    },
  };
}

const at = (ms: number): string => new Date(ms).toISOString();

/** Polls until `done` (a busy machine may run timers late), failing after 5 s. */
async function waitFor(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('API key last-use times in memory', () => {
  it('keep the latest use per key and write them in one call per flush, nothing when idle', async () => {
    const store = recorder();
    const usage = new ApiKeyUsage(store);
    usage.record(1, 5000);
    usage.record(2, 4000);
    usage.record(1, 3000); // an older time never replaces a newer one
    usage.record(1, 6000);
    assert.equal(usage.pendingCount, 2);
    await usage.flush();
    await usage.flush();
    assert.deepEqual(store.writes, [[{ id: 1, at: at(6000) }, { id: 2, at: at(4000) }]]);
    assert.equal(usage.pendingCount, 0);
  });

  it('keep the uses of a failed flush for the next one', async () => {
    const store = recorder();
    const usage = new ApiKeyUsage(store);
    usage.record(1, 1000);
    store.failing = true;
    await assert.rejects(usage.flush(), /database is down/);
    usage.record(1, 2000);
    usage.record(2, 500);
    store.failing = false;
    await usage.flush();
    assert.deepEqual(store.writes, [[{ id: 1, at: at(2000) }, { id: 2, at: at(500) }]]);
  });

  it('are flushed by the job on its interval and once more when it stops; a failure is logged', async () => {
    const store = recorder();
    const usage = new ApiKeyUsage(store);
    const logged: string[] = [];
    const job = startApiKeyUsageJob(usage, { intervalMs: 20, log: (line) => logged.push(line) });
    usage.record(1, 1000);
    await waitFor(() => store.writes.length > 0);
    assert.deepEqual(store.writes, [[{ id: 1, at: at(1000) }]]);
    store.failing = true;
    usage.record(2, 2000);
    await waitFor(() => logged.length > 0);
    assert.match(logged[0] ?? '', /last-use flush failed: Error: database is down/);
    store.failing = false;
    await job.stop();
    assert.deepEqual(store.writes.at(-1), [{ id: 2, at: at(2000) }]);
  });
});

describe('the server and API key last use', () => {
  it('writes the last-use times it keeps when it shuts down', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-last-use-'));
    try {
      const seeded = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'FULL' });
      const product = await seeded.registry.createProduct({ name: 'App', versions: ['1.0.0'] });
      const { key, secret } = await createApiKey(seeded.registry, { name: 'used' }, NO_AUDIT);
      await seeded.close();
      const config = loadConfig({ dataDir, databaseUrl: null, port: 0, host: '127.0.0.1', logLevel: 'silent', adminToken: 'admin-token-last-use-0123456789abcdef' }, {});
      const server = await startServer(config, { handleSignals: false });
      const before = Date.now();
      const res = await fetch(`${server.url}/api/v1/send-telemetry-data`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ api_key: secret, product_id: String(product.id), data_type: 'text', text_data: 't', data_group: 'g' }),
      });
      assert.equal(res.status, 200);
      await server.close();
      const reopened = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'FULL' });
      const used = (await reopened.registry.listApiKeys()).find((k) => k.id === key.id)?.last_used_at ?? null;
      await reopened.close();
      assert.ok(used !== null && Date.parse(used) >= before - 1 && Date.parse(used) <= Date.now(), String(used));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
