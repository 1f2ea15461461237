import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Metrics } from '../../observability/metrics.js';
import { answerCodeOf } from './api/signed-reply.js';
import type { LoggedRequest } from './log-serializers.js';
import { apiPaths } from './api/api-paths.js';

const SLOW_MS = 1000;
/** The single-report ingest routes, each name under each prefix, whose time is the ingest histogram. */
export const INGEST_ROUTES: ReadonlySet<string> = new Set(apiPaths('send-telemetry-data', 'send-telemetry-date', 'send-telemetry'));

/** One answer as it is observed: the route that matched, the HTTP status, the envelope code (0: none) and how long it took. */
export interface ObservedAnswer {
  route: string;
  status: number;
  code: number;
  ms: number;
  /** Logged as `req` (the logger's serializer keeps method, path and address). */
  request: LoggedRequest;
  log: FastifyBaseLogger;
  /** The request id, for a logger that does not carry it already (Fastify's per-request logger does). */
  reqId?: string;
}

/**
 * After every answer, whichever path served it (Fastify or the ingest lane): counts it in the
 * metrics (route, HTTP status, envelope code), times ingest, and logs 5xx answers and slow
 * requests with their request id even when per-request logging is off.
 */
export function observeAnswer(metrics: Metrics | null, { route, status, code, ms, request, log, reqId }: ObservedAnswer): void {
  if (metrics !== null) {
    metrics.answered(route, status, code);
    if (INGEST_ROUTES.has(route)) metrics.ingestTook(ms / 1000);
  }
  if (status >= 500 || ms > SLOW_MS) {
    log.warn({ ...(reqId === undefined ? {} : { reqId }), req: request, status, code, ms: Math.round(ms) }, status >= 500 ? 'answered with a server error' : 'slow request');
  }
}

/** Under Fastify: echoes the request id in `X-Request-Id` on every answer, then observeAnswer. */
export function observeRequests(app: FastifyInstance, metrics: Metrics | null): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    observeAnswer(metrics, { route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, code: answerCodeOf(reply), ms: reply.elapsedTime, request, log: request.log });
  });
}
