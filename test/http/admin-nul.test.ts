import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './cli-runner.js';
import { startTestServer, type TestServer } from './test-server.js';

/** Issue 16 item 13: U+0000 in admin input is a clear 400 on every backend (PostgreSQL's text cannot hold it), never a 500. */
let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

async function admin(method: string, pathAndQuery: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${server.adminToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}/admin/api${pathAndQuery}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('U+0000 in admin input', () => {
  it('is refused with 400 in a query string, on every admin route that reads one', async () => {
    const queries = [
      '/licenses?key=a%00b', '/records?user_identifier=a%00', '/export?format=csv&license_key=%00', '/summary?data_group=g%00',
      '/overview?product_id=1%00', '/piracy?product_id=%00', '/blocklist?x=%00', '/products?name=%00', '/api-keys?%00=1',
    ];
    for (const query of queries) {
      const { status, json } = await admin('GET', query);
      assert.equal(status, 400, `${query} → ${status} ${JSON.stringify(json)}`);
      assert.match(JSON.stringify(json), /must not contain U\+0000/, query);
    }
  });

  it('is refused with 400 in a JSON body, a license import included, and nothing is written', async () => {
    const { productA } = server.seed;
    const bodies: [string, unknown][] = [
      ['/licenses/import', { text: `product_id,key\n${productA},LIC-NUL-1\n${productA},A\u0000B\n` }],
      ['/licenses', { product_id: productA, key: 'K\u0000' }],
      ['/products', { name: 'P\u0000', versions: ['1.0'] }],
      ['/products', { name: 'P', versions: ['1.0\u0000'] }],
      [`/products/${productA}/versions`, { version: '9\u0000' }],
      ['/activations', { license_key: 'LIC-ACTIVE', identifier: 'act\u0000', product_id: productA }],
      ['/api-keys', { name: 'k\u0000' }],
      ['/blocklist', { kind: 'license_key', value: 'K', reason: 'r\u0000' }],
      ['/licenses', { product_id: productA, key: 'K', 'x\u0000': 1 }],
    ];
    for (const [route, body] of bodies) {
      const { status, json } = await admin('POST', route, body);
      assert.equal(status, 400, `${route} ${JSON.stringify(body)} → ${status} ${JSON.stringify(json)}`);
      assert.match(String(json['error']), /must not contain U\+0000/, route);
    }
    assert.deepEqual(await server.store.registry.findLicenses('LIC-NUL-1'), []);
  });

  it('is refused with 400 in a path parameter, even where an unknown id would be 404', async () => {
    for (const route of ['/api-keys/1%00/revoke', '/products/1%00/versions']) {
      const { status, json } = await admin('POST', route, {});
      assert.equal(status, 400, `${route} → ${status} ${JSON.stringify(json)}`);
    }
    assert.equal((await admin('DELETE', '/blocklist/%00')).status, 400);
  });
});

describe('U+0000 in a license file given to the CLI', () => {
  it('tally license import exits 1 naming the line, without a stack trace, and imports nothing', async () => {
    const file = path.join(server.dataDir, 'licenses-with-nul.csv');
    fs.writeFileSync(file, `product_id,key\n${server.seed.productA},LIC-NUL-CLI\n${server.seed.productA},A\u0000B\n`);
    const result = await runCli(['license', 'import', file, ...server.cliStoreArgs]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /line 3: The license key must not contain U\+0000\./);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.deepEqual(await server.store.registry.findLicenses('LIC-NUL-CLI'), []);
  });
});
