/**
 * One field of a report after normalisation: absent (or empty after trimming), a usable
 * string, or a value of the wrong shape (an array or object) that no rule can accept.
 */
export type FieldValue =
  | { kind: 'missing' }
  | { kind: 'string'; value: string }
  | { kind: 'invalid'; raw: unknown };

const MISSING: FieldValue = { kind: 'missing' };

/** Trims strings, turns empty into missing, JSON numbers and booleans into their text, arrays and objects into invalid. */
export function toFieldValue(raw: unknown): FieldValue {
  switch (typeof raw) {
    case 'string': {
      const value = raw.trim();
      return value === '' ? MISSING : { kind: 'string', value };
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return toFieldValue(String(raw));
    case 'object':
      return raw === null ? MISSING : { kind: 'invalid', raw };
    default:
      return MISSING;
  }
}

/** Length in Unicode code points, as the contract counts characters. */
export function codePointLength(text: string): number {
  let surrogatePairs = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        surrogatePairs++;
        i++;
      }
    }
  }
  return text.length - surrogatePairs;
}

/** True when the text holds a UTF-16 surrogate without its pair (JSON's `"\ud800"` can carry one). */
export function hasLoneSurrogate(text: string): boolean {
  return !text.isWellFormed();
}

/**
 * The text with every lone surrogate replaced by U+FFFD: what a UTF-8 column can hold, the same
 * on every backend (SQLite would otherwise store three U+FFFD, PostgreSQL one).
 */
export function wellFormed(text: string): string {
  return text.toWellFormed();
}
