import { apiKeyCreated, apiKeyExpired, makeApiKey, readSignatureScheme } from './api-keys.js';
import type { ApiKey } from '../model/registry.js';
import type { RegistryStore } from '../store/contract/store.js';
import { ApiKeyNotFoundError, RegistryInputError } from '../model/errors.js';
import type { AuditContext } from '../model/audit.js';
import { changedFields } from './audit/field-changes.js';
import { recordChange, recordIfChanged } from './audit/record-change.js';

/** The longest grace a rotation gives the old key: 30 days. */
export const MAX_ROTATION_GRACE_SECONDS = 30 * 24 * 3600;

export type ApiKeyState = 'active' | 'inactive' | 'expired' | 'revoked';

/** Turns a key on or off. A revoked key stays revoked: switching it on would suggest it works again. */
export async function setApiKeyActive(registry: RegistryStore, id: number, active: boolean, audit: AuditContext): Promise<ApiKey> {
  const key = await findApiKey(registry, id);
  if (key.revoked) throw new RegistryInputError(`API key ${id} is revoked; revoked keys never authenticate again.`);
  await registry.setApiKeyActive(id, active);
  const changed = { ...key, active };
  await recordIfChanged(audit, { action: active ? 'api_key.activate' : 'api_key.deactivate', targetType: 'api_key', targetId: id, changes: changedFields(key, changed, ['active']) });
  return changed;
}

/** Revokes a key for good; it is kept for audit. Revoking twice is harmless. */
export async function revokeApiKey(registry: RegistryStore, id: number, audit: AuditContext): Promise<ApiKey> {
  const key = await findApiKey(registry, id);
  if (!(await registry.revokeApiKey(id))) throw new ApiKeyNotFoundError(id);
  const revoked = { ...key, revoked: true };
  await recordIfChanged(audit, { action: 'api_key.revoke', targetType: 'api_key', targetId: id, changes: changedFields(key, revoked, ['revoked']) });
  return revoked;
}

/** What `updateApiKey` may change; an absent, null or blank field is left as it is. */
export interface ApiKeyChanges {
  /** One of API_KEY_SIGNATURE_SCHEMES (model/registry.ts); `auto` unpins. */
  signatureScheme?: string | null;
}

/**
 * Changes a key's settings in place, its secret untouched: today the signature scheme its
 * answers are signed with. Asking for no change is refused, and so is changing a revoked key
 * (it never authenticates again). Through the cached registry, the server signs with the new
 * scheme at once; other instances within their registry cache time.
 */
export async function updateApiKey(registry: RegistryStore, id: number, changes: ApiKeyChanges, audit: AuditContext): Promise<ApiKey> {
  const key = await findApiKey(registry, id);
  const asked = changes.signatureScheme?.trim() ?? '';
  if (asked === '') throw new RegistryInputError('Nothing to change: give a signature scheme.');
  const scheme = readSignatureScheme(asked);
  if (key.revoked) throw new RegistryInputError(`API key ${id} is revoked; revoked keys never authenticate again.`);
  if (!(await registry.setApiKeySignatureScheme(id, scheme))) throw new ApiKeyNotFoundError(id);
  const updated = { ...key, signature_scheme: scheme };
  await recordIfChanged(audit, { action: 'api_key.update', targetType: 'api_key', targetId: id, changes: changedFields(key, updated, ['signature_scheme']) });
  return updated;
}

export interface RotatedApiKey {
  key: ApiKey;
  /** The new key's secret, returned here once. */
  secret: string;
  /** The old key as it is now: revoked, or expiring at the end of the grace. */
  old: ApiKey;
}

/**
 * Replaces a key's secret: makes a new key with the same name, capabilities, products, allowed
 * IPs, signature scheme and configured expiry (the one the old key was made with, never a grace
 * an earlier rotation gave it), then ends the old one. With `graceSeconds` 0 the old key is
 * revoked at once (it answers 100); otherwise its `expires_at` is brought forward to now + grace
 * (never pushed later), after which it answers 101 like any expired key. The new key is made
 * first, so a failure between the two steps never leaves the caller without a working key. A
 * revoked or expired key cannot be rotated (create a new key instead). The audit log gets the new
 * key's `api_key.create` (with `rotated_from`) and the old key's `api_key.rotate` (its end and `rotated_to`).
 */
export async function rotateApiKey(registry: RegistryStore, id: number, rotation: Rotation, audit: AuditContext): Promise<RotatedApiKey> {
  const rotated = await replaceApiKey(registry, id, rotation.graceSeconds ?? 0, rotation.nowMs ?? Date.now());
  const { key, old } = rotated;
  await recordChange(audit, { action: 'api_key.create', targetType: 'api_key', targetId: key.id, changes: { ...apiKeyCreated(key), rotated_from: { before: null, after: id } } });
  const ended = changedFields(rotated.before, old, ['revoked', 'expires_at']);
  await recordChange(audit, { action: 'api_key.rotate', targetType: 'api_key', targetId: id, changes: { ...ended, rotated_to: { before: null, after: key.id } } });
  return { key, secret: rotated.secret, old };
}

/** How a rotation ends the old key: its grace (default 0: revoked at once) and the clock (tests). */
export interface Rotation {
  graceSeconds?: number;
  nowMs?: number;
}

async function replaceApiKey(registry: RegistryStore, id: number, graceSeconds: number, nowMs: number): Promise<RotatedApiKey & { before: ApiKey }> {
  if (!Number.isSafeInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_ROTATION_GRACE_SECONDS) {
    throw new RegistryInputError(`The grace must be a whole number of seconds from 0 to ${MAX_ROTATION_GRACE_SECONDS}.`);
  }
  const old = await findApiKey(registry, id);
  if (old.revoked) throw new RegistryInputError(`API key ${id} is revoked; a revoked key cannot be rotated.`);
  if (apiKeyExpired(old, nowMs)) throw new RegistryInputError(`API key ${id} expired at ${old.expires_at ?? ''}; create a new key instead.`);
  const { key, secret } = await makeApiKey(registry, {
    name: old.name,
    capabilities: old.capabilities,
    products: old.products,
    allowedIps: old.allowed_ips,
    expiresAt: old.configured_expires_at,
    signatureScheme: old.signature_scheme,
  });
  if (graceSeconds === 0) {
    await registry.revokeApiKey(id);
    return { key, secret, before: old, old: { ...old, revoked: true } };
  }
  const graceEnd = nowMs + graceSeconds * 1000;
  const expiresAt = new Date(old.expires_at === null ? graceEnd : Math.min(graceEnd, Date.parse(old.expires_at))).toISOString();
  await registry.setApiKeyExpiry(id, expiresAt);
  return { key, secret, before: old, old: { ...old, expires_at: expiresAt } };
}

/** Every key, secrets excluded (only their hashes are stored; those are not shown either). */
export function listApiKeys(registry: RegistryStore): Promise<ApiKey[]> {
  return registry.listApiKeys();
}

/** 'revoked' wins over 'expired', which wins over 'inactive', which wins over 'active'. */
export function apiKeyState(key: ApiKey, nowMs: number = Date.now()): ApiKeyState {
  if (key.revoked) return 'revoked';
  if (apiKeyExpired(key, nowMs)) return 'expired';
  return key.active ? 'active' : 'inactive';
}

/**
 * A key as the CLI's `list --json` and the admin API show it: everything but the hash of its
 * secret and its configured expiry, which only rotation reads (`expires_at` is when it stops).
 */
export type VisibleApiKey = Omit<ApiKey, 'secret_hash' | 'configured_expires_at'> & { state: ApiKeyState };

export function visibleApiKey(key: ApiKey, nowMs: number = Date.now()): VisibleApiKey {
  const { id, name, capabilities, products, allowed_ips, active, revoked, created_at, expires_at, last_used_at, signature_scheme } = key;
  return {
    id, name, state: apiKeyState(key, nowMs), capabilities, products, allowed_ips, active, revoked, created_at, expires_at, last_used_at, signature_scheme,
  };
}

export async function findApiKey(registry: RegistryStore, id: number): Promise<ApiKey> {
  const key = (await registry.listApiKeys()).find((candidate) => candidate.id === id);
  if (key === undefined) throw new ApiKeyNotFoundError(id);
  return key;
}
