import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { runCli } from './cli-runner.js';
import { form, startTestServer, type TestServer } from './test-server.js';

/** Short reload window so the test sees a rotation quickly; servers use --registry-cache-ms. */
const RELOAD_MS = 200;
const FORM = 'application/x-www-form-urlencoded';

interface Signed {
  status: number;
  keyIdHeader: string | null;
  text: string;
  envelope: { response: Record<string, unknown>; response_base64: string; private_key_used: string; signature: string };
}

async function call(server: TestServer, path: string, fields: Record<string, string> | null, contentType = FORM, raw?: string): Promise<Signed> {
  const body = raw ?? (fields === null ? undefined : form(fields));
  const init: RequestInit = body === undefined ? {} : { method: 'POST', body, headers: { 'content-type': contentType } };
  const res = await fetch(server.url + path, init);
  const text = await res.text();
  return { status: res.status, keyIdHeader: res.headers.get('x-tally-key-id'), text, envelope: JSON.parse(text) as Signed['envelope'] };
}

/** Checks the signature as a client would, with node:crypto only (Ed25519: no digest; RSA: PKCS#1 v1.5 SHA-256). */
function verifiesWith(answer: Signed, pem: string): boolean {
  const key = createPublicKey(pem);
  const bytes = Buffer.from(answer.envelope.response_base64, 'base64');
  return verify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', bytes, key, Buffer.from(answer.envelope.signature, 'base64'));
}

async function cliJson<T>(server: TestServer, args: string[]): Promise<T> {
  const result = await runCli([...args, ...server.cliStoreArgs]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

/** Repeats `attempt` every 25 ms until it gives a truthy value or `ms` pass; returns the value and the time it took. */
async function within<T>(ms: number, attempt: () => Promise<T | null>): Promise<{ value: T; elapsed: number }> {
  const start = Date.now();
  for (;;) {
    const value = await attempt();
    if (value !== null) return { value, elapsed: Date.now() - start };
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface MadeKey {
  scope: string;
  key_id: string;
  algorithm: string;
  public_key: string;
  retired_key_id: string | null;
}

interface PublicKeyResponse {
  key_id: string;
  public_key: string;
  keys: Array<{ key_id: string; algorithm: string; public_key: string; retired_at: string | null }>;
}

describe('signing keys per product, and rotation while the server runs', () => {
  let server: TestServer;
  let globalPem: string;
  let productKey: MadeKey;
  /** A send+get key scoped to product A alone: only its answers may be signed with A's own key (docs/security.md §4). */
  let keyOfA: string;

  const report = (productId: number, apiKey = productId === server.seed.productA ? keyOfA : server.seed.keys.full): Record<string, string> => ({
    api_key: apiKey, product_id: String(productId), user_identifier: 'u', license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1', product_version: '1.0.0', data_type: 'text', text_data: 'hello', data_group: 'g',
  });

  before(async () => {
    server = await startTestServer({ registryCacheMs: RELOAD_MS });
    globalPem = (await runCli(['keys', 'public', ...server.cliStoreArgs])).stdout;
    keyOfA = (await cliJson<{ key: string }>(server, ['api-key', 'create', '--name', 'a-only', '--capabilities', 'send_telemetry,get_telemetry', '--products', String(server.seed.productA), '--json'])).key;
    productKey = await cliJson<MadeKey>(server, ['keys', 'create', '--product', String(server.seed.productA), '--algorithm', 'ed25519', '--json']);
    await within(3000, async () => {
      const answer = await call(server, '/api/v1/send-telemetry-data', report(server.seed.productA));
      return answer.envelope.private_key_used === 'product' ? answer : null;
    });
  });
  after(() => server.close());

  it('signs answers naming a product with its own key ("product") for a key scoped to it alone, and other answers with the global key', async () => {
    assert.equal(productKey.algorithm, 'ed25519');
    const own = await call(server, '/api/v1/send-telemetry-data', report(server.seed.productA));
    assert.equal(own.envelope.response['code'], 830);
    assert.equal(own.envelope.private_key_used, 'product');
    assert.equal(own.keyIdHeader, productKey.key_id);
    assert.ok(verifiesWith(own, productKey.public_key), "verifies with the product's public key");
    assert.ok(!verifiesWith(own, globalPem), 'not with the global key');
    assert.deepEqual(Object.keys(own.envelope), ['response', 'response_base64', 'private_key_used', 'signature']);

    const other = await call(server, '/api/v1/send-telemetry-data', report(server.seed.productB));
    assert.equal(other.envelope.private_key_used, 'global');
    assert.ok(verifiesWith(other, globalPem));
    assert.notEqual(other.keyIdHeader, productKey.key_id);

    const query = await call(server, `/api/v1/get-telemetry-data?api_key=${encodeURIComponent(keyOfA)}&product_id=${server.seed.productA}`, null);
    assert.equal(query.envelope.private_key_used, 'product');
    assert.ok(verifiesWith(query, productKey.public_key));
    const unscoped = await call(server, '/api/v1/send-telemetry-data', report(server.seed.productA, server.seed.keys.full));
    assert.equal(unscoped.envelope.private_key_used, 'global', 'an unscoped key naming product A gets the global key');
    assert.ok(verifiesWith(unscoped, globalPem));
    const unfiltered = await call(server, `/api/v1/get-telemetry-data?api_key=${encodeURIComponent(server.seed.keys.full)}`, null);
    assert.equal(unfiltered.envelope.private_key_used, 'global');
    assert.ok(verifiesWith(unfiltered, globalPem));
  });

  it('signs answers given before the product is known with the global key (auth failure, malformed body)', async () => {
    const denied = await call(server, '/api/v1/send-telemetry-data', report(server.seed.productA, 'not-a-key'));
    assert.equal(denied.status, 401);
    assert.equal(denied.envelope.private_key_used, 'global');
    assert.ok(verifiesWith(denied, globalPem));
    const broken = await call(server, '/api/v1/send-telemetry-data', null, 'application/json', `{"product_id": ${server.seed.productA},`);
    assert.equal(broken.status, 400);
    assert.equal(broken.envelope.private_key_used, 'global');
    assert.ok(verifiesWith(broken, globalPem));
  });

  it('switches to a key rotated by the CLI within the reload window; old answers verify with the listed old key', async () => {
    const before = await call(server, '/api/v1/send-telemetry-data', report(server.seed.productB, 'not-a-key'));
    const oldId = before.keyIdHeader;
    const rotated = await cliJson<MadeKey>(server, ['keys', 'rotate', '--algorithm', 'rsa-4096', '--json']);
    assert.equal(rotated.retired_key_id, oldId);
    assert.equal(createPublicKey(rotated.public_key).asymmetricKeyDetails?.modulusLength, 4096);
    // The same bytes as `before` (same second): the signature cache must not hand back the old key's envelope.
    const { value: after, elapsed } = await within(3000, async () => {
      const answer = await call(server, '/api/v1/send-telemetry-data', report(server.seed.productB, 'not-a-key'));
      return answer.keyIdHeader === rotated.key_id ? answer : null;
    });
    assert.ok(elapsed < RELOAD_MS + 1500, `switched after ${elapsed} ms`);
    assert.ok(verifiesWith(after, rotated.public_key), 'the new answer verifies with the new RSA-4096 key');
    for (let i = 0; i < 5; i++) {
      const next = await call(server, '/api/v1/send-telemetry-data', report(server.seed.productB, 'not-a-key'));
      assert.equal(next.keyIdHeader, rotated.key_id, 'never the retired key again');
      assert.ok(verifiesWith(next, rotated.public_key));
    }

    const listed = await call(server, '/api/v1/get-public-key', null);
    const answer = listed.envelope.response as unknown as PublicKeyResponse;
    assert.equal(answer.key_id, rotated.key_id);
    assert.deepEqual(answer.keys.map((key) => [key.key_id, key.retired_at === null]), [[rotated.key_id, true], [oldId, false]]);
    const old = answer.keys[1];
    assert.ok(old);
    assert.ok(verifiesWith(before, old.public_key), 'the answer from before the rotation verifies with the listed old key');
    assert.ok(!verifiesWith(before, rotated.public_key));

    // The product key is untouched by a global rotation.
    const own = await call(server, '/api/v1/send-telemetry-data', report(server.seed.productA));
    assert.equal(own.keyIdHeader, productKey.key_id);
  });

  it("rotates a product's own key too, and lists its old key for that product", async () => {
    const rotated = await cliJson<MadeKey>(server, ['keys', 'rotate', '--product', String(server.seed.productA), '--json']);
    assert.equal(rotated.algorithm, 'ed25519', 'keeps the algorithm of the key it replaces');
    assert.equal(rotated.retired_key_id, productKey.key_id);
    const { value: answer } = await within(3000, async () => {
      const signed = await call(server, '/api/v1/send-telemetry-data', report(server.seed.productA));
      return signed.keyIdHeader === rotated.key_id ? signed : null;
    });
    assert.equal(answer.envelope.private_key_used, 'product');
    assert.ok(verifiesWith(answer, rotated.public_key));
    const listed = await call(server, '/api/v1/get-public-key', { product_id: String(server.seed.productA) });
    assert.equal(listed.envelope.private_key_used, 'product');
    const keys = (listed.envelope.response as unknown as PublicKeyResponse).keys;
    assert.deepEqual(keys.map((key) => key.key_id), [rotated.key_id, productKey.key_id]);
  });

  it('refuses keys create for a product that has a key, and rotate for a product without one', async () => {
    const again = await runCli(['keys', 'create', '--product', String(server.seed.productA), ...server.cliStoreArgs]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /already has its own signing key; use `tally keys rotate/);
    const none = await runCli(['keys', 'rotate', '--product', String(server.seed.productB), ...server.cliStoreArgs]);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /no signing key of its own; use `tally keys create/);
    const unknown = await runCli(['keys', 'create', '--product', '999999', ...server.cliStoreArgs]);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /No product with id 999999/);
  });
});
