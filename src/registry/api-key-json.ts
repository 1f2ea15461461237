import { type ApiKeyRequest } from './api-keys.js';
import { RegistryInputError } from '../model/errors.js';

/** The fields a JSON request to create a key may have (admin API, docs/admin-api.md). */
const FIELDS = ['name', 'capabilities', 'products', 'allowed_ips', 'expires_at'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf<T>(body: Record<string, unknown>, field: string, isItem: (item: unknown) => item is T, what: string): T[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every(isItem)) throw new RegistryInputError(`"${field}" must be a list of ${what}.`);
  return value;
}

const isString = (item: unknown): item is string => typeof item === 'string';
const isId = (item: unknown): item is number => typeof item === 'number' && Number.isSafeInteger(item) && item > 0;

/**
 * A JSON body `{name, capabilities?, products?, allowed_ips?, expires_at?}` as a key request;
 * a wrong type or an unknown field is a RegistryInputError naming it. The values themselves
 * are checked by createApiKey like the CLI's.
 */
export function apiKeyRequestFromJson(body: unknown): ApiKeyRequest {
  if (!isRecord(body)) throw new RegistryInputError('Send a JSON object: {"name": …, "capabilities": […], "products": […], "allowed_ips": […], "expires_at": …}.');
  const unknown = Object.keys(body).filter((field) => !FIELDS.includes(field));
  if (unknown.length > 0) throw new RegistryInputError(`Unknown field: ${unknown.join(', ')} (known: ${FIELDS.join(', ')}).`);
  if (typeof body.name !== 'string') throw new RegistryInputError('"name" is required and must be a string.');
  const expiresAt = body.expires_at;
  if (expiresAt !== undefined && expiresAt !== null && typeof expiresAt !== 'string') throw new RegistryInputError('"expires_at" must be an ISO-8601 string or null.');
  return {
    name: body.name,
    capabilities: listOf(body, 'capabilities', isString, 'strings'),
    products: listOf(body, 'products', isId, 'positive integer product ids'),
    allowedIps: listOf(body, 'allowed_ips', isString, 'strings'),
    expiresAt: expiresAt ?? null,
  };
}

/** `{grace_seconds?}` (absent or empty body: 0) as the grace of a rotation, in seconds. */
export function graceSecondsFromJson(body: unknown): number {
  if (body === undefined || body === null) return 0;
  if (!isRecord(body)) throw new RegistryInputError('Send a JSON object: {"grace_seconds": N}.');
  const unknown = Object.keys(body).filter((field) => field !== 'grace_seconds');
  if (unknown.length > 0) throw new RegistryInputError(`Unknown field: ${unknown.join(', ')} (known: grace_seconds).`);
  const grace = body.grace_seconds ?? 0;
  if (typeof grace !== 'number' || !Number.isSafeInteger(grace)) throw new RegistryInputError('"grace_seconds" must be a whole number of seconds.');
  return grace;
}
