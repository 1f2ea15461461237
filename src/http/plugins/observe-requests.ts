import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../observability/metrics.js';
import { answerCodeOf } from './api/signed-reply.js';
import { logSerializers } from './log-serializers.js';

const SLOW_MS = 1000;
const INGEST_ROUTES = new Set(['/api/v1/send-telemetry-data', '/api/v1/send-telemetry-date']);

/**
 * After every answer: counts it in the metrics (route, HTTP status, envelope code), times
 * ingest, echoes the request id in `X-Request-Id`, and logs 5xx answers and slow requests with
 * their request id even when per-request logging is off.
 */
export function observeRequests(app: FastifyInstance, metrics: Metrics | null): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const code = answerCodeOf(reply);
    const ms = reply.elapsedTime;
    if (metrics !== null) {
      metrics.answered(route, reply.statusCode, code);
      if (INGEST_ROUTES.has(route)) metrics.ingestTook(ms / 1000);
    }
    if (reply.statusCode >= 500 || ms > SLOW_MS) {
      request.log.warn({ req: logSerializers.req(request), status: reply.statusCode, code, ms: Math.round(ms) }, reply.statusCode >= 500 ? 'answered with a server error' : 'slow request');
    }
  });
}
