import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { trustedProxyList, type Config } from './config/config.js';
import { CODES } from './model/codes.js';
import { adminApi } from './http/plugins/admin-auth.js';
import { observeRequests } from './http/plugins/observe-requests.js';
import { requestId } from './http/plugins/request-id.js';
import { replyForError } from './http/plugins/error-reply.js';
import { registerRateLimit } from './http/plugins/rate-limit/rate-limit.js';
import { adminBlocklistRoute } from './http/routes/admin/blocklist.js';
import { adminExportRoute } from './http/routes/admin/export.js';
import { adminOverviewRoute } from './http/routes/admin/overview.js';
import { adminPiracyRoute } from './http/routes/admin/piracy.js';
import { adminRecordsRoute } from './http/routes/admin/records.js';
import { adminRegistryRoutes } from './http/routes/admin/registry.js';
import { adminSessionRoutes } from './http/routes/admin/session.js';
import { adminSummaryRoute } from './http/routes/admin/summary.js';
import { dashboardRoutes } from './http/routes/dashboard.js';
import { getPublicKeyRoute } from './http/routes/api/get-public-key.js';
import { getTelemetryRoute } from './http/routes/api/get-telemetry.js';
import { healthRoutes } from './http/routes/health.js';
import { metricsRoute } from './http/routes/metrics.js';
import { sendTelemetryRoute } from './http/routes/api/send-telemetry.js';
import { sendTelemetryBatchRoute } from './http/routes/api/send-telemetry-batch.js';
import { sendEnvelope } from './http/plugins/signed-reply.js';
import { SessionStore } from './http/plugins/sessions.js';
import { parseUrlEncoded } from './http/body/urlencoded.js';
import { logSerializers } from './http/plugins/log-serializers.js';
import { adminApiKeysRoutes } from './http/routes/admin/api-keys.js';
import type { AppDeps } from './http/app-deps.js';

/**
 * X-Forwarded-For counts only when the TCP peer is a configured proxy; Fastify then takes the
 * right-most address that is not a trusted proxy. No proxies configured: the peer is the client.
 */
function trustProxyOption(config: Config): string[] | false {
  const proxies = trustedProxyList(config.trustedProxies);
  return proxies.length === 0 ? false : proxies;
}

/** Wires plugins and routes; never listens (server.ts does, tests use inject or listen on port 0). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino, JSON lines. The serializers keep API keys and tokens out of any request that is
    // logged: method, path (no query string) and client address only (docs/security.md).
    logger: deps.config.logLevel === 'silent' ? false : { level: deps.config.logLevel, serializers: logSerializers, stream: deps.logStream },
    genReqId: requestId,
    bodyLimit: deps.config.bodyLimit,
    // Per-request log lines would cost more than the ingest itself, so they are opt-in;
    // errors, 5xx answers and slow requests are logged either way (observe-requests.ts).
    logController: new LogController({ disableRequestLogging: !deps.config.logRequests }),
    // Requests that arrive while closing get a signed 503 from the hook below instead.
    return503OnClosing: false,
    trustProxy: trustProxyOption(deps.config),
  });
  await app.register(formbody, { parser: parseUrlEncoded, bodyLimit: deps.config.bodyLimit });
  await app.register(multipart);
  // Fastify reads text/plain by default; the API takes only forms, JSON and multipart (415 otherwise).
  app.removeContentTypeParser('text/plain');
  const isApi = (url: string): boolean => url.startsWith('/api/');

  app.setErrorHandler(async (error, request, reply) => {
    const answer = replyForError(error, deps.config.bodyLimit);
    if (answer.code === 500) request.log.error({ err: error, reqId: request.id, req: request }, 'unexpected error');
    if (isApi(request.url)) return sendEnvelope(reply, deps.signer, answer);
    return reply.code(CODES[answer.code].status).send({ error: CODES[answer.code].message, ...answer.fields });
  });
  app.setNotFoundHandler(async (request, reply) => {
    if (isApi(request.url)) return sendEnvelope(reply, deps.signer, { code: 404 });
    return reply.code(404).send({ error: 'Not found' });
  });
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (closing && isApi(request.url)) return sendEnvelope(reply, deps.signer, { code: 503, headers: { 'retry-after': '1' } });
    return undefined;
  });
  observeRequests(app, deps.metrics);
  healthRoutes(app, deps, () => closing);
  if (deps.metrics !== null) metricsRoute(app, deps.metrics);
  const limitBodyKey = registerRateLimit(app, deps.config, deps.signer);
  // While closing, every answer closes its connection, so keep-alive clients cannot hold the drain open.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  sendTelemetryRoute(app, deps, limitBodyKey);
  await sendTelemetryBatchRoute(app, deps);
  getTelemetryRoute(app, deps, limitBodyKey);
  getPublicKeyRoute(app, deps);
  // Dashboard logins of this process (src/http/sessions.ts); the admin API accepts them too.
  const sessions = new SessionStore();
  await adminApi(app, deps, (admin) => {
    adminSummaryRoute(admin, deps);
    adminExportRoute(admin, deps);
    adminApiKeysRoutes(admin, deps);
    adminBlocklistRoute(admin, deps);
    adminSessionRoutes(admin, sessions);
    adminOverviewRoute(admin, deps);
    adminRecordsRoute(admin, deps);
    adminPiracyRoute(admin, deps);
    adminRegistryRoutes(admin, deps);
  }, sessions);
  await dashboardRoutes(app, deps, sessions);
  return app;
}
