import multipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { trustedProxyList, type Config } from './config/config.js';
import { adminApi } from './http/plugins/admin/auth.js';
import { observeRequests } from './http/plugins/observe-requests.js';
import { requestId } from './http/plugins/request-id.js';
import { registerErrorAnswers } from './http/plugins/error-reply.js';
import { registerRateLimit } from './http/plugins/api/rate-limit/rate-limit.js';
import { adminRoutes } from './http/routes/admin/admin-routes.js';
import { dashboardRoutes } from './http/routes/dashboard.js';
import { getPublicKeyRoute } from './http/routes/api/get-public-key.js';
import { getTelemetryRoute } from './http/routes/api/get-telemetry.js';
import { healthRoutes } from './http/routes/health.js';
import { metricsRoute } from './http/routes/metrics.js';
import { openApiRoute } from './http/routes/openapi.js';
import { sendTelemetryRoute } from './http/routes/api/send-telemetry.js';
import { sendTelemetryBatchRoute } from './http/routes/api/send-telemetry-batch.js';
import { registerAnswerCodes, SignedReplies } from './http/plugins/api/signed-reply.js';
import { apiRoutes } from './http/plugins/api/api-routes.js';
import { isApiRequest } from './http/plugins/api/api-request.js';
import { registerClosing } from './http/plugins/closing.js';
import { registerAnswerHooks } from './http/plugins/answer-hooks.js';
import { SessionStore } from './http/plugins/admin/sessions.js';
import { AdminAuthThrottle } from './http/plugins/admin/auth-throttle.js';
import { AccountLoginThrottle } from './http/plugins/admin/login-throttle.js';
import { registerFormBody } from './http/body/form-body.js';
import { logSerializers } from './http/plugins/log-serializers.js';
import type { AppDeps } from './http/app-deps.js';
import { connectionOptions } from './http/connection-options.js';
import { lazyRequestLogger } from './http/plugins/request-logger.js';

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
  const connections = connectionOptions(deps.config);
  const app = Fastify({
    ...connections,
    // pino, JSON lines. The serializers keep API keys and tokens out of any request that is
    // logged: method, path (no query string) and client address only (docs/security.md).
    logger: deps.config.logLevel === 'silent' ? false : { level: deps.config.logLevel, serializers: logSerializers, stream: deps.logStream },
    genReqId: requestId,
    // A request's pino child is made only when it logs (request-logger.ts).
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: deps.config.bodyLimit,
    // A query string may be as long as a body (plus 16 KiB of headers), so any stored value can be
    // a GET filter (docs/query-behaviour.md); Node's default would answer 431 past 16 KiB.
    http: { ...connections.http, maxHeaderSize: deps.config.bodyLimit + 16 * 1024 },
    // Per-request log lines would cost more than the ingest itself, so they are opt-in;
    // errors, 5xx answers and slow requests are logged either way (observe-requests.ts).
    logController: new LogController({ disableRequestLogging: !deps.config.logRequests }),
    // Requests that arrive while closing get a signed 503 from the hook below instead.
    return503OnClosing: false,
    trustProxy: trustProxyOption(deps.config),
  });
  // Connections past the cap are closed as they arrive, so a flood of idle sockets cannot starve real clients of memory.
  app.server.maxConnections = deps.config.maxConnections;
  // First: it collects every route registered after it (docs/decisions/0045-openapi.md).
  await openApiRoute(app);
  registerFormBody(app, deps.config.bodyLimit);
  await app.register(multipart);
  // Fastify reads text/plain by default; the API takes only forms, JSON and multipart (415 otherwise).
  app.removeContentTypeParser('text/plain');
  registerAnswerCodes(app);
  const replies = new SignedReplies(deps.signer);
  registerErrorAnswers(app, replies, isApiRequest, deps.config.bodyLimit);
  const isClosing = registerClosing(app, replies, isApiRequest);
  registerAnswerHooks(app, { replies, isApi: isApiRequest, isClosing });
  observeRequests(app, deps.metrics);
  healthRoutes(app, deps, isClosing);
  if (deps.metrics !== null) metricsRoute(app, deps.metrics, deps.config.metricsToken);
  const limits = registerRateLimit(app, deps.config, deps.registry, (reply, answer) => replies.refuse(reply, answer));
  deps.metrics?.watchRateLimits(limits.held);
  const keyCheck = { replies, registry: deps.registry, keyUsage: deps.keyUsage, limits, bodyLimit: deps.config.bodyLimit };
  await apiRoutes(app, keyCheck, (routes) => {
    sendTelemetryRoute(routes, deps.ingest);
    sendTelemetryBatchRoute(routes, deps.ingest, replies, { bodyLimit: deps.config.batchBodyLimit, maxReports: deps.config.batchMaxReports });
    getTelemetryRoute(routes, deps.store.telemetry, deps.blocklist, deps.config.maxAnswerBytes, deps.config.maxReportAgeDays);
    getPublicKeyRoute(routes, deps.store.secrets, deps.config.signingAlgorithm);
  });
  // Dashboard logins, in the database so every instance knows them (sessions.ts); the admin API accepts them too.
  const sessions = new SessionStore(deps.store.accounts);
  // One count of failed admin logins per IP, whether a Bearer token, a token or a password through /login.
  const throttle = new AdminAuthThrottle(deps.config);
  // And one per account name, whatever the IP (login-throttle.ts).
  const accountThrottle = new AccountLoginThrottle(deps.config);
  await adminApi(app, deps, (admin) => adminRoutes(admin, deps, sessions), { sessions, throttle });
  await dashboardRoutes(app, deps, { sessions, throttle, accountThrottle });
  return app;
}
