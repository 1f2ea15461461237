import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { form, post, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const TOTAL = 3000;
const PARALLEL = 100;

describe('many reports at once', () => {
  it(`stores each of ${TOTAL} reports sent ${PARALLEL} at a time exactly once, and acknowledges every one`, async () => {
    const endpoint = `${server.url}/api/v1/send-telemetry-data`;
    const before = await server.store.telemetry.count();
    let next = 0;
    const codes: number[] = [];
    const worker = async (): Promise<void> => {
      while (next < TOTAL) {
        const n = next++;
        const body = form({
          api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: `concurrent-${n}`,
          license_key: 'LIC-ACTIVE', activation_identifier: 'act-1', product_version: '1.0.1',
          data_type: 'numeric-single-value', numeric_data_single_value: String(n), data_group: 'load',
        });
        codes.push((await post(endpoint, body, 'application/x-www-form-urlencoded')).response.code);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    assert.equal(codes.length, TOTAL);
    assert.ok(codes.every((c) => c === 830));
    const records = await server.store.telemetry.list({ afterId: 0, limit: 100_000 });
    const mine = records.filter((r) => r.data_group === 'load');
    assert.equal(mine.length, TOTAL);
    assert.equal(new Set(mine.map((r) => r.user_identifier)).size, TOTAL, 'no report stored twice');
    assert.deepEqual(new Set(mine.map((r) => r.numeric_data_single_value)), new Set(Array.from({ length: TOTAL }, (_, i) => i)));
    assert.equal(await server.store.telemetry.count(), before + TOTAL);
  });
});
