import assert from 'node:assert/strict';
import { NO_AUDIT } from '../audit-helpers.js';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createProductKey, publicKeyInfo } from '../../src/envelope/key-management.js';
import { createApiKey } from '../../src/registry/api-keys.js';
import { form, startTestServer, type TestServer } from './test-server.js';

/** Short reload window so the server sees the product key made below quickly. */
const RELOAD_MS = 200;
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

interface Signed {
  status: number;
  keyId: string | null;
  envelope: { response: Record<string, unknown>; response_base64: string; private_key_used: string; signature: string };
  /** The signed bytes, parsed: what a client trusts. */
  signed: Record<string, unknown>;
  /** The signed bytes as text. */
  bytes: string;
}

async function call(url: string, body?: string, contentType = FORM): Promise<Signed> {
  const init: RequestInit = body === undefined ? {} : { method: 'POST', body, headers: { 'content-type': contentType } };
  const res = await fetch(url, init);
  const envelope = JSON.parse(await res.text()) as Signed['envelope'];
  const bytes = Buffer.from(envelope.response_base64, 'base64').toString('utf8');
  return { status: res.status, keyId: res.headers.get('x-tally-key-id'), envelope, signed: JSON.parse(bytes) as Record<string, unknown>, bytes };
}

/** The client check of docs/security.md: the signature over the bytes response_base64 encodes. */
function verifiesWith(answer: Signed, pem: string): boolean {
  const key = createPublicKey(pem);
  const bytes = Buffer.from(answer.envelope.response_base64, 'base64');
  return verify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', bytes, key, Buffer.from(answer.envelope.signature, 'base64'));
}

describe('answers bound to their product and to their request', () => {
  let server: TestServer;
  let globalPem: string;
  let productPem: string;
  let productKeyId: string;
  /** Keys beside the seed's: send+get scoped to product B alone, and one shared by A and B. */
  let scopedFull: string;
  let shared: string;

  const api = (path: string, query: Record<string, string> = {}): string => `${server.url}/api/v1/${path}${Object.keys(query).length ? `?${form(query)}` : ''}`;
  const report = (apiKey: string, extra: Record<string, string> = {}): Record<string, string> => ({
    api_key: apiKey, product_id: String(server.seed.productB), user_identifier: 'binding-user', license_key: 'LIC-B',
    activation_identifier: 'act-1', product_version: '2.0.0', data_type: 'text', text_data: 'bound', data_group: 'binding', ...extra,
  });
  const storedInGroup = async (group: string) => (await server.store.telemetry.list({ limit: 100_000 })).filter((r) => r.data_group === group);

  before(async () => {
    server = await startTestServer({ registryCacheMs: RELOAD_MS });
    globalPem = (await server.store.secrets.getSigningKey('global'))!.public_pem;
    const own = publicKeyInfo(await createProductKey(server.store, server.seed.productB, 'ed25519', NO_AUDIT));
    productPem = own.public_key;
    productKeyId = own.key_id;
    const registry = server.store.registry;
    scopedFull = (await createApiKey(registry, { name: 'b-full', capabilities: ['send_telemetry', 'get_telemetry'], products: [server.seed.productB] }, NO_AUDIT)).secret;
    shared = (await createApiKey(registry, { name: 'a-and-b', products: [server.seed.productA, server.seed.productB] }, NO_AUDIT)).secret;
    // Wait until the running server has loaded product B's key.
    for (let i = 0; i < 200; i++) {
      if ((await call(api('send-telemetry-data'), form(report(server.seed.keys.scopedToB)))).keyId === productKeyId) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("the server never signed with product B's key");
  });
  after(() => server.close());

  describe("a product's own key signs only for a key scoped to that product alone", () => {
    it('an unscoped key naming product B with a made-up license gets an 830 signed with the global key, not B\'s', async () => {
      const answer = await call(api('send-telemetry-data'), form(report(server.seed.keys.full, { license_key: 'MADE-UP-LICENSE' })));
      assert.equal(answer.signed['code'], 830);
      assert.equal(answer.envelope.private_key_used, 'global');
      assert.ok(verifiesWith(answer, globalPem));
      assert.ok(!verifiesWith(answer, productPem), "does not verify with product B's pinned key");
      assert.notEqual(answer.keyId, productKeyId);
    });

    it("a key scoped to product B alone gets B's key; a key shared by A and B gets the global key", async () => {
      const scoped = await call(api('send-telemetry-data'), form(report(server.seed.keys.scopedToB)));
      assert.equal(scoped.signed['code'], 830);
      assert.equal(scoped.envelope.private_key_used, 'product');
      assert.equal(scoped.keyId, productKeyId);
      assert.ok(verifiesWith(scoped, productPem));
      const sharedAnswer = await call(api('send-telemetry-data'), form(report(shared)));
      assert.equal(sharedAnswer.signed['code'], 830);
      assert.equal(sharedAnswer.envelope.private_key_used, 'global');
      assert.ok(verifiesWith(sharedAnswer, globalPem));
    });

    it('applies the same rule to get-telemetry-data and the batch endpoint; get-public-key keeps naming and signing with B\'s key', async () => {
      const query = { product_id: String(server.seed.productB) };
      const readScoped = await call(api('get-telemetry-data', { ...query, api_key: scopedFull }));
      assert.equal(readScoped.envelope.private_key_used, 'product');
      assert.ok(verifiesWith(readScoped, productPem));
      const readUnscoped = await call(api('get-telemetry-data', { ...query, api_key: server.seed.keys.full }));
      assert.equal(readUnscoped.envelope.private_key_used, 'global');
      assert.ok(verifiesWith(readUnscoped, globalPem));

      const items = JSON.stringify([{ ...report(''), api_key: undefined }]);
      const batchScoped = await call(api('send-telemetry-data-batch', { ...query, api_key: scopedFull }), items, JSON_TYPE);
      assert.equal(batchScoped.signed['code'], 840);
      assert.equal(batchScoped.envelope.private_key_used, 'product');
      const batchUnscoped = await call(api('send-telemetry-data-batch', { ...query, api_key: server.seed.keys.full }), items, JSON_TYPE);
      assert.equal(batchUnscoped.signed['code'], 840);
      assert.equal(batchUnscoped.envelope.private_key_used, 'global');
      assert.ok(verifiesWith(batchUnscoped, globalPem));

      const keys = await call(api('get-public-key', query));
      assert.equal(keys.signed['key_id'], productKeyId);
      assert.equal(keys.envelope.private_key_used, 'product');
      assert.ok(verifiesWith(keys, productPem));
    });
  });

  describe('an optional nonce, echoed inside the signed response', () => {
    it('echoes a nonce sent in a form body, a JSON body or the query string, after the fields and before timestamp', async () => {
      const nonce = 'n0nce-AZaz09_~!.';
      const answers = [
        await call(api('send-telemetry-data'), form(report(server.seed.keys.scopedToB, { nonce }))),
        await call(api('send-telemetry-data'), JSON.stringify({ ...report(server.seed.keys.full), nonce }), JSON_TYPE),
        await call(api('send-telemetry-data', { nonce }), form(report(server.seed.keys.full))),
      ];
      for (const answer of answers) {
        assert.equal(answer.signed['code'], 830);
        assert.deepEqual(Object.keys(answer.signed), ['code', 'message', 'errors', 'nonce', 'timestamp']);
        assert.equal(answer.signed['nonce'], nonce);
        assert.deepEqual(answer.envelope.response, answer.signed, 'the plain copy says the same');
      }
      assert.ok(verifiesWith(answers[0]!, productPem));
      assert.ok(verifiesWith(answers[1]!, globalPem));
      assert.ok(verifiesWith(answers[2]!, globalPem));
    });

    it('echoes it on every endpoint: batch, get-telemetry-data, get-public-key, and refusals after the fields were read', async () => {
      const nonce = 'every-endpoint';
      const items = JSON.stringify([{ ...report(''), api_key: undefined }]);
      const answers = [
        await call(api('send-telemetry-data-batch', { nonce, api_key: server.seed.keys.full }), items, JSON_TYPE),
        await call(api('get-telemetry-data', { nonce, api_key: server.seed.keys.full, data_group: 'binding', limit: '1' })),
        await call(api('get-telemetry', { nonce, api_key: server.seed.keys.full, limit: 'abc' })),
        await call(api('get-public-key', { nonce })),
        await call(api('send-telemetry-data'), form(report('no-such-key', { nonce }))),
      ];
      assert.deepEqual(answers.map((a) => a.signed['code']), [840, 970, 972, 990, 100]);
      for (const answer of answers) {
        const keys = Object.keys(answer.signed);
        assert.deepEqual(keys.slice(-2), ['nonce', 'timestamp']);
        assert.equal(answer.signed['nonce'], nonce);
        assert.ok(verifiesWith(answer, globalPem));
      }
    });

    it('answers without a nonce exactly as before: no nonce field in the signed bytes', async () => {
      const answer = await call(api('send-telemetry-data'), form(report(server.seed.keys.full)));
      assert.deepEqual(Object.keys(answer.signed), ['code', 'message', 'errors', 'timestamp']);
      assert.match(answer.bytes, /^\{"code":830,"message":"Correct format data saved","errors":\[\],"timestamp":\d+\}$/);
      const empty = await call(api('send-telemetry-data'), form(report(server.seed.keys.full, { nonce: '' })));
      assert.deepEqual(Object.keys(empty.signed), ['code', 'message', 'errors', 'timestamp'], 'an empty nonce counts as none');
    });

    it('gives two identical reports in the same second different signed bytes when their nonces differ', async () => {
      const first = await call(api('send-telemetry-data'), form(report(server.seed.keys.full, { nonce: 'request-one' })));
      const second = await call(api('send-telemetry-data'), form(report(server.seed.keys.full, { nonce: 'request-two' })));
      assert.equal(first.signed['code'], 830);
      assert.equal(second.signed['code'], 830);
      assert.notEqual(first.envelope.response_base64, second.envelope.response_base64);
      assert.notEqual(first.envelope.signature, second.envelope.signature);
      assert.equal(first.signed['nonce'], 'request-one');
      assert.equal(second.signed['nonce'], 'request-two');
    });

    it('never stores the nonce: not as a field, not in metadata (single reports and batch items)', async () => {
      await call(api('send-telemetry-data'), JSON.stringify({ ...report(server.seed.keys.full), data_group: 'nonce-kept', hwid: 'H-1', nonce: 'not-metadata' }), JSON_TYPE);
      const items = JSON.stringify([{ ...report(''), api_key: undefined, data_group: 'nonce-kept', nonce: 'item-nonce' }]);
      await call(api('send-telemetry-data-batch', { api_key: server.seed.keys.full, nonce: 'batch-nonce' }), items, JSON_TYPE);
      const stored = await storedInGroup('nonce-kept');
      assert.equal(stored.length, 2);
      assert.deepEqual({ ...stored[0]!.metadata }, { hwid: 'H-1' });
      assert.deepEqual({ ...stored[1]!.metadata }, {});
      const text = JSON.stringify(stored);
      for (const nonce of ['not-metadata', 'item-nonce', 'batch-nonce']) assert.ok(!text.includes(nonce), nonce);
    });

    it('refuses a nonce that cannot come back unchanged: 400 with errors.nonce, signed, nothing stored', async () => {
      const format = 'The nonce field must be 1 to 128 printable ASCII characters, without spaces.';
      const cases: Array<[string, string, string]> = [
        ['too long', form(report(server.seed.keys.full, { data_group: 'bad-nonce', nonce: 'x'.repeat(129) })), FORM],
        ['a space', form(report(server.seed.keys.full, { data_group: 'bad-nonce', nonce: 'two words' })), FORM],
        ['not ASCII', form(report(server.seed.keys.full, { data_group: 'bad-nonce', nonce: 'café' })), FORM],
        ['an array', `${form(report(server.seed.keys.full, { data_group: 'bad-nonce' }))}&nonce[]=a`, FORM],
        ['a JSON number', JSON.stringify({ ...report(server.seed.keys.full, { data_group: 'bad-nonce' }), nonce: 12345 }), JSON_TYPE],
      ];
      for (const [what, body, type] of cases) {
        const answer = await call(api('send-telemetry-data'), body, type);
        assert.equal(answer.status, 400, what);
        assert.equal(answer.signed['code'], 400, what);
        const expected = what === 'an array' || what === 'a JSON number' ? 'The nonce field must be a string.' : format;
        assert.deepEqual(answer.signed['errors'], { nonce: [expected] }, what);
        assert.ok(!('nonce' in answer.signed), what);
        assert.equal(answer.envelope.private_key_used, 'global');
        assert.ok(verifiesWith(answer, globalPem), what);
      }
      assert.equal((await storedInGroup('bad-nonce')).length, 0, 'nothing stored');
      const longest = await call(api('send-telemetry-data'), form(report(server.seed.keys.full, { nonce: 'y'.repeat(128) })));
      assert.equal(longest.signed['nonce'], 'y'.repeat(128), '128 characters are fine');

      const read = await call(api('get-telemetry-data', { api_key: server.seed.keys.full, nonce: 'x'.repeat(129) }));
      assert.equal(read.status, 400);
      assert.deepEqual(read.signed['errors'], { nonce: [format] });
      const batch = await call(api('send-telemetry-data-batch', { api_key: server.seed.keys.full, nonce: 'x y' }), JSON.stringify([report('')]), JSON_TYPE);
      assert.equal(batch.status, 400);
      assert.deepEqual(batch.signed['errors'], { nonce: [format] });
      const noKey = await call(api('send-telemetry-data'), form(report('no-such-key', { nonce: 'x y' })));
      assert.equal(noKey.signed['code'], 100, 'without a usable key the key is refused first, as before');
    });
  });
});
