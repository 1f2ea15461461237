import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import type { TelemetryRecord } from '../../src/model/record.js';
import { form, post, startTestServer, type Answer, type TestServer } from './test-server.js';

/** A correct text report of the seeded product A, with the key and a unique marker. */
function reportFields(server: TestServer, apiKey: string, marker: string): Record<string, string> {
  return {
    api_key: apiKey, product_id: String(server.seed.productA), user_identifier: 'u1', license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 'x', data_group: 'g', marker,
  };
}

/** Sends a correct report carrying a unique marker, with the given key and X-Forwarded-For (none when null). */
async function sendVia(server: TestServer, apiKey: string, forwardedFor: string | null): Promise<{ answer: Answer; marker: string }> {
  const marker = randomUUID();
  const fields = reportFields(server, apiKey, marker);
  const headers: Record<string, string> = forwardedFor === null ? {} : { 'x-forwarded-for': forwardedFor };
  const answer = await post(`${server.url}/api/v1/send-telemetry-data`, form(fields), 'application/x-www-form-urlencoded', headers);
  return { answer, marker };
}

async function storedWith(server: TestServer, marker: string): Promise<TelemetryRecord[]> {
  const found: TelemetryRecord[] = [];
  let afterId = 0;
  for (;;) {
    const page = await server.store.telemetry.list({ afterId, limit: 500 });
    found.push(...page.filter((r) => r.metadata['marker'] === marker));
    if (page.length < 500) return found;
    afterId = page[page.length - 1]!.id;
  }
}

describe('without trusted proxies', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ clientIpMode: 'full' });
  });
  after(() => server.close());

  it('ignores X-Forwarded-For, so a key allowed only from 10.0.0.0/8 is refused with 103', async () => {
    const { answer, marker } = await sendVia(server, server.seed.keys.otherIp, '10.1.2.3');
    assert.equal(answer.response.code, 103);
    assert.equal((await storedWith(server, marker)).length, 0);
  });

  it('stores the TCP peer as client_ip, not the forwarded address', async () => {
    const { answer, marker } = await sendVia(server, server.seed.keys.full, '10.1.2.3');
    assert.equal(answer.response.code, 830);
    const [record] = await storedWith(server, marker);
    assert.equal(record?.client_ip, '127.0.0.1');
  });
});

describe('with 127.0.0.1 as a trusted proxy', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ trustedProxies: '127.0.0.1', clientIpMode: 'full' });
  });
  after(() => server.close());

  it('takes the client IP from X-Forwarded-For, so the 10.0.0.0/8 key passes and 10.1.2.3 is stored', async () => {
    const { answer, marker } = await sendVia(server, server.seed.keys.otherIp, '10.1.2.3');
    assert.equal(answer.response.code, 830);
    const [record] = await storedWith(server, marker);
    assert.equal(record?.client_ip, '10.1.2.3');
  });

  it('uses the right-most address of the chain, so a client cannot spoof one by prepending it', async () => {
    const { answer, marker } = await sendVia(server, server.seed.keys.otherIp, '10.1.2.3, 203.0.113.9');
    assert.equal(answer.response.code, 103);
    assert.equal((await storedWith(server, marker)).length, 0);
  });

  it('falls back to the peer when the proxy sends no X-Forwarded-For', async () => {
    const { answer, marker } = await sendVia(server, server.seed.keys.full, null);
    assert.equal(answer.response.code, 830);
    assert.equal((await storedWith(server, marker))[0]?.client_ip, '127.0.0.1');
  });
});

describe('with a chain of trusted proxies', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ trustedProxies: '127.0.0.1, 203.0.113.0/24', clientIpMode: 'full' });
  });
  after(() => server.close());

  it('skips every trusted hop and uses the right-most untrusted address', async () => {
    const { answer, marker } = await sendVia(server, server.seed.keys.full, '198.51.100.7, 10.1.2.3, 203.0.113.9');
    assert.equal(answer.response.code, 830);
    assert.equal((await storedWith(server, marker))[0]?.client_ip, '10.1.2.3');
  });
});

describe('the trustedProxies setting', () => {
  it('defaults to empty, trusting no proxy', () => {
    assert.equal(loadConfig({}, {}).trustedProxies, '');
  });

  it('accepts IPv4 and IPv6 addresses and CIDRs from TALLY_TRUSTED_PROXIES', () => {
    const value = '10.0.0.1, 192.168.0.0/16, ::1, fd00::/8';
    assert.equal(loadConfig({}, { TALLY_TRUSTED_PROXIES: value }).trustedProxies, value);
  });

  for (const bad of ['proxy.example', '10.0.0.0/33', '10.0.0.1/8/8', '::1/129']) {
    it(`refuses "${bad}" with a ConfigError naming the setting`, () => {
      assert.throws(() => loadConfig({ trustedProxies: bad }, {}), (error: unknown) => error instanceof ConfigError && error.message.includes('--trusted-proxies'));
    });
  }
});
