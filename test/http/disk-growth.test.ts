import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { post, startTestServer, TEST_BACKEND, type TestServer } from './test-server.js';

/**
 * Issue 16 item 6: batches of incompressible text grew SQLite by about three bytes per byte sent
 * (the text in text_data, again in data, again in the summary index). A text's value is now
 * stored once in the table (decision 0022); the summary index still holds it, so about two.
 */
let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

/** The database's size as a reader sees it (its pages, the WAL's included). */
function databaseBytes(): number {
  const db = new Database(path.join(server.dataDir, 'tally.db'), { readonly: true });
  try {
    return (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  } finally {
    db.close();
  }
}

describe('disk growth per byte sent (issue 16 item 6)', { skip: TEST_BACKEND === 'postgres' ? 'measures the SQLite file' : false }, () => {
  it('batches of incompressible text grow the SQLite database by less than 2.5 bytes per byte of text', async () => {
    const start = databaseBytes();
    let sent = 0;
    for (let batch = 0; batch < 8; batch++) {
      const items = Array.from({ length: 50 }, () => {
        const text = randomBytes(6_000).toString('base64');
        sent += text.length;
        return {
          product_id: server.seed.productA, user_identifier: 'user-1', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
          product_version: '1.0.1', data_type: 'text', text_data: text, data_group: 'growth',
        };
      });
      const answer = await post(`${server.url}/api/v1/send-telemetry-data-batch`, JSON.stringify(items), 'application/json', {
        authorization: `Bearer ${server.seed.keys.full}`,
      });
      assert.equal(answer.response.code, 840);
    }
    const growth = databaseBytes() - start;
    assert.ok(growth < 2.5 * sent, `${growth} bytes for ${sent} bytes of text (${(growth / sent).toFixed(2)} per byte)`);
  });
});
