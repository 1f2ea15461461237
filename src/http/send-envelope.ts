import type { FastifyReply } from 'fastify';
import { CODES, type Reply } from '../envelope/codes.js';
import type { EnvelopeSigner } from '../envelope/envelope.js';
import { noteAnswerCode } from './answer-code.js';

/** Sends a Reply as the signed envelope with the HTTP status its code maps to. */
export async function sendEnvelope(reply: FastifyReply, signer: EnvelopeSigner, answer: Reply): Promise<FastifyReply> {
  const body = await signer.envelope(answer);
  if (answer.headers) reply.headers(answer.headers);
  noteAnswerCode(reply, answer.code);
  return reply.code(CODES[answer.code].status).type('application/json; charset=utf-8').send(body);
}
