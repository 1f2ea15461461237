import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NulInputError, type InputPart } from './errors.js';

const NUL = '\u0000';
/** Deeper than any body the parsers let through (JSON bodies nest at most 32 levels). */
const MAX_DEPTH = 64;

/**
 * Refuses U+0000 anywhere in an admin request's path parameters, query string or body (values
 * and field names, at any depth) before any schema or use case sees it: PostgreSQL's text cannot
 * hold it, so it would otherwise fail deep in a query as a 500, and SQLite answers the same way
 * so both backends agree. The refusal is a NulInputError, which the admin error handler answers
 * 400 (src/http/plugins/admin/errors.ts).
 */
export function refuseNulInput(admin: FastifyInstance): void {
  admin.addHook('preValidation', async (request: FastifyRequest) => {
    const parts: [InputPart, unknown][] = [['params', request.params], ['querystring', request.query], ['body', request.body]];
    for (const [part, value] of parts) {
      const field = fieldWithNul(value, part, 0);
      if (field !== null) throw new NulInputError(part, field);
    }
  });
}

/** The top-level field holding U+0000 (the part's name for a bare string), or null when there is none. */
function fieldWithNul(value: unknown, name: string, depth: number): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? name : null;
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return null;
  for (const [key, inner] of Object.entries(value)) {
    const field = depth === 0 ? printable(key) : name;
    if (key.includes(NUL) || fieldWithNul(inner, field, depth + 1) !== null) return field;
  }
  return null;
}

function printable(key: string): string {
  return key.replaceAll(NUL, '\\u0000');
}
