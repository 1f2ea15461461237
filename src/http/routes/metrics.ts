import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../observability/metrics.js';

/** `GET /metrics`: Prometheus text exposition of Tally's metrics. */
export function metricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metrics.text();
    return reply.type(contentType).header('cache-control', 'no-store').send(body);
  });
}
