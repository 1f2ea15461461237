import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { verifyEnvelope } from '../../src/envelope/verify.js';
import { publicKeyPem, GLOBAL_SCOPE } from '../../src/envelope/signing-key.js';
import { apiRoutes } from '../../src/http/plugins/api/api-routes.js';
import { registerAnswerCodes, SignedReplies } from '../../src/http/plugins/api/signed-reply.js';
import { registerAnswerHooks } from '../../src/http/plugins/answer-hooks.js';
import { createAppDeps } from '../../src/runtime.js';
import type { AppDeps } from '../../src/http/app-deps.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';

let dataDir: string;
let store: Store;
let app: FastifyInstance;
let pem: string;
let signer: AppDeps['signer'];
const logged: string[] = [];

/**
 * Routes that try to answer under /api/ without the signed reply: registered on the app as
 * anyone could (after buildApp), and in an API scope of their own with a handler that returns
 * something that is not a Reply.
 */
before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-signed-'));
  const config = loadConfig({ dataDir, databaseUrl: null, logLevel: 'error', rateLimitPerIp: 0, rateLimitPerKey: 0 }, {});
  store = await openStore(config);
  const deps = await createAppDeps(config, store);
  signer = deps.signer;
  app = await buildApp({ ...deps, logStream: { write: (line) => void logged.push(line) } });
  app.get('/api/v1/plain-object', async () => ({ hello: 'world' }));
  app.get('/api/v1/plain-text', async (_request, reply) => reply.type('text/plain').send('not signed'));
  const keyCheck = { replies: new SignedReplies(deps.signer), registry: deps.registry, keyUsage: deps.keyUsage, limits: { beforeAuth: async () => false, authFailed: async () => false, keyAccepted: async () => false }, bodyLimit: config.bodyLimit };
  await apiRoutes(app, keyCheck, (routes) => {
    routes.add({ methods: ['GET'], paths: ['/api/v1/not-a-reply'], fields: 'query', capability: null, docs: {}, handler: async () => ({ code: 12345 }) as never });
  });
  await app.ready();
  pem = (await publicKeyPem(store.secrets, GLOBAL_SCOPE)) ?? '';
});

after(async () => {
  await app.close();
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('no answer under /api/ leaves unsigned', () => {
  for (const url of ['/api/v1/plain-object', '/api/v1/plain-text', '/api/v1/not-a-reply']) {
    it(`answers a route that bypasses the signed reply (${url}) with a signed 500, and logs it`, async () => {
      logged.length = 0;
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 500);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      const verified = verifyEnvelope(res.body, pem);
      assert.ok(verified.valid, 'the answer is a signed envelope');
      assert.deepEqual(verified.response, JSON.parse(res.body).response);
      assert.equal((verified.response as { code: number }).code, 500);
      assert.doesNotMatch(res.body, /hello|not signed/);
      assert.ok(logged.some((line) => line.includes(url)), 'the bypass is logged with the path');
    });
  }

  it('counts an answer as unsigned in a scope made before the answer-code decorator (fails closed)', async () => {
    // Fastify copies reply decorators into a scope when the scope is made: this one has no answerCode.
    const early = Fastify({ logger: false });
    await early.register(async (scope) => {
      scope.get('/api/v1/early', async (_request, reply) => reply.type('text/plain').send('not signed'));
    });
    registerAnswerCodes(early);
    registerAnswerHooks(early, { replies: new SignedReplies(signer), isApi: (request) => request.url.startsWith('/api/'), isClosing: () => false });
    try {
      const res = await early.inject({ method: 'GET', url: '/api/v1/early' });
      assert.equal(res.statusCode, 500);
      assert.ok(verifyEnvelope(res.body, pem).valid, 'the replacement is a signed envelope');
      assert.doesNotMatch(res.body, /not signed/);
    } finally {
      await early.close();
    }
  });

  it('leaves answers outside /api/ alone', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(JSON.parse(res.body), { status: 'ok' });
  });
});
