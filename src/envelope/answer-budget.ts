/**
 * What a signed envelope adds to its response's fields, at most: the keys and
 * `private_key_used`, a base64 RSA-4096 signature (684 characters), the response's code, message,
 * `next_after_id`, a nonce of 128 characters escaped six-fold, the timestamp, and the base64 of
 * all of those.
 */
const ENVELOPE_OVERHEAD = 4096;

/**
 * The bytes the records of a signed answer may take so that the whole answer stays within
 * `maxAnswerBytes` (`--max-answer-bytes`). The envelope carries the response twice, as JSON and
 * as base64 (4/3 of it), so records may take 3/7 of what is left after the overhead.
 */
export function signedRecordBytes(maxAnswerBytes: number): number {
  return Math.max(1, Math.floor(((maxAnswerBytes - ENVELOPE_OVERHEAD) * 3) / 7));
}

/** The bytes the records of an unsigned JSON answer (the admin API's pages) may take within `maxAnswerBytes`. */
export function plainRecordBytes(maxAnswerBytes: number): number {
  return Math.max(1, maxAnswerBytes - 1024);
}
