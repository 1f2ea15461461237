import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestServer } from './test-server.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

function scrape(url: string, authorization?: string): Promise<Response> {
  return fetch(`${url}/metrics`, { headers: authorization === undefined ? {} : { authorization } });
}

describe('/metrics with --metrics-token', () => {
  it('answers 401 without the token or with a wrong one, and the metrics with it', async () => {
    const server = await startTestServer({ metricsToken: METRICS_TOKEN });
    try {
      for (const authorization of [undefined, 'Bearer wrong-metrics-token-0000', `Basic ${METRICS_TOKEN}`, `Bearer ${METRICS_TOKEN}x`]) {
        const res = await scrape(server.url, authorization);
        assert.equal(res.status, 401, String(authorization));
        assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="tally-metrics"');
        assert.doesNotMatch(await res.text(), /tally_/);
      }
      const res = await scrape(server.url, `Bearer ${METRICS_TOKEN}`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /tally_http_answers_total/);
    } finally {
      await server.close();
    }
  });

  it('stays anonymous when no token is set (the default)', async () => {
    const server = await startTestServer();
    try {
      assert.equal((await scrape(server.url)).status, 200);
    } finally {
      await server.close();
    }
  });
});
