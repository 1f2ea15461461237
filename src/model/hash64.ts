/**
 * A 64-bit hash of a text, equal to PostgreSQL's `hashtextextended(text, 0)` on a little-endian
 * server (every server Tally targets): Bob Jenkins' lookup3, as PostgreSQL's `hash_bytes_extended`
 * (src/common/hashfn.c) runs it over the text's UTF-8 bytes. Chosen for the install sketches
 * (docs/decisions/0034-install-sketches.md) because the same hash is then available in SQL, where
 * the upgrade builds sketches of the stored reports, and in TypeScript, where ingest maintains
 * them: ~0.2 µs per identifier in 32-bit integer arithmetic, against ~3 µs for node:crypto's md5.
 * Returned as its two 32-bit halves (unsigned), high first.
 */
export function hash64(text: string): [number, number] {
  return hashBytes(utf8(text));
}

const rot = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** The text's UTF-8 bytes; an ASCII text without the encoder's call (the usual identifier). */
function utf8(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return Buffer.from(text, 'utf8');
    bytes[i] = code;
  }
  return bytes;
}

/** Little-endian 32-bit word at `at`, reading only the `count` bytes present. */
function word(k: Uint8Array, at: number, count = 4): number {
  let value = 0;
  for (let i = count - 1; i >= 0; i--) value = (value << 8) | (k[at + i] as number);
  return value;
}

function hashBytes(k: Uint8Array): [number, number] {
  let len = k.length;
  let a = (0x9e3779b9 + len + 3923095) | 0;
  let b = a;
  let c = a;
  let at = 0;
  while (len >= 12) {
    a = (a + word(k, at)) | 0;
    b = (b + word(k, at + 4)) | 0;
    c = (c + word(k, at + 8)) | 0;
    // mix(a, b, c)
    a = (a - c) | 0; a ^= rot(c, 4); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 6); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 8); b = (b + a) | 0;
    a = (a - c) | 0; a ^= rot(c, 16); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 19); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 4); b = (b + a) | 0;
    at += 12;
    len -= 12;
  }
  // The last 0–11 bytes: a takes bytes 0–3, b 4–7, c 8–10 shifted up one byte (its lowest is
  // reserved for the length in lookup3, unused by PostgreSQL).
  if (len > 8) c = (c + (word(k, at + 8, len - 8) << 8)) | 0;
  if (len > 4) b = (b + word(k, at + 4, Math.min(len - 4, 4))) | 0;
  if (len > 0) a = (a + word(k, at, Math.min(len, 4))) | 0;
  // final(a, b, c)
  c ^= b; c = (c - rot(b, 14)) | 0;
  a ^= c; a = (a - rot(c, 11)) | 0;
  b ^= a; b = (b - rot(a, 25)) | 0;
  c ^= b; c = (c - rot(b, 16)) | 0;
  a ^= c; a = (a - rot(c, 4)) | 0;
  b ^= a; b = (b - rot(a, 14)) | 0;
  c ^= b; c = (c - rot(b, 24)) | 0;
  return [b >>> 0, c >>> 0];
}
