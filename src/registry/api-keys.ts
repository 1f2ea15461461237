import { RegistryInputError } from '../model/errors.js';
import type { NewApiKey, RegistryStore } from '../store/contract/store.js';
import { ipAllowed } from './ip-allow-list.js';
import { normaliseExpiry } from './licenses.js';
import { hashesEqual, hashPresentedSecret, hashSecret, newSecret, SECRET_CHARS } from './secrets.js';
import { API_KEY_SIGNATURE_SCHEMES, CAPABILITIES, type ApiKey, type ApiKeySignatureScheme, type Capability } from '../model/registry.js';
import { isIpOrCidr } from '../model/ip-prefix-set.js';
import type { AuditContext, FieldChange } from '../model/audit.js';
import { createdFields } from './audit/field-changes.js';
import { recordChange } from './audit/record-change.js';

export interface ApiKeyRequest {
  name: string;
  capabilities?: readonly string[];
  products?: readonly number[];
  allowedIps?: readonly string[];
  /** ISO-8601 date or date-time (UTC unless it has an offset), in the future; absent, null or empty = never. */
  expiresAt?: string | null;
  /** One of API_KEY_SIGNATURE_SCHEMES; absent, null or empty = `auto`. */
  signatureScheme?: string | null;
}

const API_KEY_PREFIX = 'tly_';

/**
 * The length of every API key Tally issues. A presented key longer than this is no key of ours:
 * it is refused (100) before any work that grows with its length (hashing, lookups, counting).
 */
export const MAX_API_KEY_LENGTH = API_KEY_PREFIX.length + SECRET_CHARS;

/** A key's fields the audit log shows when one is made (never its secret or hash). */
export const API_KEY_AUDIT_FIELDS = ['name', 'capabilities', 'products', 'allowed_ips', 'expires_at', 'signature_scheme'] as const;

/** Creates a key; the secret is returned here once and only its hash is kept. */
export async function createApiKey(registry: RegistryStore, request: ApiKeyRequest, audit: AuditContext): Promise<{ key: ApiKey; secret: string }> {
  const made = await makeApiKey(registry, request);
  await recordChange(audit, { action: 'api_key.create', targetType: 'api_key', targetId: made.key.id, changes: apiKeyCreated(made.key) });
  return made;
}

/** A new key's audit fields: before null, after its settings (never its secret or hash). */
export function apiKeyCreated(key: ApiKey): Record<string, FieldChange> {
  return createdFields(key, API_KEY_AUDIT_FIELDS);
}

/** Creates a key without recording it: for createApiKey and a rotation, which records its own entries. */
export async function makeApiKey(registry: RegistryStore, request: ApiKeyRequest): Promise<{ key: ApiKey; secret: string }> {
  const input = await validateApiKeyRequest(registry, request);
  const secret = newSecret(API_KEY_PREFIX);
  const key = await registry.createApiKey({ ...input, secret_hash: hashSecret(secret) });
  return { key, secret };
}

async function validateApiKeyRequest(registry: RegistryStore, request: ApiKeyRequest): Promise<Omit<NewApiKey, 'secret_hash'>> {
  const name = request.name.trim();
  if (name === '') throw new RegistryInputError('An API key needs a name.');
  const capabilities = [...new Set(request.capabilities ?? ['send_telemetry'])];
  if (capabilities.length === 0) throw new RegistryInputError('An API key needs at least one capability.');
  const unknown = capabilities.filter((c) => !(CAPABILITIES as readonly string[]).includes(c));
  if (unknown.length > 0) throw new RegistryInputError(`Unknown capability: ${unknown.join(', ')} (known: ${CAPABILITIES.join(', ')}).`);
  const products = [...new Set(request.products ?? [])];
  for (const id of products) {
    if (!(await registry.getProduct(id))) throw new RegistryInputError(`No product with id ${id}.`);
  }
  const allowedIps = [...new Set(request.allowedIps ?? [])];
  const badIp = allowedIps.find((entry) => !isIpOrCidr(entry));
  if (badIp !== undefined) throw new RegistryInputError(`Not an IP address or CIDR: ${badIp}`);
  const expiresAt = normaliseExpiry(request.expiresAt);
  if (expiresAt === undefined) throw new RegistryInputError(`The expiry must be an ISO-8601 date or date-time, not "${request.expiresAt ?? ''}".`);
  if (expiresAt !== null && Date.parse(expiresAt) <= Date.now()) throw new RegistryInputError(`The expiry ${expiresAt} is not in the future.`);
  const signatureScheme = readSignatureScheme(request.signatureScheme ?? 'auto');
  return { name, capabilities: capabilities as Capability[], products, allowed_ips: allowedIps, expires_at: expiresAt, signature_scheme: signatureScheme };
}

/**
 * Checks a signature scheme an operator asked for (trimmed; empty = `auto`), with a message that
 * lists the known ones. Shared by create and update, so the CLI and the admin API say the same.
 */
export function readSignatureScheme(text: string): ApiKeySignatureScheme {
  const scheme = text.trim() === '' ? 'auto' : text.trim();
  const known = API_KEY_SIGNATURE_SCHEMES.find((candidate) => candidate === scheme);
  if (known === undefined) throw new RegistryInputError(`Unknown signature scheme: ${scheme} (known: ${API_KEY_SIGNATURE_SCHEMES.join(', ')}).`);
  return known;
}

/** True once the key's expiry has come (an expiry is the first instant it no longer works). */
export function apiKeyExpired(key: ApiKey, nowMs: number = Date.now()): boolean {
  return key.expires_at !== null && Date.parse(key.expires_at) <= nowMs;
}

export type AuthResult = { ok: true; key: ApiKey } | { ok: false; code: 100 | 101 | 102 | 103 };

/**
 * Checks a presented key in this order: it exists and is not revoked (100), it is active and
 * not expired (101), it is used from an allowed address (103), it has the endpoint's capability
 * (102). The address is checked before the capability so a leaked key used from elsewhere
 * reveals nothing more. `nowMs` is the clock the expiry is compared with.
 */
export async function authenticate(
  registry: RegistryStore, secret: string | null, ip: string, capability: Capability, nowMs: number = Date.now(),
): Promise<AuthResult> {
  if (secret === null || secret === '' || secret.length > MAX_API_KEY_LENGTH) return { ok: false, code: 100 };
  const hash = hashPresentedSecret(secret);
  const key = await registry.findApiKeyByHash(hash);
  if (!key || key.revoked || !hashesEqual(hash, key.secret_hash)) return { ok: false, code: 100 };
  if (!key.active || apiKeyExpired(key, nowMs)) return { ok: false, code: 101 };
  if (!ipAllowed(key.allowed_ips, ip)) return { ok: false, code: 103 };
  if (!key.capabilities.includes(capability)) return { ok: false, code: 102 };
  return { ok: true, key };
}
