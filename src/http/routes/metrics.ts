import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../../observability/metrics.js';
import { hashSecret, secretMatches } from '../../registry/secrets.js';
import { bearerToken } from '../plugins/admin/auth.js';
import { metricsDocs } from '../schemas/operations.js';

/** Whether the request may read the metrics: always when no token is set, else with `Authorization: Bearer <token>` (constant time). */
function mayRead(tokenHash: string | null, request: FastifyRequest): boolean {
  if (tokenHash === null) return true;
  const presented = bearerToken(request.headers.authorization);
  return presented !== null && secretMatches(presented, tokenHash);
}

function refuse(reply: FastifyReply): FastifyReply {
  return reply.code(401).header('www-authenticate', 'Bearer realm="tally-metrics"').send({ error: 'Send the metrics token as Authorization: Bearer <metrics token>.' });
}

/**
 * `GET /metrics`: Prometheus text exposition of Tally's metrics. Anonymous unless `--metrics-token`
 * is set; then only a scraper sending that token as a Bearer token reads them (401 otherwise).
 */
export function metricsRoute(app: FastifyInstance, metrics: Metrics, token: string | null): void {
  const tokenHash = token === null ? null : hashSecret(token);
  app.get('/metrics', { config: { openapi: metricsDocs } }, async (request, reply) => {
    if (!mayRead(tokenHash, request)) return refuse(reply);
    const { contentType, body } = await metrics.text();
    return reply.type(contentType).header('cache-control', 'no-store').send(body);
  });
}
