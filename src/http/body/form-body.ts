import type { FastifyInstance } from 'fastify';
import { parseUrlEncoded } from './urlencoded.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * Reads `application/x-www-form-urlencoded` bodies with the strict parser (urlencoded.ts,
 * decision 0002), up to `bodyLimit` bytes. Registered on Fastify directly, with the body read as
 * text: Fastify then decodes a body that came in one piece as it is, where a Buffer body (as
 * `@fastify/formbody` asked for) was first copied into a new Buffer and then decoded.
 * A body that does not parse is refused with the parser's 400 (Fastify catches what it throws).
 */
export function registerFormBody(app: FastifyInstance, bodyLimit: number): void {
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    done(null, parseUrlEncoded(body as string));
  });
}
