import assert from 'node:assert/strict';
import { NO_AUDIT } from '../audit-helpers.js';
import { after, before, describe, it } from 'node:test';
import { createApiKey } from '../../src/registry/api-keys.js';
import { post, startTestServer, type Answer, type TestServer } from './test-server.js';

/**
 * Issue 16 item 6: one key could store without end (2 GiB in 16 s). With per-key daily quotas,
 * a key past its reports or bytes for the UTC day is answered 104 (HTTP 429, Retry-After until
 * the day ends) and nothing more is stored for it; other keys are not affected.
 */
const REPORTS_PER_DAY = 5;
const BYTES_PER_DAY = 200_000;

let server: TestServer;

before(async () => {
  server = await startTestServer({ quotaReportsPerKeyPerDay: REPORTS_PER_DAY, quotaBytesPerKeyPerDay: BYTES_PER_DAY });
});
after(() => server.close());

async function newSendKey(name: string): Promise<string> {
  return (await createApiKey(server.store.registry, { name, capabilities: ['send_telemetry', 'get_telemetry'] }, NO_AUDIT)).secret;
}

function report(group: string, text = 'small'): Record<string, unknown> {
  return {
    product_id: server.seed.productA, user_identifier: 'user-1', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
    product_version: '1.0.1', data_type: 'text', text_data: text, data_group: group,
  };
}

function send(key: string, body: unknown, path = 'send-telemetry-data'): Promise<Answer> {
  return post(`${server.url}/api/v1/${path}`, JSON.stringify(body), 'application/json', { authorization: `Bearer ${key}` });
}

function assertQuotaRefusal(answer: Answer): void {
  assert.equal(answer.status, 429);
  assert.equal(answer.response.code, 104);
  const retryAfter = Number(answer.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 86_400, `Retry-After ${retryAfter}`);
  assert.equal((JSON.parse(answer.text) as { retry_after?: number }).retry_after, retryAfter, 'the envelope carries retry_after (CONTRACT §2)');
}

describe('per-key daily quotas (issue 16 item 6)', () => {
  it('a key past its reports for the day gets 104 with Retry-After, and the refused report is not stored', async () => {
    const key = await newSendKey('quota-reports');
    for (let i = 0; i < REPORTS_PER_DAY; i++) assert.equal((await send(key, report('quota-reports'))).response.code, 830);
    const before = await server.store.telemetry.count();
    assertQuotaRefusal(await send(key, report('quota-reports')));
    assert.equal(await server.store.telemetry.count(), before);
    assert.equal((await send(server.seed.keys.full, report('quota-other'))).response.code, 830, 'another key still stores');
  });

  it('a key past its bytes for the day gets 104; a batch that would pass the quota is refused whole', async () => {
    const key = await newSendKey('quota-bytes');
    const big = 'y'.repeat(60_000);
    assert.equal((await send(key, [report('quota-bytes', big), report('quota-bytes', big)], 'send-telemetry-data-batch')).response.code, 840);
    const before = await server.store.telemetry.count();
    assertQuotaRefusal(await send(key, [report('quota-bytes', big), report('quota-bytes', big)], 'send-telemetry-data-batch'));
    assert.equal(await server.store.telemetry.count(), before);
    assert.equal((await send(key, report('quota-bytes', big))).response.code, 830, 'what still fits is stored');
    assertQuotaRefusal(await send(key, report('quota-bytes', big)));
  });
});
