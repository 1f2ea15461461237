import { createHash, randomBytes } from 'node:crypto';

const SECRET_BYTES = 32;

/** Characters of the random part of every secret newSecret makes (base64url of 32 bytes, unpadded). */
export const SECRET_CHARS = Math.ceil((SECRET_BYTES * 4) / 3);

/**
 * API keys and the admin token are random 256-bit secrets, so a fast hash is enough to store
 * them (no password stretching needed): the database never holds a usable secret.
 */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(SECRET_BYTES).toString('base64url');
}

/** SHA-256, hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

const recentHashes = new Map<string, string>();

/**
 * hashSecret, remembered for the last few thousand secrets presented: a busy client presents the
 * same key on every request, and SHA-256 was a measurable share of the ingest path. A hash never
 * changes, so the memo needs no expiry, only a bound.
 */
export function hashPresentedSecret(secret: string): string {
  // Only secrets of a plausible length are remembered, so junk keys cannot fill memory.
  if (secret.length > 128) return hashSecret(secret);
  let hash = recentHashes.get(secret);
  if (hash === undefined) {
    if (recentHashes.size >= 10_000) recentHashes.clear();
    hash = hashSecret(secret);
    recentHashes.set(secret, hash);
  }
  return hash;
}

/**
 * Compares two hex hashes in time that depends on their length only: every character is compared,
 * with no early exit on the first difference. Done on the strings, as timingSafeEqual would need
 * two Buffers made per call, a measurable share of the API key check that runs on every report.
 */
export function hashesEqual(presentedHash: string, storedHash: string): boolean {
  if (presentedHash.length !== storedHash.length) return false;
  let difference = 0;
  for (let i = 0; i < presentedHash.length; i++) difference |= presentedHash.charCodeAt(i) ^ storedHash.charCodeAt(i);
  return difference === 0;
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  return hashesEqual(hashSecret(secret), storedHash);
}
