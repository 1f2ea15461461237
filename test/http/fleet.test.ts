import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { form, startTestServer, type TestServer } from './test-server.js';

const REPORTS = 3000;
const CONNECTIONS = 64;

/** POSTs a form over `agent` (bounded to CONNECTIONS keep-alive sockets); resolves with the envelope's code. */
function postForm(agent: http.Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      agent, method: 'POST', timeout: 30_000,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { response: { code: number } }).response.code);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('no answer within 30 s')));
    request.on('error', reject);
    request.end(body);
  });
}

describe('a fleet behind one NAT, with the default limits', () => {
  let server: TestServer;
  let agent: http.Agent;
  before(async () => {
    // The test helper switches rate limits off; undefined puts every one back to its default.
    server = await startTestServer({ rateLimitPerIp: undefined, rateLimitPerKey: undefined, rateLimitPerKeyAndIp: undefined, rateLimitFailedAuthPerIp: undefined, rateLimitWindowMs: undefined });
    agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  });
  after(async () => {
    agent.destroy();
    await server.close();
  });

  it('runs on the defaults: no limit on valid keys, only on failed authentication', () => {
    const defaults = loadConfig({}, {});
    assert.deepEqual([defaults.rateLimitPerIp, defaults.rateLimitPerKey, defaults.rateLimitPerKeyAndIp], [0, 0, 0]);
    assert.ok(defaults.rateLimitFailedAuthPerIp > 0);
  });

  it(`acknowledges ${REPORTS} reports from one IP over ${CONNECTIONS} connections with 830 and stores each exactly once`, async () => {
    const endpoint = `${server.url}/api/v1/send-telemetry-data`;
    const before = await server.store.telemetry.count();
    const codes = new Map<number, number>();
    let next = 0;
    const connection = async (): Promise<void> => {
      while (next < REPORTS) {
        const n = next++;
        const body = form({
          api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: `install-${n}`,
          license_key: 'LIC-ACTIVE', activation_identifier: 'act-1', product_version: '1.0.1',
          data_type: 'numeric-single-value', numeric_data_single_value: String(n), data_group: 'fleet',
        });
        const code = await postForm(agent, endpoint, body);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, connection));
    assert.deepEqual([...codes], [[830, REPORTS]]);
    const records = (await server.store.telemetry.list({ afterId: 0, limit: 100_000 })).filter((r) => r.data_group === 'fleet');
    assert.equal(records.length, REPORTS);
    assert.equal(new Set(records.map((r) => r.user_identifier)).size, REPORTS, 'no report stored twice');
    assert.equal(await server.store.telemetry.count(), before + REPORTS);
  });
});
