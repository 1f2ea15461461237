import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TextPatternsAnswer } from '../../src/query/text-patterns.js';
import { form, post, startTestServer, type TestServer } from './test-server.js';

/** Crash messages as clients send them: the same event with different addresses, ids and paths. */
const SENT = [
  ...Array.from({ length: 5 }, (_, i) => `Unhandled exception at 0x7ffd${(i * 4099).toString(16).padStart(4, '0')}`),
  'Unhandled exception at 0x7ffd0000',
  'cannot open /home/ann/app.ini', 'cannot open /home/bob/app.ini', 'cannot open /home/bob/app.ini',
  'timeout after 1500 ms', 'timeout after 30 ms',
  'ok',
];

let server: TestServer;

before(async () => {
  server = await startTestServer();
  for (const text of SENT) {
    const answer = await post(`${server.url}/api/v1/send-telemetry-data`, form({
      api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: 'u', license_key: 'LIC-ACTIVE',
      activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', data_group: 'crashes', text_data: text,
    }), 'application/x-www-form-urlencoded');
    assert.equal(answer.response.code, 830);
  }
});
after(() => server.close());

async function patterns(query: string): Promise<{ status: number; body: TextPatternsAnswer & { errors?: Record<string, string[]> } }> {
  const res = await fetch(`${server.url}/admin/api/summary/text-patterns?${query}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  return { status: res.status, body: (await res.json()) as TextPatternsAnswer & { errors?: Record<string, string[]> } };
}

describe('GET /admin/api/summary/text-patterns', () => {
  it('groups the text values by pattern, most reports first, each with its exact values and their counts', async () => {
    const { status, body } = await patterns(`product_id=${server.seed.productA}&data_group=crashes`);
    assert.equal(status, 200);
    assert.equal(body.count, SENT.length);
    assert.deepEqual(body.read, { limit: 1000, distinct_values: 10, reports: SENT.length });
    assert.deepEqual(body.patterns.map((p) => [p.pattern, p.count, p.distinct_values]), [
      ['Unhandled exception at 0x<hex>', 6, 5],
      ['cannot open <path>', 3, 2],
      ['timeout after <n> ms', 2, 2],
      ['ok', 1, 1],
    ]);
    assert.deepEqual(body.patterns[0]?.values[0], { value: 'Unhandled exception at 0x7ffd0000', count: 2 });
    assert.deepEqual(body.patterns[1]?.values, [{ value: 'cannot open /home/bob/app.ini', count: 2 }, { value: 'cannot open /home/ann/app.ini', count: 1 }]);
  });

  it('is empty for a group without text, and refuses a missing data group with a 400', async () => {
    const empty = await patterns(`product_id=${server.seed.productA}&data_group=nothing`);
    assert.deepEqual([empty.status, empty.body.count, empty.body.patterns], [200, 0, []]);
    const refused = await patterns(`product_id=${server.seed.productA}&top=5`);
    assert.equal(refused.status, 400);
    assert.ok(refused.body.errors?.['data_group'] !== undefined && refused.body.errors['top'] !== undefined, JSON.stringify(refused.body));
  });
});
