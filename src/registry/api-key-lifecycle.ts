import { RegistryInputError } from './api-keys.js';
import type { ApiKey } from './types.js';
import type { RegistryStore } from '../store/store.js';

/** Turns a key on or off. A revoked key stays revoked: switching it on would suggest it works again. */
export async function setApiKeyActive(registry: RegistryStore, id: number, active: boolean): Promise<ApiKey> {
  const key = await findApiKey(registry, id);
  if (key.revoked) throw new RegistryInputError(`API key ${id} is revoked; revoked keys never authenticate again.`);
  await registry.setApiKeyActive(id, active);
  return { ...key, active };
}

/** Revokes a key for good; it is kept for audit. Revoking twice is harmless. */
export async function revokeApiKey(registry: RegistryStore, id: number): Promise<void> {
  if (!(await registry.revokeApiKey(id))) throw new RegistryInputError(`No API key with id ${id}.`);
}

/** Every key, secrets excluded (only their hashes are stored; those are not shown either). */
export function listApiKeys(registry: RegistryStore): Promise<ApiKey[]> {
  return registry.listApiKeys();
}

/** 'revoked' wins over 'inactive', which wins over 'active'. */
export function apiKeyState(key: ApiKey): 'active' | 'inactive' | 'revoked' {
  if (key.revoked) return 'revoked';
  return key.active ? 'active' : 'inactive';
}

async function findApiKey(registry: RegistryStore, id: number): Promise<ApiKey> {
  const key = (await registry.listApiKeys()).find((candidate) => candidate.id === id);
  if (key === undefined) throw new RegistryInputError(`No API key with id ${id}.`);
  return key;
}
