import type { IncomingMessage } from 'node:http';

/** How the lane reads a body it takes. */
export type LaneBody = 'form' | 'json';

/**
 * The Content-Type values the lane reads, spelled exactly as the published SDKs and examples
 * send them; Fastify picks the same parser for each. Any other spelling goes to Fastify, whose
 * content-type matching then decides.
 */
const BODY_TYPES: ReadonlyMap<string, LaneBody> = new Map([
  ['application/x-www-form-urlencoded', 'form'],
  ['application/x-www-form-urlencoded; charset=utf-8', 'form'],
  ['application/x-www-form-urlencoded; charset=UTF-8', 'form'],
  ['application/json', 'json'],
  ['application/json; charset=utf-8', 'json'],
  ['application/json; charset=UTF-8', 'json'],
]);

/**
 * Whether the ingest lane takes a request, decided on its request line and headers alone (the
 * body is not read yet, so Fastify can still have it): a POST to exactly one of `paths`, with a
 * query string or not, a Content-Length within `bodyLimit`, no Transfer-Encoding, and a form or
 * JSON body spelled as in BODY_TYPES. Returns how to read the body, or null for Fastify: a
 * multipart or chunked body, a body over the limit (Fastify answers its 413), an encoded or
 * otherwise unusual path, and every other method go the framework's way.
 */
export function laneBodyOf(request: IncomingMessage, paths: ReadonlySet<string>, bodyLimit: number): LaneBody | null {
  if (request.method !== 'POST') return null;
  const url = request.url ?? '';
  const query = url.indexOf('?');
  if (!paths.has(query === -1 ? url : url.slice(0, query))) return null;
  const { headers } = request;
  if (headers['transfer-encoding'] !== undefined) return null;
  const length = headers['content-length'];
  if (length === undefined || !(Number(length) <= bodyLimit)) return null;
  const type = headers['content-type'];
  return type === undefined ? null : (BODY_TYPES.get(type) ?? null);
}
