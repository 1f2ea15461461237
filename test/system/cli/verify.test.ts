import assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { tempTally, type TempTally } from './cli-helper.js';

const PAGE = { code: 970, message: 'Data found', data: [{ id: 7, metadata: { plan: 'pro' }, score: 0.5 }], next_after_id: null, timestamp: 1708999140 };

/** A data dir with its global public key in `public.pem`, and an answer signed with that key as CONTRACT §2 says. */
async function signedAnswer(t: TestContext): Promise<{ tally: TempTally; pemFile: string; envelope: Record<string, unknown> }> {
  const tally = await tempTally(t);
  const pem = await tally.run(['keys', 'public']);
  assert.equal(pem.code, 0, pem.stderr);
  const pemFile = path.join(tally.dataDir, 'public.pem');
  await writeFile(pemFile, pem.stdout);
  const stored = await tally.withStore((store) => store.secrets.getSigningKey('global'));
  assert.ok(stored);
  const bytes = Buffer.from(JSON.stringify(PAGE), 'utf8');
  const signature = sign('sha256', bytes, stored.private_pem).toString('base64');
  return { tally, pemFile, envelope: { response: PAGE, response_base64: bytes.toString('base64'), private_key_used: 'global', signature } };
}

describe('tally verify and the plain response', () => {
  it('says invalid and exits 1 when the response was edited but response_base64 was not', async (t) => {
    const { tally, pemFile, envelope } = await signedAnswer(t);
    const edited = { ...envelope, response: { ...PAGE, data: [{ ...PAGE.data[0], metadata: { plan: 'enterprise' } }] } };
    const result = await tally.run(['verify', '--public-key', pemFile], { stdin: JSON.stringify(edited) });
    assert.deepEqual([result.code, result.stdout], [1, '']);
    assert.equal(result.stderr, 'invalid: response differs from the signed response_base64 (the plain copy was edited)\n');
  });

  it('names the edit, not a foreign key, when checked against a pinned set', async (t) => {
    const { tally, envelope } = await signedAnswer(t);
    const other = await tempTally(t);
    const otherPem = (await other.run(['keys', 'public'])).stdout;
    const pinned = path.join(tally.dataDir, 'pinned.pem');
    await writeFile(pinned, otherPem + (await tally.run(['keys', 'public'])).stdout);
    assert.equal((await tally.run(['verify', '--public-key', pinned], { stdin: JSON.stringify(envelope) })).code, 0);
    const edited = JSON.stringify({ ...envelope, response: { ...PAGE, code: 971 } });
    const result = await tally.run(['verify', '--public-key', pinned], { stdin: edited });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^invalid: response differs from the signed response_base64/);
  });

  it('says valid for an honest answer, also once re-indented by a tool', async (t) => {
    const { tally, pemFile, envelope } = await signedAnswer(t);
    for (const text of [JSON.stringify(envelope), JSON.stringify(envelope, null, 2)]) {
      const result = await tally.run(['verify', '--public-key', pemFile], { stdin: text });
      assert.deepEqual([result.code, result.stdout, result.stderr], [0, 'valid\n', '']);
    }
  });
});

describe('tally verify --json', () => {
  it('prints {valid: true, key_id, scheme} naming the pinned key that verified, exit 0', async (t) => {
    const { tally, pemFile, envelope } = await signedAnswer(t);
    const other = await tempTally(t);
    const pinned = path.join(tally.dataDir, 'pinned.pem');
    await writeFile(pinned, (await other.run(['keys', 'public'])).stdout + (await tally.run(['keys', 'public'])).stdout);
    const { keys } = await tally.json<{ keys: { scope: string; key_id: string }[] }>(['keys', 'list']);
    const keyId = keys.find((key) => key.scope === 'global')?.key_id;
    assert.match(String(keyId), /^[0-9a-f]{16}$/);
    for (const file of [pemFile, pinned]) {
      const result = await tally.run(['verify', '--public-key', file, '--json'], { stdin: JSON.stringify(envelope) });
      assert.deepEqual([result.code, result.stderr], [0, '']);
      assert.deepEqual(JSON.parse(result.stdout), { valid: true, key_id: keyId, scheme: 'contract' });
    }
  });

  it('prints {valid: false, reason} on stdout and keeps exit code 1 for an invalid answer; a bad key file is an error on stderr', async (t) => {
    const { tally, pemFile, envelope } = await signedAnswer(t);
    const edited = JSON.stringify({ ...envelope, response: { ...PAGE, code: 971 } });
    const result = await tally.run(['verify', '--public-key', pemFile, '--json'], { stdin: edited });
    assert.deepEqual([result.code, result.stderr], [1, '']);
    assert.deepEqual(JSON.parse(result.stdout), { valid: false, reason: 'response differs from the signed response_base64 (the plain copy was edited)' });
    const notPem = path.join(tally.dataDir, 'not.pem');
    await writeFile(notPem, 'hello');
    const broken = await tally.run(['verify', '--public-key', notPem, '--json'], { stdin: JSON.stringify(envelope) });
    assert.deepEqual([broken.code, broken.stdout], [1, '']);
    assert.match(broken.stderr, /^error: .* does not hold a public key in PEM form\.\n$/);
  });
});

describe('tally verify --nonce', () => {
  it('says valid only when the signed response carries exactly the nonce the request sent', async (t) => {
    const { tally, pemFile } = await signedAnswer(t);
    const stored = await tally.withStore((store) => store.secrets.getSigningKey('global'));
    assert.ok(stored);
    const envelopeOf = (response: Record<string, unknown>): string => {
      const bytes = Buffer.from(JSON.stringify(response), 'utf8');
      return JSON.stringify({ response, response_base64: bytes.toString('base64'), private_key_used: 'global', signature: sign('sha256', bytes, stored.private_pem).toString('base64') });
    };
    const bound = envelopeOf({ code: 830, message: 'Correct format data saved', errors: [], nonce: 'mine-123', timestamp: 1708999140 });
    const ok = await tally.run(['verify', '--public-key', pemFile, '--nonce', 'mine-123'], { stdin: bound });
    assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, 'valid\n', '']);
    const other = await tally.run(['verify', '--public-key', pemFile, '--nonce', 'yours-456'], { stdin: bound });
    assert.deepEqual([other.code, other.stderr], [1, 'invalid: the signed response carries another nonce (an answer to another request)\n']);
    const none = await tally.run(['verify', '--public-key', pemFile, '--nonce', 'mine-123'], { stdin: envelopeOf(PAGE) });
    assert.deepEqual([none.code, none.stderr], [1, 'invalid: the signed response carries no nonce\n']);
  });
});
