import { STATUS_CODES } from 'node:http';

/** An operation's answers, by status. */
type Answers = Record<string, { description?: string }>;

/** The part of an OpenAPI document this looks at: each path's operations (and its other keys, which it skips). */
interface Operations {
  paths?: Record<string, Record<string, unknown> | undefined>;
}

/** What @fastify/swagger writes for an answer whose schema has no description. */
const PLACEHOLDER = 'Default Response';

function answersOf(operation: unknown): Answers {
  if (typeof operation !== 'object' || operation === null || !('responses' in operation)) return {};
  const { responses } = operation;
  return typeof responses === 'object' && responses !== null ? (responses as Answers) : {};
}

/**
 * The document with each answer that its schema does not describe named by its status's reason
 * phrase (`404` → `Not Found`), instead of @fastify/swagger's placeholder. An answer's
 * description is required by OpenAPI; the admin schemas describe their bodies, not their statuses.
 */
export function withStatusDescriptions<D extends Operations>(document: D): D {
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item ?? {})) {
      for (const [status, answer] of Object.entries(answersOf(operation))) {
        if (answer.description === PLACEHOLDER) answer.description = STATUS_CODES[status] ?? PLACEHOLDER;
      }
    }
  }
  return document;
}
