import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { form, startTestServer, type TestServer } from './test-server.js';
import { rawRequest, type RawAnswer } from './raw-request.js';

const LIMIT = 3;
let lastClient = 0;

/** A correct report of product A, with the key in the body. */
function report(server: TestServer, apiKey: string): string {
  return form({
    api_key: apiKey, product_id: String(server.seed.productA), user_identifier: 'u1', license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 'x', data_group: 'g', marker: randomUUID(),
  });
}

/** Sends LIMIT + 1 requests to `target` from one fresh client IP; returns the answers. */
async function overTheLimit(server: TestServer, method: 'GET' | 'POST', target: (base: string) => string, body: (server: TestServer) => string): Promise<RawAnswer[]> {
  const from = { 'x-forwarded-for': `198.51.100.${++lastClient}` };
  const answers: RawAnswer[] = [];
  for (let i = 0; i <= LIMIT; i++) answers.push(await rawRequest(server.url, method, target(server.url), from, body(server)));
  return answers;
}

function assertThrottled(answers: RawAnswer[], what: string): void {
  assert.deepEqual(answers.map((a) => a.headers['x-ratelimit-remaining']), ['2', '1', '0', '0'], `${what}: counted in X-RateLimit-Remaining`);
  const last = answers[LIMIT]!;
  assert.equal(last.status, 429, what);
  assert.equal(last.code, 104, what);
  assert.ok(Number(last.headers['retry-after']) >= 1, `${what}: Retry-After`);
}

describe('rate limits whatever the spelling of the request target', () => {
  let server: TestServer;
  before(async () => {
    // 127.0.0.1 is a trusted proxy, so each case gets its own client IP through X-Forwarded-For.
    server = await startTestServer({ rateLimitPerIp: LIMIT, rateLimitWindowMs: 86_400_000, trustedProxies: '127.0.0.1' });
  });
  after(() => server.close());

  const cases: [string, 'GET' | 'POST', (base: string) => string][] = [
    ['POST /api/v1/send-telemetry-data (the reference)', 'POST', () => '/api/v1/send-telemetry-data'],
    ['POST /%61pi/v1/send-telemetry-data', 'POST', () => '/%61pi/v1/send-telemetry-data'],
    ['POST /%76%31/send-telemetry-data (the /v1/ alias, escaped)', 'POST', () => '/%76%31/send-telemetry-data'],
    ['POST with an absolute-form target http://host:port/api/v1/send-telemetry-data', 'POST', (base) => `${base}/api/v1/send-telemetry-data`],
    ['POST with an absolute-form, escaped target http://host:port/%61pi/v1/send-telemetry-data', 'POST', (base) => `${base}/%61pi/v1/send-telemetry-data`],
  ];
  for (const [what, method, target] of cases) {
    it(`throttles ${what} from an IP over its limit: 104/429 with X-RateLimit-* and Retry-After`, async () => {
      const answers = await overTheLimit(server, method, target, (s) => report(s, s.seed.keys.full));
      assert.deepEqual(answers.slice(0, LIMIT).map((a) => a.code), [830, 830, 830], `${what}: the route answered`);
      assertThrottled(answers, what);
    });
  }

  it('throttles key guesses to GET /%61pi/v1/get-telemetry-data like those to /api/v1/', async () => {
    const answers = await overTheLimit(server, 'GET', () => `/%61pi/v1/get-telemetry-data?api_key=tly_guess-${randomUUID()}`, () => '');
    assert.deepEqual(answers.slice(0, LIMIT).map((a) => a.code), [100, 100, 100]);
    assertThrottled(answers, 'guesses to /%61pi/v1/get-telemetry-data');
  });

  it('answers an unknown path under an escaped or absolute-form /api/ spelling with a signed 404 (and counts it)', async () => {
    for (const target of ['/%61pi/v1/no-such-endpoint', `${server.url}/api/v1/no-such-endpoint`]) {
      const answer = await rawRequest(server.url, 'GET', target, { 'x-forwarded-for': '203.0.113.77' });
      assert.equal(answer.status, 404, target);
      assert.equal(answer.code, 404, `${target}: a signed envelope`);
      assert.ok(answer.text.includes('"signature"'), `${target}: signed`);
      assert.ok(answer.headers['x-ratelimit-remaining'] !== undefined, `${target}: counted against the IP`);
    }
  });

  it('leaves paths outside the API alone however they are spelled', async () => {
    const answer = await rawRequest(server.url, 'GET', '/%68ealthz', { 'x-forwarded-for': '203.0.113.78' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['x-ratelimit-limit'], undefined);
  });
});
