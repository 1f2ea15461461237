import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { verifyEnvelope, verifyEnvelopeWithAny } from '../../src/envelope/verify.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();

const SAVED = { code: 830, message: 'Correct format data saved', errors: [], timestamp: 1708999140 };
const PAGE = { code: 970, message: 'Data found', data: [{ id: 1, metadata: { hwid: { mac: 'a' } }, score: 0.5, tags: ['x'] }], next_after_id: null, timestamp: 1708999140 };

/** An envelope over `signedText` exactly, with `response` written as given (JSON.stringify of the signed value by default). */
function envelope(signedText: string, responseText = JSON.stringify(JSON.parse(signedText))): string {
  const bytes = Buffer.from(signedText, 'utf8');
  const signature = sign(null, bytes, privateKey).toString('base64');
  return `{"response":${responseText},"response_base64":"${bytes.toString('base64')}","private_key_used":"global","signature":"${signature}"}`;
}

/** The envelope with its plain `response` replaced, `response_base64` and `signature` untouched. */
function withResponse(text: string, response: unknown): string {
  return JSON.stringify({ ...(JSON.parse(text) as Record<string, unknown>), response });
}

describe('verifyEnvelope', () => {
  it('accepts an honest answer and gives the response parsed from the signed bytes', () => {
    assert.deepEqual(verifyEnvelope(envelope(JSON.stringify(PAGE)), PEM), { valid: true, response: PAGE, scheme: 'contract' });
  });

  it('refuses an answer whose plain response was edited while response_base64 was not, and says so', () => {
    const honest = envelope(JSON.stringify(PAGE));
    const edits: unknown[] = [
      { ...PAGE, code: 971 },
      { ...PAGE, data: [] },
      { ...PAGE, data: [{ ...PAGE.data[0], metadata: { hwid: { mac: 'b' } } }] },
      { ...PAGE, data: [{ ...PAGE.data[0], tags: {} }] },
      { ...PAGE, next_after_id: 0 },
      { ...PAGE, extra: true },
      { code: PAGE.code, message: PAGE.message, data: PAGE.data, timestamp: PAGE.timestamp },
      [PAGE],
      null,
    ];
    for (const edited of edits) {
      const result = verifyEnvelope(withResponse(honest, edited), PEM);
      assert.deepEqual(result, { valid: false, reason: 'response differs from the signed response_base64 (the plain copy was edited)' }, JSON.stringify(edited));
    }
  });

  it('refuses an envelope without its plain response', () => {
    const parsed = JSON.parse(envelope(JSON.stringify(SAVED))) as Record<string, unknown>;
    delete parsed['response'];
    assert.deepEqual(verifyEnvelope(JSON.stringify(parsed), PEM), { valid: false, reason: 'response missing' });
  });

  it('still reports a bad signature first when the signed bytes were changed too', () => {
    const honest = JSON.parse(envelope(JSON.stringify(SAVED))) as Record<string, unknown>;
    const forged = { ...SAVED, code: 831 };
    const text = JSON.stringify({ ...honest, response: forged, response_base64: Buffer.from(JSON.stringify(forged)).toString('base64') });
    assert.deepEqual(verifyEnvelope(text, PEM), { valid: false, reason: 'signature does not match' });
  });

  it('accepts an honest answer re-indented by a tool, or with the response keys in another order', () => {
    const honest = envelope(JSON.stringify(PAGE));
    assert.ok(verifyEnvelope(JSON.stringify(JSON.parse(honest), null, 2), PEM).valid);
    const reordered = { timestamp: PAGE.timestamp, next_after_id: null, data: PAGE.data, message: PAGE.message, code: PAGE.code };
    assert.ok(verifyEnvelope(withResponse(honest, reordered), PEM).valid);
  });

  it('accepts signed bytes spelled otherwise than JSON.stringify writes them (escapes, number forms, -0)', () => {
    const signed = '{"code":970,"message":"Data\\u0020found \\/ \\u00e9","data":[{"n":1.0,"m":1e2,"z":-0}],"timestamp":1708999140}';
    const response = '{"code":970,"message":"Data found / é","data":[{"n":1,"m":100,"z":0}],"timestamp":1708999140}';
    assert.ok(verifyEnvelope(envelope(signed, response), PEM).valid);
  });

  it('compares deeply nested answers without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    assert.ok(verifyEnvelope(envelope(deep, deep), PEM).valid);
    assert.equal(verifyEnvelope(envelope(deep, '['.repeat(100_000) + '1' + ']'.repeat(100_000)), PEM).valid, false);
  });
});

describe('verifyEnvelopeWithAny', () => {
  const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('explains a refusal with the key whose signature matched: an edited response, not a foreign signature', () => {
    const edited = withResponse(envelope(JSON.stringify(SAVED)), { ...SAVED, code: 831 });
    for (const set of [[other, PEM], [PEM, other]]) {
      const result = verifyEnvelopeWithAny(edited, set);
      assert.equal(result.valid ? '' : result.reason, 'response differs from the signed response_base64 (the plain copy was edited)');
    }
    assert.deepEqual(verifyEnvelopeWithAny(envelope(JSON.stringify(SAVED)), [other]), { valid: false, reason: 'signature does not match' });
    assert.ok(verifyEnvelopeWithAny(envelope(JSON.stringify(SAVED)), [other, PEM]).valid);
  });
});
