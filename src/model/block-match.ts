/**
 * What the blocklist ignores in a user identifier or license key: control characters (C0 with
 * U+0000, DEL, C1), invisible format characters (zero-width space and joiners, BOM, soft hyphen,
 * bidi marks) and U+FFFD, which stands where PostgreSQL could not store U+0000 and where a lone
 * surrogate was (src/store/postgres/nul-text.ts, wellFormed in src/telemetry/field-value.ts).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\uFFFD]/gu;

/**
 * The form in which blocklist entries and reports are compared: the value as the record stores
 * it (trimmed, well-formed UTF-16) without the characters nobody sees, so `pirate\u0000`,
 * `\u200Bpirate` and `pirate` are one identifier on every backend. With `ignoreCase` it is also
 * case-folded (upper then lower case, so `ß`, `SS` and `ss` agree), for case-insensitive entries.
 */
export function blockMatchForm(text: string, ignoreCase: boolean): string {
  const visible = text.toWellFormed().replace(INVISIBLE, '').trim();
  return ignoreCase ? visible.toUpperCase().toLowerCase() : visible;
}
