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
    // RSA-4096 for a new install: the published platform's algorithm, the one its SDKs expect.
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 4096);
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

interface MadeKey {
  scope: string;
  key_id: string;
  algorithm: string;
  public_key: string;
  retired_key_id: string | null;
}

interface ListedKey {
  scope: string;
  key_id: string;
  algorithm: string;
  public_key: string;
  created_at: string;
  retired_at: string | null;
}

/** An envelope signed with one stored key (by id), as the server would sign it. */
async function signedWith(tally: TempTally, keyIdToUse: string, response: Record<string, unknown>): Promise<string> {
  const stored = (await tally.withStore((store) => store.secrets.listSigningKeys())).find((key) => key.key_id === keyIdToUse);
  assert.ok(stored, `key ${keyIdToUse} is stored`);
  const bytes = Buffer.from(JSON.stringify(response), 'utf8');
  const signature = sign(stored.algorithm === 'ed25519' ? null : 'sha256', bytes, stored.private_pem).toString('base64');
  const used = stored.scope === 'global' ? 'global' : 'product';
  return JSON.stringify({ response, response_base64: bytes.toString('base64'), private_key_used: used, signature });
}

describe('tally keys create, rotate, list, public --key-id/--all', () => {
  it('gives a product its own key once, rotates keys keeping the old ones listed, and prints any of them', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['product', 'create', '--name', 'Desk App']);
    // An install made with RSA-2048 (an older default), so that the rotation below changes the algorithm.
    const firstGlobal = (await tally.run(['keys', 'public', '--signing-algorithm', 'rsa-2048'])).stdout;

    const own = await tally.json<MadeKey>(['keys', 'create', '--product', '1', '--algorithm', 'ed25519', '--json']);
    assert.equal(own.scope, 'product:1');
    assert.equal(own.algorithm, 'ed25519');
    assert.equal(own.retired_key_id, null);
    assert.equal((await tally.run(['keys', 'public', '--product', '1'])).stdout, own.public_key);
    const twice = await tally.run(['keys', 'create', '--product', '1']);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /already has its own signing key; use `tally keys rotate --product 1`/);
    const badAlgorithm = await tally.run(['keys', 'rotate', '--algorithm', 'dsa']);
    assert.notEqual(badAlgorithm.code, 0);

    const rotated = await tally.json<MadeKey>(['keys', 'rotate', '--algorithm', 'rsa-4096', '--json']);
    assert.equal(rotated.scope, 'global');
    assert.equal(rotated.algorithm, 'rsa-4096');
    const { keys } = await tally.json<{ keys: ListedKey[] }>(['keys', 'list', '--json']);
    assert.deepEqual(keys.map((key) => [key.scope, key.key_id, key.algorithm, key.retired_at === null]), [
      ['global', rotated.key_id, 'rsa-4096', true],
      ['global', rotated.retired_key_id, 'rsa-2048', false],
      ['product:1', own.key_id, 'ed25519', true],
    ]);
    assert.ok(keys.every((key) => !('private_pem' in key)), 'never the private half');
    const text = await tally.run(['keys', 'list']);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout.trim().split('\n').length, 3);
    assert.match(text.stdout, new RegExp(`global\\t${rotated.key_id}\\trsa-4096\\tcreated \\S+\\tcurrent`));
    assert.match(text.stdout, /\tretired \d{4}-/);

    assert.equal((await tally.run(['keys', 'public'])).stdout, rotated.public_key);
    assert.equal((await tally.run(['keys', 'public', '--all'])).stdout, rotated.public_key + firstGlobal);
    assert.equal((await tally.run(['keys', 'public', '--key-id', String(rotated.retired_key_id)])).stdout, firstGlobal);
    assert.equal((await tally.run(['keys', 'public', '--key-id', own.key_id])).stdout, own.public_key);
    const missing = await tally.run(['keys', 'public', '--key-id', '0000000000000000']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No signing key with id 0000000000000000/);
  });
});

describe('tally verify with each algorithm and with a pinned set', () => {
  it('verifies Ed25519, RSA-2048 and RSA-4096 answers, and accepts any key of a `keys public --all` set', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['product', 'create', '--name', 'Desk App']);
    await tally.run(['keys', 'public', '--signing-algorithm', 'rsa-2048']);
    const own = await tally.json<MadeKey>(['keys', 'create', '--product', '1', '--algorithm', 'ed25519', '--json']);
    const rotated = await tally.json<MadeKey>(['keys', 'rotate', '--algorithm', 'rsa-4096', '--json']);
    const oldId = String(rotated.retired_key_id);
    for (const [id, algorithm] of [[own.key_id, 'ed25519'], [oldId, 'rsa-2048'], [rotated.key_id, 'rsa-4096']] as const) {
      const pemFile = path.join(tally.dataDir, `${id}.pem`);
      await writeFile(pemFile, (await tally.run(['keys', 'public', '--key-id', id])).stdout);
      const answer = await signedWith(tally, id, SAVED);
      const result = await tally.run(['verify', '--public-key', pemFile], { stdin: answer });
      assert.deepEqual([result.code, result.stdout], [0, 'valid\n'], `${algorithm}: ${result.stderr}`);
    }
    const pinned = path.join(tally.dataDir, 'global-set.pem');
    await writeFile(pinned, (await tally.run(['keys', 'public', '--all'])).stdout);
    for (const id of [oldId, rotated.key_id]) {
      const result = await tally.run(['verify', '--public-key', pinned], { stdin: await signedWith(tally, id, SAVED) });
      assert.equal(result.code, 0, `key ${id} of the pinned set: ${result.stderr}`);
    }
    const foreign = await tally.run(['verify', '--public-key', pinned], { stdin: await signedWith(tally, own.key_id, SAVED) });
    assert.equal(foreign.code, 1, 'a key outside the pinned set does not verify');
    assert.match(foreign.stderr, /^invalid:/);
  });
});
