import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SignedReplies } from './api/signed-reply.js';

/** What every answer's way out needs to know. */
export interface AnswerHookDeps {
  replies: SignedReplies;
  isApi: (request: FastifyRequest) => boolean;
  /** Whether the app is closing (closing.ts). */
  isClosing: () => boolean;
}

/**
 * The app's one `onSend` hook, run on every answer before it is written: it echoes the request
 * id in `X-Request-Id` (request-id.ts), closes the connection while the app is closing, so
 * keep-alive clients cannot hold the drain open (closing.ts), and replaces an answer under the
 * public API that did not come through the signed reply with a signed 500
 * (SignedReplies.unsignedReplacement). One hook in Fastify's callback form rather than three
 * async ones: each async hook cost every request a promise and a turn of the microtask queue.
 */
export function registerAnswerHooks(app: FastifyInstance, { replies, isApi, isClosing }: AnswerHookDeps): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    if (isClosing()) reply.header('connection', 'close');
    const replacement = replies.unsignedReplacement(request, reply, isApi);
    if (replacement === null) done(null, payload);
    else replacement.then((body) => done(null, body), done);
  });
}
