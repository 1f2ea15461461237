import assert from 'node:assert/strict';
import { createPublicKey, sign } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { tempTally, type TempTally } from './cli-helper.js';

/** An answer signed like CONTRACT §2 says, with the store's global private key. */
async function signedEnvelope(tally: TempTally, response: Record<string, unknown>): Promise<Record<string, unknown>> {
  const stored = await tally.withStore((store) => store.secrets.getSigningKey('global'));
  assert.ok(stored, 'keys public should have made the global key');
  const bytes = Buffer.from(JSON.stringify(response), 'utf8');
  const signature = sign('sha256', bytes, stored.private_pem).toString('base64');
  return { response, response_base64: bytes.toString('base64'), private_key_used: 'global', signature };
}

/** A data dir whose global public key is saved in `public.pem`. */
async function withPublicKey(t: TestContext): Promise<{ tally: TempTally; pemFile: string }> {
  const tally = await tempTally(t);
  const result = await tally.run(['keys', 'public']);
  assert.equal(result.code, 0, result.stderr);
  const pemFile = path.join(tally.dataDir, 'public.pem');
  await writeFile(pemFile, result.stdout);
  return { tally, pemFile };
}

const SAVED = { code: 830, message: 'Correct format data saved', errors: [], timestamp: 1708999140 };

describe('tally keys public', () => {
  it('prints a PEM public key alone, made on first use and the same on the next call', async (t) => {
    const tally = await tempTally(t);
    const first = await tally.run(['keys', 'public']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    const key = createPublicKey(first.stdout);
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal((await tally.run(['keys', 'public'])).stdout, first.stdout);
  });

  it("prints the global key for a product without its own key, and refuses an unknown product", async (t) => {
    const tally = await tempTally(t);
    await tally.json(['product', 'create', '--name', 'Desk App']);
    const global = await tally.run(['keys', 'public']);
    assert.equal((await tally.run(['keys', 'public', '--product', '1'])).stdout, global.stdout);
    const unknown = await tally.run(['keys', 'public', '--product', '5']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No product with id 5/);
  });

  it('makes the first key with the configured algorithm', async (t) => {
    const tally = await tempTally(t);
    const result = await tally.run(['keys', 'public', '--signing-algorithm', 'ed25519']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(createPublicKey(result.stdout).asymmetricKeyType, 'ed25519');
  });
});

describe('tally verify', () => {
  it('prints valid and exits 0 for an answer signed with the key, read from a file or stdin', async (t) => {
    const { tally, pemFile } = await withPublicKey(t);
    const envelope = JSON.stringify(await signedEnvelope(tally, SAVED));
    const answerFile = path.join(tally.dataDir, 'answer.json');
    await writeFile(answerFile, envelope);
    const fromFile = await tally.run(['verify', '--public-key', pemFile, answerFile]);
    assert.deepEqual([fromFile.code, fromFile.stdout, fromFile.stderr], [0, 'valid\n', '']);
    const fromStdin = await tally.run(['verify', '--public-key', pemFile, '-'], { stdin: envelope });
    assert.deepEqual([fromStdin.code, fromStdin.stdout], [0, 'valid\n']);
  });

  it('says invalid on stderr and exits 1 when the signed bytes were changed', async (t) => {
    const { tally, pemFile } = await withPublicKey(t);
    const envelope = await signedEnvelope(tally, SAVED);
    const forged = Buffer.from(JSON.stringify({ ...SAVED, code: 831 }), 'utf8').toString('base64');
    const result = await tally.run(['verify', '--public-key', pemFile], { stdin: JSON.stringify({ ...envelope, response_base64: forged }) });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^invalid: signature does not match/);
  });

  it('exits 1 when the answer is not an envelope or the key file holds no public key', async (t) => {
    const { tally, pemFile } = await withPublicKey(t);
    assert.match((await tally.run(['verify', '--public-key', pemFile], { stdin: 'hello' })).stderr, /^invalid: not JSON/);
    const notAKey = path.join(tally.dataDir, 'not-a-key.pem');
    await writeFile(notAKey, 'hello');
    const result = await tally.run(['verify', '--public-key', notAKey], { stdin: '{}' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /does not hold a public key/);
  });
});
