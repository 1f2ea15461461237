import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { EnvelopeSigner } from '../../src/envelope/envelope.js';
import { constantReply, isConstantReply, type Reply } from '../../src/model/codes.js';
import { KeyRing } from '../../src/envelope/key-ring.js';
import { SignatureCache } from '../../src/envelope/signature-cache.js';
import { generateSigningKey, toSigningKey, type SigningAlgorithm, type SigningKey } from '../../src/envelope/signing-key.js';
import { verifyEnvelope } from '../../src/envelope/verify.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';

function key(scope: string, algorithm: SigningAlgorithm = 'ed25519'): SigningKey {
  return toSigningKey({ ...generateSigningKey(scope, algorithm), retired_at: null });
}

const SAVED = { code: 830 as const, fields: { errors: [] } };

/** A key ring over a new SQLite store, read at 0 and due again 1,000 ms later; both gone after the test. */
async function storedRing(t: TestContext): Promise<{ store: Store; ring: KeyRing }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-ring-'));
  const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
  t.after(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { store, ring: await KeyRing.open(store.secrets, 'ed25519', 1000, 0) };
}

describe('KeyRing', () => {
  it("chooses a product's own key for that product, and the global key otherwise", () => {
    const global = key('global');
    const own = key('product:5');
    const ring = KeyRing.fixed(global, new Map([[5, own]]));
    assert.deepEqual(ring.choose(5), { key: own, used: 'product' });
    assert.deepEqual(ring.choose(6), { key: global, used: 'global' });
    assert.deepEqual(ring.choose(null), { key: global, used: 'global' });
  });

  it('picks up a rotation made in the store once its reload window has passed, not before', async (t) => {
    const { store, ring } = await storedRing(t);
    const first = ring.choose(null).key;
    const next = await store.secrets.rotateSigningKey(generateSigningKey('global', 'ed25519'));
    assert.ok(next);
    await store.secrets.saveSigningKeyIfAbsent(generateSigningKey('product:3', 'rsa-2048'));
    assert.equal(ring.refreshIfDue(999), undefined, 'fresh within the window');
    assert.equal(ring.choose(null).key.keyId, first.keyId);
    assert.equal(ring.choose(3).used, 'global');
    await ring.refreshIfDue(1000);
    assert.equal(ring.choose(null).key.keyId, next.key_id);
    assert.equal(ring.choose(3).used, 'product');
    assert.equal(ring.choose(3).key.algorithm, 'rsa-2048');
  });
});

describe('KeyRing when the store cannot be read', () => {
  it('keeps signing with the keys it holds and tries again one window later', async (t) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-ring-'));
    t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
    const ring = await KeyRing.open(store.secrets, 'ed25519', 1000, 0);
    const held = ring.choose(null).key.keyId;
    await store.close();
    await ring.refreshIfDue(5000);
    assert.equal(ring.choose(null).key.keyId, held);
    assert.equal(ring.refreshIfDue(5500), undefined, 'the failed reload counts as a read for the window');
    const signed = await new EnvelopeSigner(ring).envelope(SAVED, null, 5600);
    assert.equal(signed.keyId, held);
  });
});

describe('EnvelopeSigner with several keys', () => {
  it('signs each answer with the chosen key, and its cache never hands one key’s envelope out for another', async () => {
    const global = key('global', 'rsa-2048');
    const own = key('product:5', 'ed25519');
    const signer = new EnvelopeSigner(KeyRing.fixed(global, new Map([[5, own]])));
    const now = 1_708_999_140_000;
    const forProduct = await signer.envelope(SAVED, 5, now);
    const forGlobal = await signer.envelope(SAVED, null, now);
    const again = await signer.envelope(SAVED, 5, now);
    assert.equal(forProduct.keyId, own.keyId);
    assert.equal(forGlobal.keyId, global.keyId);
    assert.notEqual(forProduct.body, forGlobal.body, 'same bytes, different keys: two envelopes');
    assert.equal(again.body, forProduct.body, 'the same bytes with the same key come from the cache');
    assert.deepEqual(signer.cacheStats, { hits: 1, misses: 2 });
    assert.ok(verifyEnvelope(forProduct.body, own.publicKeyPem).valid);
    assert.ok(!verifyEnvelope(forProduct.body, global.publicKeyPem).valid);
    assert.ok(verifyEnvelope(forGlobal.body, global.publicKeyPem).valid);
    assert.equal((JSON.parse(forProduct.body) as { private_key_used: string }).private_key_used, 'product');
    assert.equal((JSON.parse(forGlobal.body) as { private_key_used: string }).private_key_used, 'global');
  });

  it('signs with RSA-4096 too, verifiable with its public key', async () => {
    const big = key('global', 'rsa-4096');
    const signed = await new EnvelopeSigner(KeyRing.fixed(big)).envelope(SAVED);
    assert.equal(big.algorithm, 'rsa-4096');
    assert.ok(verifyEnvelope(signed.body, big.publicKeyPem).valid);
  });
});

describe('EnvelopeSigner.signedAlready', () => {
  it('hands out an envelope signed a moment ago, at once, for the same answer, key, scheme and nonce only', async () => {
    const global = key('global');
    const own = key('product:5');
    const signer = new EnvelopeSigner(KeyRing.fixed(global, new Map([[5, own]])));
    const now = 1_708_999_140_000;
    assert.equal(signer.signedAlready(SAVED, null, now, 'contract', null), null, 'nothing signed yet');
    const signed = await signer.envelope(SAVED, null, now, 'contract', 'n-1');
    assert.deepEqual(signer.signedAlready(SAVED, null, now + 900, 'contract', 'n-1'), signed);
    assert.equal(signer.signedAlready(SAVED, null, now, 'contract', 'n-2'), null, 'another nonce');
    assert.equal(signer.signedAlready(SAVED, null, now, 'getkeymanager-php', 'n-1'), null, 'another scheme');
    assert.equal(signer.signedAlready(SAVED, 5, now, 'contract', 'n-1'), null, "the product's own key");
    assert.equal(signer.signedAlready({ code: 831, fields: { errors: {} } }, null, now, 'contract', 'n-1'), null, 'another answer');
    assert.equal(signer.signedAlready(SAVED, null, now + 2000, 'contract', 'n-1'), null, 'another timestamp, two seconds on');
    assert.ok(verifyEnvelope(signed.body, global.publicKeyPem).valid);
  });

  it('hands out nothing while the keys are due to be read again, so a rotation is never missed', async (t) => {
    const { store, ring } = await storedRing(t);
    const signer = new EnvelopeSigner(ring);
    const before = await signer.envelope(SAVED, null, 500);
    assert.deepEqual(signer.signedAlready(SAVED, null, 900, 'contract', null), before, 'within the window');
    await store.secrets.rotateSigningKey(generateSigningKey('global', 'ed25519'));
    assert.equal(signer.signedAlready(SAVED, null, 1000, 'contract', null), null, 'the window has passed');
    const after = await signer.envelope(SAVED, null, 1000);
    assert.notEqual(after.keyId, before.keyId, 'signed with the new key');
    assert.equal(after.keyId, ring.choose(null).key.keyId);
  });

  it('builds the JSON of an answer it must sign once, though signedAlready looked first', async () => {
    const signer = new EnvelopeSigner(KeyRing.fixed(key('global')));
    let serialized = 0;
    const page = { toJSON: () => (serialized++, [{ id: 1 }]) };
    const answer: Reply = { code: 970, fields: { data: page } };
    assert.equal(signer.signedAlready(answer, null, 5000, 'contract', null), null, 'not signed yet');
    const signed = await signer.envelope(answer, null, 5000, 'contract', null);
    assert.equal(serialized, 1);
    assert.match(signed.body, /"data":\[\{"id":1\}\]/);
    await signer.envelope(answer, null, 5000, 'contract', null);
    assert.equal(serialized, 2, 'and builds it again for another call: a non-constant answer is not kept after its signing');
  });
});

describe('EnvelopeSigner with a constant reply', () => {
  it('answers it with its own timestamp each second, its own nonce, and the same envelope within a second', async () => {
    const global = key('global');
    const signer = new EnvelopeSigner(KeyRing.fixed(global));
    const saved = constantReply(830, { errors: [] });
    assert.ok(isConstantReply(saved) && Object.isFrozen(saved.fields?.['errors']));
    const now = 1_708_999_140_000;
    const bodies = [
      await signer.envelope(saved, null, now), await signer.envelope(saved, null, now + 999),
      await signer.envelope(saved, null, now + 1000), await signer.envelope(saved, null, now + 1000, 'contract', 'n-1'),
      await signer.envelope(saved, null, now + 1000, 'getkeymanager-js', 'n-1'),
    ].map(({ body }) => body);
    const responses = bodies.map((body) => (JSON.parse(body) as { response: { timestamp: number; nonce?: string } }).response);
    const timestamps = responses.map(({ timestamp }) => timestamp);
    assert.deepEqual(timestamps, [1_708_999_140, 1_708_999_140, 1_708_999_141, 1_708_999_141, 1_708_999_141]);
    assert.equal(bodies[1], bodies[0], 'the same second: the same envelope');
    assert.equal(new Set(bodies.slice(1)).size, 4, 'another second, nonce or scheme: another envelope');
    assert.equal(responses[3]?.nonce, 'n-1');
    for (const body of bodies) assert.ok(verifyEnvelope(body, global.publicKeyPem).valid);
  });

  it('keeps its JSON while other answers are signed in between', async () => {
    const signer = new EnvelopeSigner(KeyRing.fixed(key('global')));
    let serialized = 0;
    const saved = constantReply(830, { errors: [], probe: { toJSON: () => (serialized++, 1) } });
    await signer.envelope(saved, null, 7000);
    assert.equal(signer.signedAlready({ code: 831, fields: { errors: { a: 'b' } } }, null, 7000, 'contract', null), null);
    await signer.envelope({ code: 831, fields: { errors: { a: 'b' } } }, null, 7000);
    await signer.envelope(saved, null, 7500);
    assert.equal(serialized, 1, 'the constant answer was built once in its second');
  });
});

describe('SignatureCache', () => {
  it('gives a remembered envelope at once once its signing has finished, never before, nor after a failed signing', async () => {
    const cache = new SignatureCache();
    let finish: (envelope: string) => void = () => {};
    const pending = cache.get('{"a":1}', 'k', 0, () => new Promise((resolve) => (finish = resolve)));
    assert.equal(cache.signed('{"a":1}', 'k', 0), null, 'still signing');
    finish('signed');
    assert.equal(await pending, 'signed');
    assert.equal(cache.signed('{"a":1}', 'k', 0), 'signed');
    assert.equal(cache.signed('{"a":1}', 'other key', 0), null);
    await cache.get('{"b":1}', 'k', 0, () => Promise.reject(new Error('no key'))).catch(() => undefined);
    assert.equal(cache.signed('{"b":1}', 'k', 0), null);
  });

  it('keys entries by key id as well as by the bytes signed', async () => {
    const cache = new SignatureCache();
    const calls: string[] = [];
    const sign = (id: string) => async (payload: string): Promise<string> => {
      calls.push(id);
      return `${id}:${payload}`;
    };
    assert.equal(await cache.get('{"a":1}', 'k1', 0, sign('k1')), 'k1:{"a":1}');
    assert.equal(await cache.get('{"a":1}', 'k2', 0, sign('k2')), 'k2:{"a":1}');
    assert.equal(await cache.get('{"a":1}', 'k1', 0, sign('k1')), 'k1:{"a":1}');
    assert.deepEqual(calls, ['k1', 'k2']);
  });

  it("signs a batch-sized answer once per second, as it does a single report's", async () => {
    const cache = new SignatureCache();
    let signings = 0;
    const sign = async (payload: string): Promise<string> => `${++signings}:${payload.length}`;
    const batchAnswer = JSON.stringify({ code: 840, results: Array.from({ length: 500 }, () => ({ code: 830 })) });
    assert.ok(batchAnswer.length > 4096);
    const first = await cache.get(batchAnswer, 'k', 1000, sign);
    // A fresh string with the same text, as the next request's answer would be.
    assert.equal(await cache.get(`${batchAnswer} `.slice(0, -1), 'k', 1500, sign), first);
    assert.equal(signings, 1);
    await cache.get(batchAnswer, 'k', 3000, sign);
    assert.equal(signings, 2, 'two seconds later the entry is gone');
  });

  it('signs an answer larger than 256 KiB every time, and stops remembering at its size bound', async () => {
    let signings = 0;
    const sign = async (payload: string): Promise<string> => `${++signings}:${payload.length}`;
    const page = 'x'.repeat(256 * 1024 + 1);
    const cache = new SignatureCache();
    await cache.get(page, 'k', 0, sign);
    await cache.get(page, 'k', 0, sign);
    assert.equal(signings, 2);

    // Room for two answers of 1,000 units (each charged 4 × its length + 1024 = 5,024).
    const small = new SignatureCache(10_000, 10_048);
    signings = 0;
    for (const answer of ['a', 'b', 'c']) await small.get(answer.repeat(1000), 'k', 0, sign);
    for (const answer of ['a', 'b', 'c']) await small.get(answer.repeat(1000), 'k', 0, sign);
    assert.equal(signings, 4, 'a and b are remembered; c, past the bound, is signed both times');
  });
});
