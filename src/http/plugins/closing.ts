import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SignedReplies } from './api/signed-reply.js';

/**
 * Graceful shutdown as requests see it: once the app starts closing, API requests that still
 * arrive are answered a signed 503 with Retry-After (Fastify's own 503 is switched off), and every
 * answer closes its connection (answer-hooks.ts), so keep-alive clients cannot hold the drain
 * open. Returns whether the app is closing (readiness and the answer hooks read it).
 */
export function registerClosing(app: FastifyInstance, replies: SignedReplies, isApi: (request: FastifyRequest) => boolean): () => boolean {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // The callback form: an async hook would cost every request a promise for a check that is false until shutdown.
  app.addHook('onRequest', (request, reply, done) => {
    if (!(closing && isApi(request))) return done();
    // Answered here: Fastify goes no further once the reply is sent (done is not called).
    void replies.refuse(reply, { code: 503, headers: { 'retry-after': '1' } });
  });
  return () => closing;
}
