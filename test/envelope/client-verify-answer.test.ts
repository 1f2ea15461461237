import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { importPublicKey, verifyAnswer } from '../../packages/client/src/envelope.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const SAVED = { code: 830, message: 'Correct format data saved', errors: [], timestamp: 1708999140 };

function envelope(response: unknown, signedResponse: unknown = response): string {
  const bytes = Buffer.from(JSON.stringify(signedResponse), 'utf8');
  const signature = sign('sha256', bytes, privateKey).toString('base64');
  return JSON.stringify({ response, response_base64: bytes.toString('base64'), private_key_used: 'global', signature });
}

// The client library's verifier has no "edited response" flaw: it never reads the plain copy.
describe('@tally/client verifyAnswer and the plain response', () => {
  it('answers with the signed response, whatever the envelope’s plain copy says', async () => {
    const keys = [await importPublicKey(PEM)];
    assert.deepEqual(await verifyAnswer(envelope(SAVED), keys), SAVED);
    const edited = envelope({ ...SAVED, code: 100, message: 'Invalid API Key' }, SAVED);
    assert.deepEqual(await verifyAnswer(edited, keys), SAVED, 'the edited copy is ignored, not believed');
    const withoutCopy = JSON.stringify({ ...(JSON.parse(envelope(SAVED)) as Record<string, unknown>), response: undefined });
    assert.deepEqual(await verifyAnswer(withoutCopy, keys), SAVED);
  });
});
