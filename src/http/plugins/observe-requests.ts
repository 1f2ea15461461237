import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../observability/metrics.js';
import { answerCodeOf } from './api/signed-reply.js';
import { apiPaths } from './api/api-paths.js';

const SLOW_MS = 1000;
/** The single-report ingest routes, each name under each prefix, whose time is the ingest histogram. */
const INGEST_ROUTES: ReadonlySet<string> = new Set(apiPaths('send-telemetry-data', 'send-telemetry-date', 'send-telemetry'));

/**
 * After every answer: counts it in the metrics (route, HTTP status, envelope code), times
 * ingest, and logs 5xx answers and slow requests with their request id even when per-request
 * logging is off. (Its `X-Request-Id` is set on the way out, answer-hooks.ts.) The callback
 * form, as cheaper per request than an async hook.
 */
export function observeRequests(app: FastifyInstance, metrics: Metrics | null): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const code = answerCodeOf(reply);
    const ms = reply.elapsedTime;
    if (metrics !== null) {
      metrics.answered(route, reply.statusCode, code);
      if (INGEST_ROUTES.has(route)) metrics.ingestTook(ms / 1000);
    }
    if (reply.statusCode >= 500 || ms > SLOW_MS) {
      // The logger's serializer keeps method, path and address of `req` (serializing it here as well lost all but the method).
      request.log.warn({ req: request, status: reply.statusCode, code, ms: Math.round(ms) }, reply.statusCode >= 500 ? 'answered with a server error' : 'slow request');
    }
    done();
  });
}
