import type { FastifyReply } from 'fastify';

const codes = new WeakMap<FastifyReply, number>();

/** Remembers the envelope code an answer carried, for metrics and logs. */
export function noteAnswerCode(reply: FastifyReply, code: number): void {
  codes.set(reply, code);
}

/** The envelope code of an answer, or 0 when it was not an API envelope. */
export function answerCodeOf(reply: FastifyReply): number {
  return codes.get(reply) ?? 0;
}
