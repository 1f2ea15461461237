import { foldFields } from './form-fields.js';

/** A body whose percent-escapes do not decode (`%zz`, a lone `%`, or bytes that are not UTF-8). */
export class MalformedBodyError extends Error {
  override readonly name = 'MalformedBodyError';
  readonly statusCode = 400;
}

function decode(component: string): string {
  const spaced = component.includes('+') ? component.replaceAll('+', ' ') : component;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw new MalformedBodyError(`Malformed percent-encoding in form body near "${component.slice(0, 40)}"`);
  }
}

function* pairs(body: string): Generator<[string, string]> {
  for (const part of body.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    yield eq === -1 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
  }
}

/**
 * Parses `application/x-www-form-urlencoded` strictly: unlike lenient parsers that keep a
 * broken escape as literal text, a body that does not decode is refused (HTTP 400), so what we
 * store is exactly what the client meant. Plugged into @fastify/formbody as its parser.
 */
export function parseUrlEncoded(body: string): Record<string, unknown> {
  return foldFields(pairs(body));
}
