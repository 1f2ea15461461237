import { KindGuard, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest, FastifySchema, FastifySchemaCompiler, RouteOptions } from 'fastify';
import { queryFields } from '../../body/urlencoded.js';
import { InputError, type InputPart } from './errors.js';
import { isLenient, jsonReader, lenientReader } from './json-reader.js';
import { refuseNulInput } from './nul-input.js';
import { textReader, type ReadOutcome } from './text-reader.js';

/**
 * The admin scope's schema handling (docs/decisions/0020-admin-api-schemas.md): every request
 * part a route declares is read against its TypeBox schema by the admin readers (query and path
 * parameters: text-reader.ts; bodies: json-reader.ts), and a refusal is an
 * InputError for the admin error handler. Answers are written with JSON.stringify, so response
 * schemas describe them (for the OpenAPI description and the schema tests) without reordering
 * or dropping a key. Input holding U+0000 is refused before any of that (nul-input.ts).
 */
export function useAdminSchemas(admin: FastifyInstance): void {
  refuseNulInput(admin);
  admin.setValidatorCompiler(compileAdminReader);
  admin.setSerializerCompiler(() => (data: unknown) => JSON.stringify(data));
  admin.addHook('onRoute', requireRefusals);
}

const compileAdminReader: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const part = inputPart(httpPart);
  const read = readerFor(schema, part);
  return (data: unknown) => {
    const outcome = read(data);
    return outcome.ok ? { value: outcome.value } : { error: new InputError(part, outcome.errors, outcome.read) };
  };
};

function readerFor(schema: TSchema, part: InputPart): (input: unknown) => ReadOutcome {
  if (!KindGuard.IsObject(schema)) throw new Error(`An admin route's ${part} schema must be an object schema.`);
  if (part === 'body') return isLenient(schema) ? lenientReader(schema) : jsonReader(schema);
  return textReader(schema, part === 'querystring');
}

function inputPart(httpPart: string | undefined): InputPart {
  if (httpPart === 'params' || httpPart === 'querystring' || httpPart === 'body') return httpPart;
  throw new Error(`Admin routes declare no ${String(httpPart)} schema.`);
}

/**
 * preValidation of the routes that read their query string as the rest of the API reads fields
 * (queryFields: a repeated name keeps its last value, `name[]=` is a list, which is refused); a
 * malformed percent-escape is the app's 400.
 */
export async function readQueryFields(request: FastifyRequest): Promise<void> {
  request.query = queryFields(request.url);
}

/** The validator of a query string that its handler reads itself (the query API's filter parser). */
export const readByHandler: FastifySchemaCompiler<FastifySchema> = () => () => true;

/** A route that can refuse its path or query parameters must say how it answers (adminRefusals), checked as it is added. */
function requireRefusals(route: RouteOptions): void {
  const schema = route.schema ?? {};
  const refusals = route.config?.adminRefusals ?? {};
  if (schema.params !== undefined && refusals.id === undefined) throw new Error(`${route.url}: its :id refusal is not declared.`);
  if (schema.querystring !== undefined && refusals.query === undefined) throw new Error(`${route.url}: its query refusal is not declared.`);
}
