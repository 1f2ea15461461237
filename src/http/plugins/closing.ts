import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SignedReplies } from './api/signed-reply.js';

/**
 * Graceful shutdown as requests see it: once the app starts closing, API requests that still
 * arrive are answered a signed 503 with Retry-After (Fastify's own 503 is switched off), and every
 * answer closes its connection, so keep-alive clients cannot hold the drain open. Returns whether
 * the app is closing (readiness reports it).
 */
export function registerClosing(app: FastifyInstance, replies: SignedReplies, isApi: (request: FastifyRequest) => boolean): () => boolean {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (closing && isApi(request)) return replies.refuse(reply, { code: 503, headers: { 'retry-after': '1' } });
    return undefined;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  return () => closing;
}
