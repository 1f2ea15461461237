import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { runCli } from './cli-runner.js';
import { form, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
let pem: string;

before(async () => {
  server = await startTestServer();
  const result = await runCli(['keys', 'public', ...server.cliStoreArgs]);
  assert.equal(result.code, 0, result.stderr);
  pem = result.stdout;
});
after(() => server.close());

interface Envelope {
  response: Record<string, unknown>;
  response_base64: string;
  private_key_used: string;
  signature: string;
}

async function envelopeFor(body: string | null, contentType: string, path = '/api/v1/send-telemetry-data'): Promise<Envelope> {
  const res = await fetch(server.url + path, body === null ? {} : { method: 'POST', body, headers: { 'content-type': contentType } });
  return (await res.json()) as Envelope;
}

describe('every /api/v1 answer is signed with the key `tally keys public` prints', () => {
  it('prints a PEM public key that Node accepts', () => {
    assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n?$/);
    const key = createPublicKey(pem);
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 4096);
  });

  it('signs 830, 831, auth errors, malformed bodies and unknown paths, over the exact bytes of response_base64', async () => {
    const k = server.seed.keys.full;
    const answers = [
      await envelopeFor(form({ api_key: k, product_id: String(server.seed.productA), user_identifier: 'u', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 'é', data_group: 'g' }), 'application/x-www-form-urlencoded'),
      await envelopeFor(form({ api_key: k, data_group: 'g' }), 'application/x-www-form-urlencoded'),
      await envelopeFor(form({ api_key: 'wrong' }), 'application/x-www-form-urlencoded'),
      await envelopeFor('{broken', 'application/json'),
      await envelopeFor(null, '', '/api/v1/unknown'),
    ];
    assert.deepEqual(answers.map((a) => a.response['code']), [830, 831, 100, 400, 404]);
    for (const answer of answers) {
      const bytes = Buffer.from(answer.response_base64, 'base64');
      assert.equal(bytes.toString('utf8'), JSON.stringify(answer.response), 'response_base64 is the compact JSON of response');
      assert.ok(verify('sha256', bytes, createPublicKey(pem), Buffer.from(answer.signature, 'base64')), `code ${String(answer.response['code'])} verifies`);
      assert.equal(answer.private_key_used, 'global');
      const keys = Object.keys(answer.response);
      assert.deepEqual([keys[0], keys[1], keys.at(-1)], ['code', 'message', 'timestamp']);
    }
  });

  it('gives a signature that fails for altered bytes', async () => {
    const answer = await envelopeFor(form({ api_key: 'wrong' }), 'application/x-www-form-urlencoded');
    const altered = Buffer.from(Buffer.from(answer.response_base64, 'base64').toString('utf8').replace('100', '830'));
    assert.equal(verify('sha256', altered, createPublicKey(pem), Buffer.from(answer.signature, 'base64')), false);
  });

  it('is checked by `tally verify`: exit 0 for a real answer, non-zero for a tampered one', async () => {
    const answer = await envelopeFor(form({ api_key: 'wrong' }), 'application/x-www-form-urlencoded');
    const fs = await import('node:fs');
    const pemFile = `${server.dataDir}/public.pem`;
    fs.writeFileSync(pemFile, pem);
    const valid = await runCli(['verify', '--public-key', pemFile, '-'], JSON.stringify(answer));
    assert.equal(valid.code, 0, valid.stderr);
    const tampered = { ...answer, response_base64: Buffer.from(JSON.stringify({ ...answer.response, code: 830 })).toString('base64') };
    const invalid = await runCli(['verify', '--public-key', pemFile, '-'], JSON.stringify(tampered));
    assert.notEqual(invalid.code, 0);
  });
});

describe('the signature cache', () => {
  it('gives identical answers within one second the same signature, and different answers different ones', async () => {
    const sameA = await envelopeFor(form({ api_key: 'wrong' }), 'application/x-www-form-urlencoded');
    const sameB = await envelopeFor(form({ api_key: 'wrong' }), 'application/x-www-form-urlencoded');
    if (sameA.response['timestamp'] === sameB.response['timestamp']) assert.equal(sameA.signature, sameB.signature);
    const other = await envelopeFor('{broken', 'application/json');
    assert.notEqual(other.signature, sameB.signature);
  });
});
