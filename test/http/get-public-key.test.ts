import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifyEnvelope } from '../../src/envelope/verify.js';
import { runCli } from './cli-runner.js';
import { form, startTestServer, type TestServer } from './test-server.js';

const PATH = '/api/v1/get-public-key';

interface KeyAnswer {
  status: number;
  text: string;
  privateKeyUsed: string;
  keyIdHeader: string | null;
  response: {
    code: number; message: string; public_key: string; algorithm: string; key_id: string; timestamp: number;
    keys: Array<{ key_id: string; algorithm: string; public_key: string; created_at: string; retired_at: string | null }>;
  };
}

async function fetchKey(server: TestServer, query = '', init: RequestInit = {}): Promise<KeyAnswer> {
  const res = await fetch(`${server.url}${PATH}${query}`, init);
  const text = await res.text();
  const parsed = JSON.parse(text) as { response: KeyAnswer['response']; private_key_used: string };
  return { status: res.status, text, privateKeyUsed: parsed.private_key_used, keyIdHeader: res.headers.get('x-tally-key-id'), response: parsed.response };
}

function expectedKeyId(pem: string): string {
  const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** Asserts a 990 answer whose own public key verifies its own signature. */
function assertSelfVerifying(answer: KeyAnswer): void {
  assert.equal(answer.status, 200);
  assert.equal(answer.response.code, 990);
  assert.equal(answer.response.message, 'Public key found');
  const verified = verifyEnvelope(answer.text, answer.response.public_key);
  assert.ok(verified.valid, verified.valid ? '' : verified.reason);
  assert.deepEqual(Object.keys(answer.response), ['code', 'message', 'public_key', 'algorithm', 'key_id', 'keys', 'timestamp']);
  const [first] = answer.response.keys;
  assert.ok(first, 'keys lists the current key first');
  assert.equal(first.key_id, answer.response.key_id);
  assert.equal(first.public_key, answer.response.public_key);
  assert.equal(first.retired_at, null);
  assert.equal(answer.keyIdHeader, answer.response.key_id, 'X-Tally-Key-Id names the key that signed the answer');
}

describe('GET/POST /api/v1/get-public-key (RSA-4096 default)', () => {
  let server: TestServer;
  let cliPem: string;

  before(async () => {
    server = await startTestServer();
    const result = await runCli(['keys', 'public', ...server.cliStoreArgs]);
    assert.equal(result.code, 0, result.stderr);
    cliPem = result.stdout;
  });
  after(() => server.close());

  it('answers without an API key, with the PEM `tally keys public` prints, which verifies the answer itself', async () => {
    const answer = await fetchKey(server);
    assertSelfVerifying(answer);
    assert.equal(answer.response.public_key, cliPem);
    assert.equal(answer.response.algorithm, 'rsa-4096');
    assert.equal(answer.privateKeyUsed, 'global');
  });

  it('gives a key_id that is the first 16 hex chars of the SHA-256 of the SPKI DER, stable across calls', async () => {
    const first = await fetchKey(server);
    const second = await fetchKey(server, '', { method: 'POST', body: form({}), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.match(first.response.key_id, /^[0-9a-f]{16}$/);
    assert.equal(first.response.key_id, expectedKeyId(cliPem));
    assert.equal(second.response.key_id, first.response.key_id);
    assert.equal(second.response.public_key, first.response.public_key);
  });

  it('answers the same key whether the API key given is valid, invalid or revoked (no key-validity oracle)', async () => {
    const json = { 'content-type': 'application/json' };
    const answers = [
      await fetchKey(server, `?api_key=${encodeURIComponent(server.seed.keys.full)}`),
      await fetchKey(server, '?api_key=made-up'),
      await fetchKey(server, '', { method: 'POST', body: JSON.stringify({ api_key: server.seed.keys.revoked }), headers: json }),
      await fetchKey(server, '', { headers: { authorization: 'Bearer not-a-key' } }),
    ];
    for (const answer of answers) {
      assertSelfVerifying(answer);
      assert.equal(answer.response.public_key, cliPem);
    }
  });

  it('answers the global key for an unknown product, a malformed product_id and a product without its own key', async () => {
    for (const query of ['?product_id=999999', '?product_id=abc', `?product_id=${server.seed.productA}`]) {
      const answer = await fetchKey(server, query);
      assertSelfVerifying(answer);
      assert.equal(answer.response.public_key, cliPem, query);
    }
  });

  it("answers a product's own key when it has one, and signs that answer with it", async () => {
    const made = await runCli(['keys', 'create', '--product', String(server.seed.productB), '--algorithm', 'ed25519', '--json', ...server.cliStoreArgs]);
    assert.equal(made.code, 0, made.stderr);
    const ownPem = (JSON.parse(made.stdout) as { public_key: string }).public_key;
    const body = form({ product_id: String(server.seed.productB) });
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    // The running server picks the new key up within its reload window (--registry-cache-ms).
    let answer = await fetchKey(server, '', { method: 'POST', body, headers });
    for (let i = 0; i < 40 && answer.privateKeyUsed !== 'product'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await fetchKey(server, '', { method: 'POST', body, headers });
    }
    assert.equal(answer.response.code, 990);
    assert.equal(answer.response.public_key, ownPem);
    assert.equal(answer.response.algorithm, 'ed25519');
    assert.equal(answer.response.key_id, expectedKeyId(ownPem));
    const cli = await runCli(['keys', 'public', '--product', String(server.seed.productB), ...server.cliStoreArgs]);
    assert.equal(cli.stdout, ownPem, 'the CLI prints the same product key');
    assert.equal(answer.privateKeyUsed, 'product');
    assertSelfVerifying(answer);
    assert.ok(!verifyEnvelope(answer.text, cliPem).valid, 'the global key does not verify it');
  });
});

describe('GET /api/v1/get-public-key with an Ed25519 signing key', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ signingAlgorithm: 'ed25519' });
  });
  after(() => server.close());

  it('names the algorithm ed25519 and verifies its own signature', async () => {
    const answer = await fetchKey(server);
    assertSelfVerifying(answer);
    assert.equal(answer.response.algorithm, 'ed25519');
    assert.equal(createPublicKey(answer.response.public_key).asymmetricKeyType, 'ed25519');
  });
});
