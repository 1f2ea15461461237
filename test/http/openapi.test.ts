import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CODES } from '../../src/model/codes.js';
import { getPublicKeyDocs, getTelemetryDocs, sendTelemetryBatchDocs, sendTelemetryDocs } from '../../src/http/schemas/api-operations.js';
import { REPO_ROOT } from '../repo-root.js';
import { routesOf } from './admin-route-list.js';
import { form, post, startTestServer, type TestServer } from './test-server.js';

/**
 * `GET /openapi.json` (docs/decisions/0045-openapi.md): an OpenAPI 3.1 document whose routes are
 * exactly the routes Fastify registered, so that it cannot drift from the code, and whose
 * `/api/v1` answers are the signed envelopes the endpoints really send.
 */

/** Where the document shares a component between operations. */
interface Ref {
  $ref: string;
}
interface Operation {
  responses?: Record<string, { description?: unknown; content?: unknown } | Ref>;
  parameters?: ({ in: string; name: string } | Ref)[];
  requestBody?: { content: Record<string, unknown> } | Ref;
  security?: Record<string, unknown>[];
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown>; schemas?: Record<string, unknown> };
}

let server: TestServer;
let document: Document;
let status: number;

before(async () => {
  server = await startTestServer();
  const res = await fetch(`${server.url}/openapi.json`);
  status = res.status;
  document = (await res.json()) as Document;
});
after(() => server.close());

/**
 * The dashboard's built files (dist/web), which @fastify/static registers as one hidden GET
 * route each, `/` for index.html: they are files, not endpoints, and the document leaves them out.
 */
function dashboardFiles(): Set<string> {
  const files = fs.readdirSync(path.join(REPO_ROOT, 'dist', 'web'), { recursive: true, encoding: 'utf8' });
  return new Set(['GET /', ...files.map((file) => `GET /${file.split(path.sep).join('/')}`)]);
}

/** Every `METHOD /path` the document describes, with OpenAPI's `{id}` written as Fastify's `:id`. */
function describedRoutes(doc: Document): string[] {
  return Object.entries(doc.paths)
    .flatMap(([url, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${url.replace(/\{(\w+)\}/g, ':$1')}`))
    .sort();
}

function operations(doc: Document): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([url, item]) => Object.entries(item).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${url}`, op]));
}

/** Every `$ref` in a value, wherever it is nested. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner)));
}

/** What a local `$ref` points at, or undefined when it points at nothing. */
function target(doc: Document, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let at: unknown = doc;
  for (const part of ref.slice(2).split('/').map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))) {
    if (typeof at !== 'object' || at === null || !(part in at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** A value, or what it refers to when it is a `$ref` (shared components, src/http/openapi/shared-components.ts). */
function deref<T extends object>(value: T | Ref): T {
  if (!('$ref' in value)) return value;
  return target(document, value.$ref) as T;
}

/** The schema a documentation-only description gives an answer status. */
function answerSchema(docs: { response?: unknown }, httpStatus: number): TSchema {
  const schema = (docs.response as Record<number, TSchema>)[httpStatus];
  assert.ok(schema, `no ${httpStatus} answer described`);
  return schema;
}

function assertDescribes(schema: TSchema, answer: unknown): void {
  const errors = [...Value.Errors(schema, answer)].map((e) => `${e.path}: ${e.message}`);
  assert.deepEqual(errors, [], JSON.stringify(answer));
}

async function envelopeOf(res: Response): Promise<{ response: { code: number } } & Record<string, unknown>> {
  return (await res.json()) as { response: { code: number } } & Record<string, unknown>;
}

describe('GET /openapi.json', () => {
  it('answers an OpenAPI 3.1 document without any credentials', () => {
    assert.equal(status, 200);
    assert.match(document.openapi, /^3\.1\./);
  });

  it('describes every route Fastify registered and no route that does not exist (HEAD and the dashboard\'s static files aside)', () => {
    const files = dashboardFiles();
    const registered = routesOf(server.printedRoutes).filter((route) => !files.has(route));
    const described = describedRoutes(document);
    assert.deepEqual(registered.filter((route) => !described.includes(route)), [], 'registered but not described');
    assert.deepEqual(described.filter((route) => !registered.includes(route)), [], 'described but not registered');
    assert.ok(described.includes('POST /api/v1/send-telemetry-data') && described.includes('GET /admin/api/records'));
  });

  it('gives every operation described answers and declares every path parameter', () => {
    for (const [route, op] of operations(document)) {
      const answers = Object.entries(op.responses ?? {});
      assert.ok(answers.length > 0, `${route} has no answers`);
      for (const [code, answer] of answers) {
        const { description } = deref(answer);
        assert.ok(typeof description === 'string' && description !== '' && description !== 'Default Response', `${route} ${code}`);
      }
      const declared = (op.parameters ?? []).map(deref).filter((p) => p.in === 'path').map((p) => p.name).sort();
      const inPath = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(declared, inPath, route);
    }
  });

  it('resolves every $ref and names only declared security schemes', () => {
    for (const ref of refsIn(document)) assert.notEqual(target(document, ref), undefined, ref);
    const schemes = Object.keys(document.components.securitySchemes);
    for (const [route, op] of operations(document)) {
      for (const requirement of op.security ?? []) for (const name of Object.keys(requirement)) assert.ok(schemes.includes(name), `${route}: ${name}`);
    }
  });

  it('puts every admin operation behind the admin token or a dashboard session', () => {
    const admin = operations(document).filter(([route]) => route.includes(' /admin/api/'));
    assert.ok(admin.length > 30);
    for (const [route, op] of admin) assert.deepEqual(op.security, [{ adminBearer: [] }, { sessionCookie: [] }], route);
  });
});

describe('the /api/v1 family in the description', () => {
  it('takes a report as a form, JSON or multipart and answers the signed envelope with the codes of the code table', () => {
    const op = document.paths['/api/v1/send-telemetry-data']?.post;
    assert.ok(op);
    assert.ok(op.requestBody);
    assert.deepEqual(Object.keys(deref(op.requestBody).content).sort(), ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    const text = JSON.stringify(Object.values(op.responses ?? {}).map(deref));
    for (const code of [830, 831, 832, 100, 101, 102, 103, 104, 150, 400, 413, 415, 500, 503] as const) {
      assert.ok(text.includes(`${code} (${CODES[code].message})`), `code ${code}`);
    }
    assert.deepEqual(Object.keys(op.responses ?? {}).sort(), ['200', '400', '401', '403', '413', '415', '429', '500', '503']);
    for (const key of ['response', 'response_base64', 'private_key_used', 'signature']) assert.ok(text.includes(`"${key}"`), key);
  });

  it('describes the SDK paths under /v1/ and the published aliases like the endpoints they are', () => {
    assert.deepEqual(document.paths['/v1/send-telemetry']?.post?.responses, document.paths['/api/v1/send-telemetry-data']?.post?.responses);
    assert.ok(document.paths['/api/v1/get-telemetry']?.get);
    assert.ok(document.paths['/v1/send-telemetry-data-batch']?.post);
  });

  it('sends a GET its fields in the query string and gives only the POST a body', () => {
    const item = document.paths['/api/v1/get-telemetry-data'];
    assert.equal(item?.get?.requestBody, undefined);
    assert.ok(item?.post?.requestBody);
    assert.ok(item?.get?.parameters?.map(deref).some((p) => p.in === 'query' && p.name === 'limit'));
  });
});

describe('the /api/v1 description matches what the endpoints send, and validates nothing', () => {
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${server.seed.keys.full}` });

  it('stores a report that breaks every described rule and answers the signed 831, not a Fastify validation error', async () => {
    // Wrong types, a value past its described maxLength, a list for a text: bad input is data (CONTRACT §3).
    const body = JSON.stringify({ product_id: { not: 'a number' }, data_type: 42, user_identifier: 'x'.repeat(300), license_key: ['a', 'b'], data_group: 'g' });
    const stored = await server.store.telemetry.count();
    const res = await fetch(`${server.url}/api/v1/send-telemetry-data`, { method: 'POST', body, headers: { ...auth(), 'content-type': 'application/json' } });
    const envelope = await envelopeOf(res);
    assert.equal(res.status, 200);
    assert.equal(envelope.response.code, 831);
    assert.equal(envelope['statusCode'], undefined);
    assert.equal(await server.store.telemetry.count(), stored + 1);
    assertDescribes(answerSchema(sendTelemetryDocs, 200), envelope);
  });

  it('answers broken JSON with the signed 400 it describes', async () => {
    const answer = await post(`${server.url}/api/v1/send-telemetry-data`, '{"data_group": ', 'application/json', auth());
    assert.equal(answer.status, 400);
    assertDescribes(answerSchema(sendTelemetryDocs, 400), JSON.parse(answer.text));
  });

  it('answers a correct report with the 830 it describes, and a missing key with the 401 it describes', async () => {
    const fields = { product_id: String(server.seed.productA), user_identifier: 'u', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 't', data_group: 'g', nonce: 'n-1' };
    const answer = await post(`${server.url}/v1/send-telemetry`, form(fields), 'application/x-www-form-urlencoded', auth());
    assert.equal(answer.response.code, 830);
    assertDescribes(answerSchema(sendTelemetryDocs, 200), JSON.parse(answer.text));
    const refused = await post(`${server.url}/api/v1/send-telemetry-data`, form(fields), 'application/x-www-form-urlencoded');
    assert.equal(refused.status, 401);
    assertDescribes(answerSchema(sendTelemetryDocs, 401), JSON.parse(refused.text));
  });

  it('answers a batch that is not a list with the signed 400, and a good batch with the 840 it describes', async () => {
    const url = `${server.url}/api/v1/send-telemetry-data-batch`;
    const refused = await post(url, '{"data_group": "g"}', 'application/json', auth());
    assert.equal(refused.status, 400);
    assertDescribes(answerSchema(sendTelemetryBatchDocs, 400), JSON.parse(refused.text));
    const answer = await post(url, JSON.stringify([{ data_group: 'g' }, 'not an object']), 'application/json', auth());
    assert.equal(answer.response.code, 840);
    assertDescribes(answerSchema(sendTelemetryBatchDocs, 200), JSON.parse(answer.text));
  });

  it('answers a query with the 970 or 972 it describes, and the public key with the 990 it describes', async () => {
    const found = await fetch(`${server.url}/api/v1/get-telemetry-data?limit=2`, { headers: auth() });
    assert.equal((await envelopeOf(found.clone())).response.code, 970);
    assertDescribes(answerSchema(getTelemetryDocs, 200), await found.json());
    const malformed = await fetch(`${server.url}/api/v1/get-telemetry-data?limit=abc`, { headers: auth() });
    assert.equal((await envelopeOf(malformed.clone())).response.code, 972);
    assertDescribes(answerSchema(getTelemetryDocs, 200), await malformed.json());
    const key = await fetch(`${server.url}/api/v1/get-public-key`);
    assertDescribes(answerSchema(getPublicKeyDocs, 200), await key.json());
  });
});
