import type { FastifyReply } from 'fastify';
import { CODES, type Reply } from '../../model/codes.js';
import type { EnvelopeSigner } from '../../envelope/envelope.js';
import { noteAnswerCode } from './answer-code.js';
import { requestedProduct } from '../../envelope/requested-product.js';

/**
 * Sends a Reply as the signed envelope with the HTTP status its code maps to. `input` is the
 * request's fields once they are known: the answer is signed with the own key of the product
 * its `product_id` names, if that product has one; without `input`, with the global key.
 * `X-Tally-Key-Id` names the key that signed it (docs/security.md).
 */
export async function sendEnvelope(
  reply: FastifyReply,
  signer: EnvelopeSigner,
  answer: Reply,
  input?: Readonly<Record<string, unknown>>,
): Promise<FastifyReply> {
  const signed = await signer.envelope(answer, requestedProduct(input));
  if (answer.headers) reply.headers(answer.headers);
  noteAnswerCode(reply, answer.code);
  return reply.code(CODES[answer.code].status).header('x-tally-key-id', signed.keyId).type('application/json; charset=utf-8').send(signed.body);
}
