import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GLOBAL_SCOPE, publicKeyPem } from '../../src/envelope/signing-key.js';
import { verifyEnvelope } from '../../src/envelope/verify.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * The ingest lane (src/http/ingest-lane/) against the Fastify route it stands in front of: the
 * same requests, sent over real sockets to a server with the lane and to one without it (both
 * seeded alike), get the same answers — HTTP status, the signed response but for its timestamp,
 * the envelope's fields, and the headers a client reads. Each server's own keys are put in.
 */

interface Case {
  name: string;
  path?: string;
  contentType: string;
  /** The body, with {full}, {getOnly}, {inactive}, {otherIp}, {revoked}, {productA} replaced by the server's. */
  body: string;
  headers?: Record<string, string>;
}

const REPORT = 'data_type=numeric-single-value&numeric_data_single_value=42&product_id={productA}&license_key=LIC-ACTIVE&activation_identifier=act-1&product_version=1.0.1&data_group=g';
const JSON_REPORT = '{"api_key":"{full}","data_type":"text","text_data":"hello","product_id":{productA},"license_key":"LIC-ACTIVE","product_version":"1.0.1"}';

const CASES: Case[] = [
  { name: 'a correct form report', contentType: 'application/x-www-form-urlencoded', body: `api_key={full}&${REPORT}` },
  { name: 'a form report with a charset', contentType: 'application/x-www-form-urlencoded; charset=UTF-8', body: `api_key={full}&${REPORT}` },
  { name: 'a JSON report', contentType: 'application/json', body: JSON_REPORT },
  { name: 'a JSON report with a charset', contentType: 'application/json; charset=utf-8', body: JSON_REPORT },
  { name: 'a report on an alias path', path: '/v1/send-telemetry', contentType: 'application/x-www-form-urlencoded', body: `api_key={full}&${REPORT}` },
  { name: 'fields in the query string', path: '/api/v1/send-telemetry-data?api_key={full}&data_group=from-query', contentType: 'application/x-www-form-urlencoded', body: REPORT },
  { name: 'the key as a Bearer header', contentType: 'application/x-www-form-urlencoded', body: REPORT, headers: { authorization: 'Bearer {full}' } },
  { name: 'a report with wrong facts (831)', contentType: 'application/x-www-form-urlencoded', body: 'api_key={full}&data_type=numeric-single-value&numeric_data_single_value=abc&product_id=999&license_key=NOPE' },
  { name: 'no key (100)', contentType: 'application/x-www-form-urlencoded', body: REPORT },
  { name: 'an unknown key (100)', contentType: 'application/x-www-form-urlencoded', body: `api_key=not-a-key&${REPORT}` },
  { name: 'a revoked key (100)', contentType: 'application/x-www-form-urlencoded', body: `api_key={revoked}&${REPORT}` },
  { name: 'an inactive key (101)', contentType: 'application/x-www-form-urlencoded', body: `api_key={inactive}&${REPORT}` },
  { name: 'a key without send_telemetry (102)', contentType: 'application/x-www-form-urlencoded', body: `api_key={getOnly}&${REPORT}` },
  { name: 'a key for other addresses (103)', contentType: 'application/x-www-form-urlencoded', body: `api_key={otherIp}&${REPORT}` },
  { name: 'a usable nonce, echoed', contentType: 'application/x-www-form-urlencoded', body: `api_key={full}&nonce=abc-123&${REPORT}` },
  { name: 'an unusable nonce (400)', contentType: 'application/x-www-form-urlencoded', body: `api_key={full}&nonce=has%20space&${REPORT}` },
  { name: 'a refusal echoes the nonce', contentType: 'application/x-www-form-urlencoded', body: `api_key=wrong&nonce=n-1&${REPORT}` },
  { name: 'a malformed percent-escape (400, closes)', contentType: 'application/x-www-form-urlencoded', body: `api_key={full}&data_group=%zz` },
  { name: 'too many form fields (400)', contentType: 'application/x-www-form-urlencoded', body: Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&') },
  { name: 'invalid JSON (400, closes)', contentType: 'application/json', body: '{"api_key": ' },
  { name: 'an empty JSON body (400, closes)', contentType: 'application/json', body: '' },
  { name: 'a JSON array (400)', contentType: 'application/json', body: '[1,2]' },
  { name: 'a JSON __proto__ key (400, closes)', contentType: 'application/json', body: '{"__proto__":{"x":1},"api_key":"{full}"}' },
  { name: 'JSON nested too deeply (400)', contentType: 'application/json', body: `{"api_key":"{full}","m":${'['.repeat(40)}${']'.repeat(40)}}` },
  { name: 'a published SDK agent (its signature scheme)', contentType: 'application/json', body: JSON_REPORT, headers: { 'user-agent': 'GetKeyManager-PHP-SDK/1.0' } },
  // Not the lane's: Fastify serves both servers' answers, which must still agree.
  { name: 'a text/plain body (415)', contentType: 'text/plain', body: 'hello' },
  { name: 'an uppercase content type', contentType: 'APPLICATION/X-WWW-FORM-URLENCODED', body: `api_key={full}&${REPORT}` },
];

/** What a client sees of an answer, with what differs between two servers by construction left out. */
interface Seen {
  status: number;
  response: Record<string, unknown>;
  envelopeFields: string[];
  contentType: string | null;
  connection: string | null;
  keyIdSent: boolean;
  requestIdSent: boolean;
  verifies: boolean;
}

function filled(text: string, server: TestServer): string {
  const { keys, productA } = server.seed;
  return text
    .replaceAll('{full}', keys.full).replaceAll('{getOnly}', keys.getOnly).replaceAll('{inactive}', keys.inactive)
    .replaceAll('{otherIp}', keys.otherIp).replaceAll('{revoked}', keys.revoked).replaceAll('{productA}', String(productA));
}

async function send(server: TestServer, pem: string, c: Case): Promise<Seen> {
  const headers: Record<string, string> = { 'content-type': c.contentType };
  for (const [name, value] of Object.entries(c.headers ?? {})) headers[name] = filled(value, server);
  const res = await fetch(server.url + filled(c.path ?? '/api/v1/send-telemetry-data', server), { method: 'POST', headers, body: filled(c.body, server) });
  const text = await res.text();
  const envelope = JSON.parse(text) as { response: Record<string, unknown> } & Record<string, unknown>;
  // The timestamp is the second it was signed in: the one part two servers' answers may differ by.
  const response = Object.fromEntries(Object.entries(envelope.response).filter(([name]) => name !== 'timestamp'));
  return {
    status: res.status,
    response,
    envelopeFields: Object.keys(envelope).sort(),
    contentType: res.headers.get('content-type'),
    connection: res.headers.get('connection'),
    keyIdSent: res.headers.has('x-tally-key-id'),
    requestIdSent: res.headers.has('x-request-id'),
    verifies: verifyEnvelope(text, pem).valid,
  };
}

async function laneAnswers(server: TestServer): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('tally_ingest_lane_answers_total '));
  return Number(line?.split(' ')[1] ?? NaN);
}

describe('the ingest lane answers as the Fastify route does', () => {
  let lane: TestServer;
  let framework: TestServer;
  const pems = new Map<TestServer, string>();

  before(async () => {
    lane = await startTestServer();
    framework = await startTestServer({ ingestLane: false });
    for (const server of [lane, framework]) pems.set(server, (await publicKeyPem(server.store.secrets, GLOBAL_SCOPE)) ?? '');
  });
  after(async () => {
    await lane.close();
    await framework.close();
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const [viaLane, viaFramework] = [await send(lane, pems.get(lane) ?? '', c), await send(framework, pems.get(framework) ?? '', c)];
      assert.deepEqual(viaLane, viaFramework);
      assert.equal(viaLane.verifies, true, 'the answer is signed');
    });
  }

  it('served the lane-shaped requests on the lane, and nothing on the server without it', async () => {
    // The cases above Fastify's two (text/plain, an uppercase type), each sent once.
    assert.equal(await laneAnswers(lane), CASES.length - 2);
    assert.equal(await laneAnswers(framework), 0);
  });

  it('stores what it acknowledged, as the route does', async () => {
    const [onLane, onFramework] = [await lane.store.telemetry.count(), await framework.store.telemetry.count()];
    assert.ok(onLane > 0);
    assert.equal(onLane, onFramework);
  });
});
