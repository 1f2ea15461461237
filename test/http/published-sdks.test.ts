import assert from 'node:assert/strict';
import { NO_AUDIT } from '../audit-helpers.js';
import { after, before, describe, it } from 'node:test';
import { GLOBAL_SCOPE, publicKeyPem } from '../../src/envelope/signing-key.js';
import { verifyEnvelope } from '../../src/envelope/verify.js';
import { createApiKey } from '../../src/registry/api-keys.js';
import { JS_SDK_AGENT, jsSdkVerifies, PHP_AVAILABLE, PHP_REQUIRED, PHP_SDK_AGENT, phpSdkVerifies, sdkRequest } from './sdk-clients.js';
import { startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
let pem: string;

before(async () => {
  // RSA-4096, the platform's algorithm: the PHP SDK warns (Laravel throws) below it.
  server = await startTestServer({ signingAlgorithm: 'rsa-4096' });
  pem = (await publicKeyPem(server.store.secrets, GLOBAL_SCOPE)) ?? '';
});
after(() => server.close());

/** The report context the SDKs send with every report, as their options. */
function context(): Record<string, unknown> {
  return { license_key: 'LIC-ACTIVE', activation_identifier: 'act-1', user_identifier: 'user-7', product_id: server.seed.productA, product_version: '1.0.1' };
}

/** The three data types, with values as the SDKs send them (JSON numbers). */
const DATA: readonly Record<string, unknown>[] = [
  { data_type: 'numeric-single-value', data_group: 'startup_ms', numeric_data_single_value: 1234.5 },
  { data_type: 'numeric-xy-axis', data_group: 'memory_curve', numeric_data_x: 10, numeric_data_y: -0.00001 },
  { data_type: 'text', data_group: 'os', text_data: 'Linux 6.1 / x86_64 — “ok” 🚀 \u2028 end' },
];

/**
 * One signature covers one byte string, so an SDK's answer is not also signed the contract's way;
 * but its `response_base64` still encodes exactly its `response`, as for everyone.
 */
/** Which scheme `tally verify`'s check finds the answer signed for (it tries the contract's, then the SDKs'). */
function schemeVerified(body: string): string {
  const verified = verifyEnvelope(body, pem);
  return verified.valid ? verified.scheme : `invalid: ${verified.reason}`;
}

function assertSameResponseBytes(body: string): void {
  const envelope = JSON.parse(body) as { response: unknown; response_base64: string };
  assert.equal(Buffer.from(envelope.response_base64, 'base64').toString('utf8'), JSON.stringify(envelope.response));
}

describe('the published JS SDK, unchanged, against Tally', () => {
  it('sends every data type to POST /v1/send-telemetry: 830, stored, and the answer verifies the JS SDK way and the contract way', async () => {
    for (const data of DATA) {
      const answer = await sdkRequest(JS_SDK_AGENT, `${server.url}/v1/send-telemetry`, 'POST', server.seed.keys.full, { ...data, ...context() });
      assert.equal(answer.status, 200, answer.body);
      assert.equal(answer.envelope.response.code, 830, answer.body);
      assert.ok(jsSdkVerifies(answer.body, pem), `${String(data['data_type'])}: the JS SDK's check passes`);
      assertSameResponseBytes(answer.body);
      assert.equal(schemeVerified(answer.body), 'getkeymanager-js');
    }
  });

  it('reads telemetry back from GET /v1/get-telemetry-data with has_red_flags=false, verified the JS SDK way', async () => {
    const query = new URLSearchParams({ data_type: 'text', data_group: 'os', product_id: String(server.seed.productA), has_red_flags: 'false' });
    const answer = await sdkRequest(JS_SDK_AGENT, `${server.url}/v1/get-telemetry-data?${query}`, 'GET', server.seed.keys.full);
    assert.equal(answer.envelope.response.code, 970, answer.body);
    const data = answer.envelope.response['data'] as { text_data: string; metadata: unknown }[];
    assert.equal(data[0]?.text_data, DATA[2]?.['text_data']);
    assert.ok(jsSdkVerifies(answer.body, pem));
    assertSameResponseBytes(answer.body);
  });

  it('gets a signed envelope with a code for a path that does not exist under /v1/', async () => {
    const answer = await sdkRequest(JS_SDK_AGENT, `${server.url}/v1/activate`, 'POST', server.seed.keys.full);
    assert.equal(answer.status, 404);
    assert.equal(answer.envelope.response.code, 404);
    assert.ok(jsSdkVerifies(answer.body, pem));
  });
});

describe('the published PHP SDK (and the Laravel SDK over it), unchanged, against Tally', { skip: !PHP_AVAILABLE && !PHP_REQUIRED ? 'php is not installed (CI installs php-cli and requires these)' : false }, () => {
  it('sends every data type with hwid, country, flags and metadata to POST /api/v1/send-telemetry: 830, and real PHP verifies it without a warning', async () => {
    for (const data of DATA) {
      const extras = { hwid: 'HW-1/abc', country: 'DE', flags: ['beta', { tier: 2 }], metadata: { os: 'linux', empty: {}, list: [] } };
      const answer = await sdkRequest(PHP_SDK_AGENT, `${server.url}/api/v1/send-telemetry`, 'POST', server.seed.keys.full, { ...data, ...context(), ...extras });
      assert.equal(answer.envelope.response.code, 830, answer.body);
      assert.deepEqual(phpSdkVerifies(answer.body, pem), { valid: true, warnings: '' });
      assertSameResponseBytes(answer.body);
      // For an answer with no float or empty map PHP's bytes are JS's, so either SDK scheme may be named.
      assert.match(schemeVerified(answer.body), /^getkeymanager-/);
    }
  });

  it('keeps the extra fields in the stored record, the metadata object merged', async () => {
    const page = await server.store.telemetry.query({ productIds: [server.seed.productA], dataGroup: 'startup_ms' }, { afterId: 0, limit: 10 });
    const stored = page.find((record) => record.metadata['hwid'] !== undefined);
    assert.deepEqual(stored?.metadata, { os: 'linux', empty: {}, list: [], hwid: 'HW-1/abc', country: 'DE', flags: ['beta', { tier: 2 }] });
  });

  it('reads records back (empty maps, floats, unicode, slashes) from GET /api/v1/get-telemetry-data, and real PHP verifies the page', async () => {
    const query = new URLSearchParams({ data_type: 'numeric-xy-axis', data_group: 'memory_curve', product_id: String(server.seed.productA), has_red_flags: '0' });
    const answer = await sdkRequest(PHP_SDK_AGENT, `${server.url}/api/v1/get-telemetry-data?${query}`, 'GET', server.seed.keys.full);
    assert.equal(answer.envelope.response.code, 970, answer.body);
    assert.deepEqual(phpSdkVerifies(answer.body, pem), { valid: true, warnings: '' });
    assertSameResponseBytes(answer.body);
  });

  it('gets a signed envelope with a code for an unknown path, which PHP can read', async () => {
    const answer = await sdkRequest(PHP_SDK_AGENT, `${server.url}/api/v1/nothing-here`, 'GET', server.seed.keys.full);
    assert.equal(answer.envelope.response.code, 404);
    assert.equal(phpSdkVerifies(answer.body, pem).valid, true);
  });
});

describe('the same answer for every client', () => {
  it('signs a client that names no SDK the contract way', async () => {
    const answer = await sdkRequest('curl/8.0', `${server.url}/api/v1/send-telemetry-data`, 'POST', server.seed.keys.full, { ...DATA[0], ...context() });
    assert.equal(answer.envelope.response.code, 830);
    assert.equal(schemeVerified(answer.body), 'contract');
    assert.equal(jsSdkVerifies(answer.body, pem), false);
  });

  it('gives SDK clients the same response (and response_base64) as a contract client, only the signature differs', async () => {
    const report = { ...DATA[0], ...context(), event_id: '3f0e5d0a-7c1b-4f2e-9a4d-2b6c8e1f0a93' };
    await sdkRequest('curl/8.0', `${server.url}/api/v1/send-telemetry-data`, 'POST', server.seed.keys.full, report);
    // The same report again, from each client: both are told it is already saved.
    const contract = await sdkRequest('curl/8.0', `${server.url}/api/v1/send-telemetry-data`, 'POST', server.seed.keys.full, report);
    const js = await sdkRequest(JS_SDK_AGENT, `${server.url}/v1/send-telemetry`, 'POST', server.seed.keys.full, report);
    const strip = (envelope: SdkEnvelope): unknown => ({ ...envelope.response, timestamp: 0 });
    assert.deepEqual(strip(js.envelope), strip(contract.envelope));
    assert.equal(js.envelope.response.code, 832);
    assert.notEqual(js.envelope.signature, contract.envelope.signature);
  });
});

type SdkEnvelope = Awaited<ReturnType<typeof sdkRequest>>['envelope'];

describe('a key that pins a scheme, for clients behind a proxy that rewrites User-Agent', () => {
  it("signs a pinned key's answers the pinned way whatever the User-Agent says", async () => {
    const { secret } = await createApiKey(server.store.registry, { name: 'behind-proxy', signatureScheme: 'getkeymanager-js' }, NO_AUDIT);
    // The test server caches the registry; a key made behind its back is read on first use.
    const answer = await sdkRequest('corporate-proxy/1.0', `${server.url}/v1/send-telemetry`, 'POST', secret, { ...DATA[0], ...context() });
    assert.equal(answer.envelope.response.code, 830, answer.body);
    assert.ok(jsSdkVerifies(answer.body, pem));
    assert.deepEqual(schemeVerified(answer.body), 'getkeymanager-js');
  });
});

describe('retry_after on a 429, in the unit each client reads', () => {
  let limited: TestServer;
  let limitedPem: string;
  before(async () => {
    limited = await startTestServer({ rateLimitPerIp: 1 });
    limitedPem = (await publicKeyPem(limited.store.secrets, GLOBAL_SCOPE)) ?? '';
  });
  after(() => limited.close());

  it('says seconds to the contract and the JS SDK, milliseconds to the PHP SDK, beside Retry-After', async () => {
    const send = (agent: string): Promise<Awaited<ReturnType<typeof sdkRequest>>> =>
      sdkRequest(agent, `${limited.url}/v1/send-telemetry`, 'POST', limited.seed.keys.full, { ...DATA[0], ...context() });
    await send('curl/8.0');
    const answers = { contract: await send('curl/8.0'), js: await send(JS_SDK_AGENT), php: await send(PHP_SDK_AGENT) };
    for (const answer of Object.values(answers)) {
      assert.equal(answer.status, 429);
      assert.equal(answer.envelope.response.code, 104);
    }
    const seconds = answers.contract.envelope.retry_after ?? NaN;
    assert.ok(seconds >= 1 && seconds <= 60, `retry_after ${seconds} s`);
    assert.ok(Math.abs((answers.js.envelope.retry_after ?? NaN) - seconds) <= 1);
    assert.ok(Math.abs((answers.php.envelope.retry_after ?? NaN) - seconds * 1000) <= 1000);
    // The SDKs do not check a 429's signature, but it is signed their way all the same.
    assert.ok(jsSdkVerifies(answers.js.body, limitedPem));
  });
});

describe('tally verify on answers the SDKs saved', () => {
  it("finds a page signed PHP's way (floats, empty maps) valid and names the scheme, and an edited one invalid", async () => {
    const query = new URLSearchParams({ data_type: 'numeric-xy-axis', data_group: 'memory_curve', product_id: String(server.seed.productA) });
    const answer = await sdkRequest(PHP_SDK_AGENT, `${server.url}/api/v1/get-telemetry-data?${query}`, 'GET', server.seed.keys.full);
    assert.equal(schemeVerified(answer.body), 'getkeymanager-php');
    assert.match(schemeVerified(answer.body.replace('memory_curve', 'memory_curvX')), /^invalid/);
  });
});
