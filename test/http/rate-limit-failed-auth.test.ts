import assert from 'node:assert/strict';
import { NO_AUDIT } from '../audit-helpers.js';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createApiKey } from '../../src/registry/api-keys.js';
import { form, post, startTestServer, type Answer, type TestServer } from './test-server.js';

/** The documented default: failed authentications per client IP per window. */
const FAILURE_LIMIT = 20;

function report(server: TestServer, apiKey: string | null): string {
  const fields: Record<string, string> = {
    product_id: String(server.seed.productA), user_identifier: 'u1', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
    product_version: '1.0.1', data_type: 'text', text_data: 'x', data_group: 'g', marker: randomUUID(),
  };
  if (apiKey !== null) fields['api_key'] = apiKey;
  return form(fields);
}

function send(server: TestServer, apiKey: string | null, from = '198.51.100.7'): Promise<Answer> {
  return post(`${server.url}/api/v1/send-telemetry-data`, report(server, apiKey), 'application/x-www-form-urlencoded', { 'x-forwarded-for': from });
}

function assertCutOff(answer: Answer, what: string): void {
  assert.equal(answer.response.code, 104, what);
  assert.equal(answer.status, 429, what);
  const retryAfter = Number(answer.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 86_400, `${what}: Retry-After ${retryAfter}`);
  assert.equal(answer.headers.get('x-ratelimit-limit'), null, 'the failure limit is not the client\'s request budget');
}

describe('failed authentication per client IP (default limit)', () => {
  let server: TestServer;
  before(async () => {
    // Default limits; a day-long window so that the test never straddles a window's end.
    // 127.0.0.1 is a trusted proxy here, so X-Forwarded-For names the client.
    server = await startTestServer({ rateLimitWindowMs: 86_400_000, trustedProxies: '127.0.0.1' });
  });
  after(() => server.close());

  it(`answers 200 wrong keys from one IP 100 up to ${FAILURE_LIMIT}, then 104/429 with Retry-After, storing none`, async () => {
    const before = await server.store.telemetry.count();
    const answers: Answer[] = [];
    for (let i = 0; i < 200; i++) answers.push(await send(server, `tly_guess-${randomUUID()}`));
    assert.deepEqual(answers.slice(0, FAILURE_LIMIT).map((a) => [a.status, a.response.code]), Array(FAILURE_LIMIT).fill([401, 100]));
    answers.slice(FAILURE_LIMIT).forEach((answer, i) => assertCutOff(answer, `guess ${FAILURE_LIMIT + i + 1}`));
    assert.ok(answers[FAILURE_LIMIT]?.text.includes('"signature"'), 'the 104 is a signed envelope');
    assert.equal(await server.store.telemetry.count(), before);
  });

  it('still stores a valid key\'s reports from that IP, through the Bearer header or the body', async () => {
    const before = await server.store.telemetry.count();
    assert.equal((await send(server, server.seed.keys.full)).response.code, 830);
    const bearer = await post(`${server.url}/api/v1/send-telemetry-data`, report(server, null), 'application/x-www-form-urlencoded', {
      'x-forwarded-for': '198.51.100.7', authorization: `Bearer ${server.seed.keys.full}`,
    });
    assert.equal(bearer.response.code, 830);
    assert.equal(await server.store.telemetry.count(), before + 2);
  });

  it('refuses that IP\'s requests without a usable key before authentication: no key, a revoked or an inactive key', async () => {
    assertCutOff(await send(server, null), 'no key');
    assertCutOff(await send(server, server.seed.keys.revoked), 'revoked key');
    assertCutOff(await send(server, server.seed.keys.inactive), 'inactive key');
  });

  it('lets a usable key that fails the endpoint reach authentication, and counts that failure too', async () => {
    assertCutOff(await send(server, server.seed.keys.getOnly), 'a get-only key sending: 102, past the limit');
  });

  it('leaves other IPs alone, and the public key needs no key', async () => {
    assert.equal((await send(server, `tly_guess-${randomUUID()}`, '198.51.100.8')).response.code, 100);
    assert.equal((await send(server, server.seed.keys.full, '198.51.100.8')).response.code, 830);
    const res = await fetch(`${server.url}/api/v1/get-public-key`, { headers: { 'x-forwarded-for': '198.51.100.7' } });
    assert.equal(res.status, 200);
  });

  it('recognises a key made after the cut-off within the registry cache time', async () => {
    const { secret } = await createApiKey(server.store.registry, { name: 'made later' }, NO_AUDIT);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await send(server, secret)).response.code, 830);
  });

  it('counts every kind of failure (100–103) from an IP towards its limit', async () => {
    const keys = server.seed.keys;
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      for (const key of [`tly_guess-${randomUUID()}`, keys.inactive, keys.getOnly, keys.otherIp]) codes.push((await send(server, key, '198.51.100.9')).response.code);
    }
    assert.deepEqual(codes.slice(0, 8), [100, 101, 102, 103, 100, 101, 102, 103]);
    assert.equal(codes.filter((code) => code !== 104).length, FAILURE_LIMIT);
    assert.deepEqual(codes.slice(FAILURE_LIMIT), [104, 104, 104, 104]);
  });
});

describe('failed authentication from many connections at once', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimitWindowMs: 86_400_000, rateLimitFailedAuthPerIp: 5 });
  });
  after(() => server.close());

  it('answers exactly the limit with 100 however many guesses are in flight', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => send(server, `tly_guess-${randomUUID()}`, '127.0.0.1')));
    const codes = answers.map((a) => a.response.code);
    assert.equal(codes.filter((c) => c === 100).length, 5);
    assert.equal(codes.filter((c) => c === 104).length, 45);
  });
});
