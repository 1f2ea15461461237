import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { form, post, startTestServer, type TestServer } from './test-server.js';

/** Sends a report with `apiKey` as if from `ip` (127.0.0.1 is a trusted proxy); returns the answer's code. */
async function codeFrom(server: TestServer, ip: string, apiKey: string): Promise<number> {
  const fields = {
    api_key: apiKey, product_id: String(server.seed.productA), user_identifier: 'u1', license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 'x', data_group: 'g', marker: randomUUID(),
  };
  return (await post(`${server.url}/api/v1/send-telemetry-data`, form(fields), 'application/x-www-form-urlencoded', { 'x-forwarded-for': ip })).response.code;
}

describe('IPv6 clients limited per /64 (the default)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimitPerIp: 4, rateLimitFailedAuthPerIp: 3, rateLimitWindowMs: 86_400_000, trustedProxies: '127.0.0.1' });
  });
  after(() => server.close());

  it('counts 5 addresses of one /64 as one client: the 5th request is 104, another /64 is not affected', async () => {
    const codes: number[] = [];
    for (let host = 1; host <= 5; host++) codes.push(await codeFrom(server, `2001:db8:1:2::${host.toString(16)}`, server.seed.keys.full));
    assert.deepEqual(codes, [830, 830, 830, 830, 104]);
    assert.equal(await codeFrom(server, '2001:db8:1:2:ffff:ffff:ffff:ffff', server.seed.keys.full), 104, 'the last address of the /64 too');
    assert.equal(await codeFrom(server, '2001:db8:1:3::1', server.seed.keys.full), 830, 'the next /64 is another client');
  });

  it('counts failed authentication per /64 too: guesses from rotating addresses are cut off after the limit', async () => {
    const codes: number[] = [];
    for (let host = 1; host <= 4; host++) codes.push(await codeFrom(server, `2001:db8:9:9::${host}`, `tly_guess-${randomUUID()}`));
    assert.deepEqual(codes, [100, 100, 100, 104]);
  });
});

describe('IPv6 clients limited per address (--rate-limit-ipv6-prefix 128)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimitPerIp: 1, rateLimitIpv6Prefix: 128, rateLimitWindowMs: 86_400_000, trustedProxies: '127.0.0.1' });
  });
  after(() => server.close());

  it('counts each address of a /64 apart', async () => {
    const codes: number[] = [];
    for (let host = 1; host <= 3; host++) codes.push(await codeFrom(server, `2001:db8:1:2::${host}`, server.seed.keys.full));
    assert.deepEqual(codes, [830, 830, 830]);
    assert.equal(await codeFrom(server, '2001:db8:1:2::1', server.seed.keys.full), 104);
  });
});

describe('the rateLimitIpv6Prefix setting', () => {
  it('defaults to 64, reads TALLY_RATE_LIMIT_IPV6_PREFIX and --rate-limit-ipv6-prefix, and refuses a prefix past 128', () => {
    assert.equal(loadConfig({}, {}).rateLimitIpv6Prefix, 64);
    assert.equal(loadConfig({}, { TALLY_RATE_LIMIT_IPV6_PREFIX: '56' }).rateLimitIpv6Prefix, 56);
    assert.equal(loadConfig({ rateLimitIpv6Prefix: '128' }, { TALLY_RATE_LIMIT_IPV6_PREFIX: '56' }).rateLimitIpv6Prefix, 128);
    assert.throws(() => loadConfig({ rateLimitIpv6Prefix: '129' }, {}), /--rate-limit-ipv6-prefix/);
  });
});
