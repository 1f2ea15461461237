import type { IncomingMessage } from 'node:http';
import { errorCodes } from 'fastify';
import secureJson from 'secure-json-parse';
import { withQuery } from '../body/request-input.js';
import { parseUrlEncoded } from '../body/urlencoded.js';
import type { LaneBody } from './lane-requests.js';

/**
 * Fastify's own parse of a JSON body (its default parser's options): `__proto__` and
 * `constructor.prototype` keys are refused, not stripped.
 */
const JSON_OPTIONS = { protoAction: 'error', constructorAction: 'error' } as const;

/**
 * The body of a request the lane took, read whole (as Fastify reads one, against `bodyLimit` and
 * its Content-Length) and parsed as `kind`. Throws what Fastify's parsers throw for the same
 * body (Fastify's own error codes, or the form parser's errors), so replyForError gives the
 * same answer; like Fastify, the lane then closes the connection.
 */
export async function laneBody(request: IncomingMessage, kind: LaneBody, bodyLimit: number): Promise<unknown> {
  const text = await readBody(request, bodyLimit);
  return kind === 'form' ? parseUrlEncoded(text) : parseJson(text);
}

/** The fields of the request: the parsed body overlaid on the query string, checked as requestInput checks them (throws a 400 error). */
export function laneFields(request: IncomingMessage, body: unknown): Record<string, unknown> {
  return withQuery(request.url ?? '', body);
}

function parseJson(text: string): unknown {
  if (text.length === 0) throw new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY();
  try {
    return secureJson.parse(text, undefined, JSON_OPTIONS);
  } catch {
    throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
  }
}

/** The body as UTF-8 text; rejects past `limit` bytes, on a stream error (400) or when it does not match its Content-Length. */
function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const expected = Number(request.headers['content-length']);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received <= limit) chunks.push(chunk);
      else {
        stop();
        reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      }
    };
    const onEnd = (): void => {
      stop();
      if (received !== expected) reject(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks, received).toString('utf8'));
    };
    const onError = (error: Error & { statusCode?: number }): void => {
      stop();
      // As Fastify: a stream error without a client status of its own is the request's fault.
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
      reject(error);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}
