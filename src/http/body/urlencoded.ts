import { newFieldRecord } from '../../model/field-record.js';
import { RESERVED_FIELDS } from '../../telemetry/fields.js';
import { FieldFolder } from './form-fields.js';

/** A body whose percent-escapes do not decode (`%zz`, a lone `%`, or bytes that are not UTF-8). */
export class MalformedBodyError extends Error {
  override readonly name = 'MalformedBodyError';
  readonly statusCode = 400;
}

/** A query string whose percent-escapes do not decode; the client gets a 400. */
export class MalformedQueryError extends Error {
  override readonly name = 'MalformedQueryError';
  readonly statusCode = 400;
}

type Malformed = (component: string) => Error;

function decode(component: string, malformed: Malformed): string {
  const spaced = component.includes('+') ? component.replaceAll('+', ' ') : component;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw malformed(component.slice(0, 40));
  }
}

/**
 * The names of the report fields (and `metadata`), by length. A form's name that is one of them
 * is taken as this constant instead of being cut out of the text: a name cut out is a new string,
 * which V8 hashes and looks up in its string table when it becomes a property name, a measurable
 * share of a single report's parsing. A name spelled with an escape or `+` is not matched here
 * and is decoded as before, to the same name.
 */
const KNOWN_NAMES: readonly (readonly string[] | undefined)[] = (() => {
  const byLength: string[][] = [];
  for (const name of [...RESERVED_FIELDS, 'metadata']) (byLength[name.length] ??= []).push(name);
  return byLength;
})();

/** The known name that `text` holds from `start` to `end`, or null. */
function knownName(text: string, start: number, end: number): string | null {
  const candidates = KNOWN_NAMES[end - start];
  if (candidates === undefined) return null;
  for (const name of candidates) if (text.startsWith(name, start)) return name;
  return null;
}

/** Folds every `name=value` of a form-encoded text (a body or a query string), decoded, into one record. */
function fold(text: string, malformed: Malformed): Record<string, unknown> {
  const folder = new FieldFolder();
  // The first '=' at or after `start` (text.length: none left), searched again only once passed,
  // so parts without one do not each scan the rest of the text.
  let eq = -1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      if (eq < start) {
        eq = text.indexOf('=', start);
        if (eq === -1) eq = text.length;
      }
      if (eq >= end) folder.add(decode(text.slice(start, end), malformed), '');
      else folder.add(knownName(text, start, eq) ?? decode(text.slice(start, eq), malformed), decode(text.slice(eq + 1, end), malformed));
    }
    start = end + 1;
  }
  return folder.fields;
}

/**
 * Parses `application/x-www-form-urlencoded` strictly: unlike lenient parsers that keep a
 * broken escape as literal text, a body that does not decode is refused (HTTP 400), so what we
 * store is exactly what the client meant. Fastify reads form bodies with it (form-body.ts).
 */
export function parseUrlEncoded(body: string): Record<string, unknown> {
  return fold(body, (near) => new MalformedBodyError(`Malformed percent-encoding in form body near "${near}"`));
}

/**
 * The query string of a URL read like a form body: a repeated name keeps its last value and
 * `name[]=…` makes an array (which the rules then refuse). Fastify's own parser turns a repeated
 * name into an array and keeps `name[]` as a plain name, so `limit=10&limit=20` would be an
 * error and `product_id[]=1` silently ignored.
 */
export function queryFields(url: string): Record<string, unknown> {
  const start = url.indexOf('?');
  if (start === -1) return newFieldRecord();
  const end = url.indexOf('#', start);
  const query = url.slice(start + 1, end === -1 ? undefined : end);
  return fold(query, (near) => new MalformedQueryError(`Malformed percent-encoding in the query string near "${near}"`));
}
