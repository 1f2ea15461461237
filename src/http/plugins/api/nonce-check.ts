import type { preHandlerHookHandler } from 'fastify';
import { readNonce } from '../../../envelope/request-nonce.js';
import type { SignedReplies } from './signed-reply.js';

/**
 * Refuses a request whose `nonce` cannot be echoed unchanged (request-nonce.ts): 400 with
 * `errors: {"nonce": [message]}`, signed with the global key, nothing stored or read. It runs
 * after the key check, so a request without a usable key still gets 100–103 first. Why not store
 * the report and answer 831, as for its own fields: the nonce is not part of the report (it is
 * never stored), an answer that cannot carry it could not be bound to the request anyway, and a
 * client's bug should not raise `has_red_flags` on the vendor's data (docs/clients.md). The
 * callback form, since nearly every request passes: an async hook would cost each a promise.
 */
export function nonceCheck(replies: SignedReplies): preHandlerHookHandler {
  return (request, reply, done) => {
    const read = readNonce(request.apiFields);
    if (read.ok) return done();
    // Answered here: Fastify goes no further once the reply is sent (done is not called).
    void replies.refuse(reply, { code: 400, fields: { errors: { nonce: [read.error] } } });
  };
}
