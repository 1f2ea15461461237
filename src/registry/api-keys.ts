import type { NewApiKey, RegistryStore } from '../store/store.js';
import { ipAllowed, isIpOrCidr } from './ip-allow-list.js';
import { hashesEqual, hashPresentedSecret, hashSecret, newSecret } from './secrets.js';
import { CAPABILITIES, type ApiKey, type Capability } from './types.js';

export class RegistryInputError extends Error {
  override readonly name = 'RegistryInputError';
}

export interface ApiKeyRequest {
  name: string;
  capabilities?: readonly string[];
  products?: readonly number[];
  allowedIps?: readonly string[];
}

/** Creates a key; the secret is returned here once and only its hash is kept. */
export async function createApiKey(registry: RegistryStore, request: ApiKeyRequest): Promise<{ key: ApiKey; secret: string }> {
  const input = await validateApiKeyRequest(registry, request);
  const secret = newSecret('tly_');
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
  return { name, capabilities: capabilities as Capability[], products, allowed_ips: allowedIps };
}

export type AuthResult = { ok: true; key: ApiKey } | { ok: false; code: 100 | 101 | 102 | 103 };

/**
 * Checks a presented key in this order: it exists and is not revoked (100), it is active (101),
 * it is used from an allowed address (103), it has the endpoint's capability (102). The address
 * is checked before the capability so a leaked key used from elsewhere reveals nothing more.
 */
export async function authenticate(registry: RegistryStore, secret: string | null, ip: string, capability: Capability): Promise<AuthResult> {
  if (secret === null || secret === '') return { ok: false, code: 100 };
  const hash = hashPresentedSecret(secret);
  const key = await registry.findApiKeyByHash(hash);
  if (!key || key.revoked || !hashesEqual(hash, key.secret_hash)) return { ok: false, code: 100 };
  if (!key.active) return { ok: false, code: 101 };
  if (!ipAllowed(key.allowed_ips, ip)) return { ok: false, code: 103 };
  if (!key.capabilities.includes(capability)) return { ok: false, code: 102 };
  return { ok: true, key };
}
