import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { KindGuard } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { StoreUnavailableError } from '../../src/model/errors.js';
import { applyConfiguredAdminToken } from '../../src/registry/admin-token.js';
import { summarySchema } from '../../src/http/schemas/summary.js';
import { createAppDeps } from '../../src/runtime.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';

const TOKEN = 'admin-errors-test-token-0123456789';

let dataDir: string;
let store: Store;
let app: FastifyInstance;
const logged: string[] = [];
/** What the store's summarize does in the current test. */
let failure: Error = new Error('the summary query failed');

/** The admin API on a store whose summaries fail: past the admin error handler, to the app's. */
before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-admin-errors-'));
  const config = loadConfig({ dataDir, databaseUrl: null, logLevel: 'error', adminToken: TOKEN, rateLimitPerIp: 0, rateLimitPerKey: 0 }, {});
  store = await openStore(config);
  await applyConfiguredAdminToken(store.secrets, TOKEN);
  store.telemetry.summarize = async () => {
    throw failure;
  };
  const deps = await createAppDeps(config, store);
  app = await buildApp({ ...deps, logStream: { write: (line) => void logged.push(line) } });
  await app.ready();
});

after(async () => {
  await app.close();
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function summary(): Promise<{ status: number; body: string; requestId: string }> {
  const res = await app.inject({ method: 'GET', url: '/admin/api/summary?product_id=1&data_group=g', headers: { authorization: `Bearer ${TOKEN}`, 'x-request-id': 'admin-errors-1' } });
  return { status: res.statusCode, body: res.body, requestId: 'admin-errors-1' };
}

function declared(status: number, body: string): boolean {
  const schema = summarySchema.response[status];
  return KindGuard.IsSchema(schema) && Value.Check(schema, JSON.parse(body));
}

describe('admin errors that are not the caller\'s', () => {
  it('answer 500 with no details, logged once with the request id', async () => {
    failure = new Error('the summary query failed');
    logged.length = 0;
    const answer = await summary();
    assert.deepEqual([answer.status, answer.body], [500, '{"error":"Internal server error"}']);
    assert.ok(declared(500, answer.body));
    const lines = logged.map((line) => JSON.parse(line) as { msg?: string; reqId?: string; err?: { message?: string } });
    assert.equal(lines.length, 1, logged.join(''));
    assert.deepEqual([lines[0]?.msg, lines[0]?.reqId, lines[0]?.err?.message], ['unexpected error', answer.requestId, 'the summary query failed']);
  });

  it('answer 503 while the database cannot be used, logging nothing', async () => {
    failure = new StoreUnavailableError('the writer thread stopped');
    logged.length = 0;
    const answer = await summary();
    assert.deepEqual([answer.status, answer.body], [503, '{"error":"Service unavailable"}']);
    assert.ok(declared(503, answer.body));
    assert.deepEqual(logged, []);
  });
});
