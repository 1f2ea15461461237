import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { WRITER_THREAD_MIN_RECORDS } from '../../src/store/sqlite/sqlite-store.js';
import { post, SQLITE_ONLY, startTestServer, type Answer, type TestServer } from './test-server.js';

/**
 * Batches large enough to commit on the SQLite writer thread (decision 0017), end to end over
 * HTTP: what is stored, the per-item answers, and a locked database file. On PostgreSQL (the
 * second pass) the same batches commit on the pool, and the first suite must hold all the same.
 */
let server: TestServer;
const SIZE = WRITER_THREAD_MIN_RECORDS + 50;

function report(i: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    product_id: server.seed.productA, user_identifier: `user-${i % 7}`, license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
    product_version: '1.0.1', data_type: 'numeric-single-value', numeric_data_single_value: String(i), data_group: 'writer', ...overrides,
  };
}

function sendBatch(items: unknown[]): Promise<Answer> {
  return post(`${server.url}/api/v1/send-telemetry-data-batch`, JSON.stringify(items), 'application/json', { authorization: `Bearer ${server.seed.keys.full}` });
}

interface ItemResult {
  code: number;
  errors: unknown;
  event_id?: string;
}

before(async () => {
  server = await startTestServer({ registryCacheMs: 0 });
});
after(() => server.close());

describe(`POST /api/v1/send-telemetry-data-batch with ${SIZE} reports (the writer thread on SQLite)`, () => {
  it('stores every report under its own id with its own values, and answers each item in order', async () => {
    const repeated = crypto.randomUUID();
    const items: unknown[] = Array.from({ length: SIZE }, (_, i) => report(i));
    items[3] = report(3, { event_id: repeated });
    items[SIZE - 1] = report(SIZE - 1, { event_id: repeated });
    items[10] = report(10, { numeric_data_single_value: 'not a number' });
    items[11] = 'not an object';
    const before = await server.store.telemetry.count();
    const answer = await sendBatch(items);
    assert.equal(answer.status, 200);
    assert.equal(answer.response['code'], 840);
    const results = answer.response['results'] as ItemResult[];
    assert.deepEqual(results.map((r) => r.code), items.map((_, i) => (i === SIZE - 1 ? 832 : i === 10 || i === 11 ? 831 : 830)));
    assert.equal(answer.response['stored'], SIZE - 1);
    assert.equal(answer.response['duplicates'], 1);
    const stored = (await server.store.telemetry.list({ limit: 100_000 })).slice(before);
    assert.equal(stored.length, SIZE - 1);
    // Item i (skipping the duplicate at the end) is stored i-th, with its own value and user.
    for (const [i, record] of stored.entries()) {
      if (i === 10 || i === 11) continue;
      assert.equal(record.numeric_data_single_value, i, `item ${i}`);
      assert.equal(record.user_identifier, `user-${i % 7}`, `item ${i}`);
      assert.equal(record.has_red_flags, 0, `item ${i}`);
    }
    assert.deepEqual(stored[10]?.errors, { numeric_data_single_value: ['The numeric data single value field must be a number.'] });
    assert.equal(stored[11]?.metadata['raw_item'], 'not an object');
    for (let i = 1; i < stored.length; i++) assert.ok(stored[i]!.id > stored[i - 1]!.id, 'ids increase in item order');
  });

  it('commits concurrent batches whole, none lost and none mixed up', async () => {
    const before = await server.store.telemetry.count();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, b) => sendBatch(Array.from({ length: SIZE }, (_, i) => report(i, { data_group: `writer-${b}` })))));
    assert.deepEqual(answers.map((a) => a.response['stored']), Array(6).fill(SIZE));
    const stored = (await server.store.telemetry.list({ limit: 100_000 })).slice(before);
    assert.equal(stored.length, 6 * SIZE);
    for (let b = 0; b < 6; b++) {
      const values = stored.filter((r) => r.data_group === `writer-${b}`).map((r) => r.numeric_data_single_value);
      assert.deepEqual(values, Array.from({ length: SIZE }, (_, i) => i), `batch ${b} stored whole and in order`);
    }
  });
});

describe('a batch while another program holds the SQLite write lock', { skip: SQLITE_ONLY }, () => {
  it('is answered 503 + Retry-After after the busy timeout with nothing stored, and stored whole when sent again', async () => {
    const before = await server.store.telemetry.count();
    const locker = new Database(path.join(server.dataDir, 'tally.db'), { timeout: 30_000 });
    let refused: Answer;
    try {
      locker.exec('BEGIN IMMEDIATE');
      refused = await sendBatch(Array.from({ length: SIZE }, (_, i) => report(i, { data_group: 'locked' })));
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(await server.store.telemetry.count(), before, 'nothing of the refused batch was stored');
    const retried = await sendBatch(Array.from({ length: SIZE }, (_, i) => report(i, { data_group: 'locked' })));
    assert.equal(retried.status, 200);
    assert.equal(retried.response['stored'], SIZE);
    assert.equal(await server.store.telemetry.count(), before + SIZE);
  });
});
