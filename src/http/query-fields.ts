import type { FastifyRequest } from 'fastify';
import { foldFields } from './form-fields.js';
import { requestInput } from './request-input.js';

/** A query string whose percent-escapes do not decode; the client gets a 400. */
export class MalformedQueryError extends Error {
  override readonly name = 'MalformedQueryError';
  readonly statusCode = 400;
}

function decode(component: string): string {
  const spaced = component.includes('+') ? component.replaceAll('+', ' ') : component;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw new MalformedQueryError(`Malformed percent-encoding in the query string near "${component.slice(0, 40)}"`);
  }
}

function* pairs(query: string): Generator<[string, string]> {
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    yield eq === -1 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
  }
}

/**
 * The query string of a URL read like a form body: a repeated name keeps its last value and
 * `name[]=…` makes an array (which the filter rules then refuse). Fastify's own parser turns a
 * repeated name into an array and keeps `name[]` as a plain name, so `limit=10&limit=20` would
 * be an error and `product_id[]=1` silently ignored.
 */
export function queryFields(url: string): Record<string, unknown> {
  const start = url.indexOf('?');
  const end = url.indexOf('#', start);
  return foldFields(start === -1 ? [] : pairs(url.slice(start + 1, end === -1 ? undefined : end)));
}

/** The request's fields: the query string read by `queryFields`, overlaid by the body (form, JSON or multipart). */
export async function queryRequestInput(request: FastifyRequest, bodyLimit: number): Promise<Record<string, unknown>> {
  request.query = queryFields(request.url);
  return requestInput(request, bodyLimit);
}
