/**
 * PHP's JSON round trip, emulated: what the published PHP SDK re-serializes before it checks a
 * signature (`getkeymanager-php` scheme, CONTRACT §5). Measured against PHP 8.2's ext/json with
 * `serialize_precision = -1`; test/envelope/php-json.test.ts compares it with real PHP.
 */

/** Why PHP's json_decode/json_encode would fail; only ever caught inside this module. */
class PhpCannotRead extends Error {}

/** json_decode's default depth (512) lets containers nest 511 deep; one more is "Maximum stack depth exceeded". */
const MAX_NESTING = 511;
/** PHP_INT_MAX + 1 as digits: an integer literal of 19 digits at or above it is a float (its negation is PHP_INT_MIN). */
const INT_OVERFLOW_DIGITS = '9223372036854775808';
/** Stands for a number beyond the double range: json_encode fails on it only if no later duplicate key overwrote it. */
const INFINITY_MARK = '\u0000INF';
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
/* eslint-disable no-control-regex -- JSON's own rule: raw U+0000–U+001F are never legal in a string */
/** A string token PHP writes back unchanged: no escape to read, no raw control character, no U+2028/9 to escape. */
const COPYABLE_STRING = /"[^"\\\u0000-\u001f\u2028\u2029]*"/y;
const DECODE_UNSAFE = /[\\\u0000-\u001f]/;
const ENCODE_UNSAFE = /["\\\u0000-\u001f\u2028\u2029]/;
/* eslint-enable no-control-regex */
const SHORT_ESCAPES: Readonly<Record<number, string>> = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x2028: '\\u2028', 0x2029: '\\u2029' };
const ESCAPED_CHARS: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Exactly the text of PHP 8's `json_encode(json_decode($json, true), JSON_UNESCAPED_SLASHES |
 * JSON_UNESCAPED_UNICODE)` with serialize_precision -1, so Tally can sign the bytes the PHP SDK
 * verifies. What changes: `{}` → `[]`; an object keyed "0".."n-1" in that order → a list; a
 * repeated key → its last value at its first place; `-0` → `0`; an integer beyond int64, or any
 * number with a fraction or exponent → PHP's float form (`1.0e-5`, `1.0e+17`, `50.5`, `1`);
 * `\/` and `\uXXXX` → the raw character (controls keep PHP's escapes); U+2028/U+2029 →
 * `\u2028`/`\u2029`; whitespace dropped. The input stands for the UTF-8 bytes Node sends for it
 * (a raw lone surrogate is U+FFFD there, and so here).
 *
 * Null when PHP cannot round-trip the text: invalid JSON; an escaped lone surrogate (`"\ud800"`,
 * which JSON.stringify writes for a lone surrogate in a string; json_decode refuses it);
 * containers nested deeper than 511 (counted from this text: a whole envelope puts `response` one
 * level down); a number beyond the double range that no later repeated key overwrites
 * (json_encode refuses INF). The PHP SDK throws "Invalid JSON response from API" on a body
 * json_decode refuses, before it looks at the signature, so no signature can serve that client:
 * the caller signs as it would for anyone else (the `contract` scheme) and lets the SDK fail.
 */
export function phpJsonRoundTrip(json: string): string | null {
  const reader = new PhpJsonReader(json.isWellFormed() ? json : json.toWellFormed());
  try {
    return reader.document();
  } catch (error) {
    if (error instanceof PhpCannotRead) return null;
    throw error;
  }
}

/** One pass over the text: parses each value and writes it back as PHP would. */
class PhpJsonReader {
  #pos = 0;
  #depth = 0;
  #sawInfinity = false;

  constructor(private readonly text: string) {}

  document(): string {
    const out = this.#value();
    this.#skipSpace();
    if (this.#pos !== this.text.length) throw new PhpCannotRead('text after the value');
    // Raw U+0000 is always escaped in the output, so the mark cannot be mistaken for text.
    if (this.#sawInfinity && out.includes(INFINITY_MARK)) throw new PhpCannotRead('Inf and NaN cannot be JSON encoded');
    return out;
  }

  #value(): string {
    this.#skipSpace();
    switch (this.text.charCodeAt(this.#pos)) {
      case 0x7b: return this.#object();
      case 0x5b: return this.#array();
      case 0x22: return this.#stringToken();
      case 0x74: return this.#literal('true');
      case 0x66: return this.#literal('false');
      case 0x6e: return this.#literal('null');
      default: return this.#number();
    }
  }

  #skipSpace(): void {
    let c = this.text.charCodeAt(this.#pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = this.text.charCodeAt(++this.#pos);
  }

  /** After a member or element: true on a comma, false on `close`. */
  #next(close: number): boolean {
    this.#skipSpace();
    const c = this.text.charCodeAt(this.#pos++);
    if (c === 0x2c) return true;
    if (c === close) return false;
    throw new PhpCannotRead('expected , or a closing bracket');
  }

  /** Consumes the opening bracket; true (and the closing one too) when the container is empty. */
  #open(close: number): boolean {
    if (++this.#depth > MAX_NESTING) throw new PhpCannotRead('Maximum stack depth exceeded');
    this.#pos++;
    this.#skipSpace();
    if (this.text.charCodeAt(this.#pos) !== close) return false;
    this.#pos++;
    this.#depth--;
    return true;
  }

  #array(): string {
    if (this.#open(0x5d)) return '[]';
    let out = '[' + this.#value();
    while (this.#next(0x5d)) out += ',' + this.#value();
    this.#depth--;
    return out + ']';
  }

  /**
   * A PHP array: keys keep their first place, a repeated key takes the last value; a list when
   * keyed "0".."n-1" in that order. Keys are compared in PHP's written form, which is one-to-one.
   */
  #object(): string {
    if (this.#open(0x7d)) return '[]';
    const members = new Members();
    do {
      this.#skipSpace();
      if (this.text.charCodeAt(this.#pos) !== 0x22) throw new PhpCannotRead('expected a key');
      const key = this.#stringToken();
      this.#skipSpace();
      if (this.text.charCodeAt(this.#pos++) !== 0x3a) throw new PhpCannotRead('expected :');
      members.set(key, this.#value());
    } while (this.#next(0x7d));
    this.#depth--;
    return members.text();
  }

  #literal(word: string): string {
    if (!this.text.startsWith(word, this.#pos)) throw new PhpCannotRead('Syntax error');
    this.#pos += word.length;
    return word;
  }

  #number(): string {
    NUMBER.lastIndex = this.#pos;
    const match = NUMBER.exec(this.text);
    if (match === null) throw new PhpCannotRead('Syntax error');
    const token = match[0];
    this.#pos += token.length;
    if (match[1] === undefined && match[2] === undefined && fitsInt64(token)) return token === '-0' ? '0' : token;
    const value = Number(token);
    if (Number.isFinite(value)) return phpFloat(value);
    this.#sawInfinity = true;
    return INFINITY_MARK;
  }

  /** The string token at the cursor, as PHP writes it back. */
  #stringToken(): string {
    const start = this.#pos;
    COPYABLE_STRING.lastIndex = start;
    if (!COPYABLE_STRING.test(this.text)) return phpString(this.#rawString());
    this.#pos = COPYABLE_STRING.lastIndex;
    return this.text.slice(start, this.#pos);
  }

  /** The decoded value of the string token at the cursor. */
  #rawString(): string {
    const start = this.#pos + 1;
    const end = this.text.indexOf('"', start);
    if (end < 0) throw new PhpCannotRead('unterminated string');
    const body = this.text.slice(start, end);
    if (DECODE_UNSAFE.test(body)) return this.#decodeEscaped(start);
    this.#pos = end + 1;
    return body;
  }

  #decodeEscaped(start: number): string {
    let out = '';
    let from = start;
    for (let i = start; ; ) {
      const c = this.text.charCodeAt(i);
      if (c === 0x22) {
        this.#pos = i + 1;
        return out + this.text.slice(from, i);
      }
      if (c < 0x20 || Number.isNaN(c)) throw new PhpCannotRead('Control character error');
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += this.text.slice(from, i);
      const [decoded, length] = this.#escape(i + 1);
      out += decoded;
      from = i += 1 + length;
    }
  }

  /** The escape after a backslash at `at`: its character(s) and how many code units it spans. */
  #escape(at: number): [string, number] {
    const letter = this.text[at] ?? '';
    const simple = ESCAPED_CHARS[letter];
    if (simple !== undefined) return [simple, 1];
    if (letter !== 'u') throw new PhpCannotRead('Syntax error');
    const unit = this.#hex4(at + 1);
    if (unit < 0xd800 || unit > 0xdfff) return [String.fromCharCode(unit), 5];
    const low = unit <= 0xdbff && this.text.startsWith('\\u', at + 5) ? this.#hex4(at + 7) : -1;
    if (low < 0xdc00 || low > 0xdfff) throw new PhpCannotRead('Single unpaired UTF-16 surrogate in unicode escape');
    return [String.fromCharCode(unit, low), 11];
  }

  #hex4(at: number): number {
    let value = 0;
    for (let i = at; i < at + 4; i++) {
      const digit = hexDigit(this.text.charCodeAt(i));
      if (digit < 0) throw new PhpCannotRead('Syntax error');
      value = value * 16 + digit;
    }
    return value;
  }
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** PHP's scanner keeps an integer literal an int unless it overflows int64 (PHP_INT_MIN itself fits). */
function fitsInt64(token: string): boolean {
  const negative = token.charCodeAt(0) === 0x2d;
  const digits = token.length - (negative ? 1 : 0);
  if (digits !== INT_OVERFLOW_DIGITS.length) return digits < INT_OVERFLOW_DIGITS.length;
  const magnitude = negative ? token.slice(1) : token;
  return magnitude < INT_OVERFLOW_DIGITS || (negative && magnitude === INT_OVERFLOW_DIGITS);
}

/**
 * An object's members in PHP's array order. Arrays, not a Map: most objects are small records,
 * where a scan finds a repeated key faster than a Map is made; an index takes over past 32 keys.
 */
class Members {
  readonly #keys: string[] = [];
  readonly #values: string[] = [];
  #index: Map<string, number> | undefined;
  #list = true;

  set(key: string, value: string): void {
    const at = this.#index === undefined ? this.#keys.indexOf(key) : (this.#index.get(key) ?? -1);
    if (at >= 0) {
      this.#values[at] = value;
      return;
    }
    if (this.#list) this.#list = key === `"${this.#keys.length}"`;
    this.#index?.set(key, this.#keys.length);
    this.#keys.push(key);
    this.#values.push(value);
    if (this.#keys.length === 32) this.#index = new Map(this.#keys.map((k, i) => [k, i]));
  }

  text(): string {
    if (this.#list) return '[' + this.#values.join(',') + ']';
    let out = '{' + this.#keys[0] + ':' + this.#values[0];
    for (let i = 1; i < this.#keys.length; i++) out += ',' + this.#keys[i] + ':' + this.#values[i];
    return out + '}';
  }
}

/** A string as json_encode writes it with those flags: raw UTF-8 and `/`, short escapes, `\u00xx` (lower case) for other controls. */
function phpString(value: string): string {
  if (!ENCODE_UNSAFE.test(value)) return '"' + value + '"';
  let out = '"';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x2028 && c !== 0x2029) continue;
    out += value.slice(from, i) + (SHORT_ESCAPES[c] ?? '\\u00' + c.toString(16).padStart(2, '0'));
    from = i + 1;
  }
  return out + value.slice(from) + '"';
}

/**
 * A double as PHP's php_gcvt writes it with serialize_precision -1: the shortest digits that
 * read back as the same double (JavaScript's too); positional from 1e-4 up to below 1e17, with no
 * `.0` (1.0 is `1`, -0.0 is `-0`); otherwise `d.ddde±x` with at least one fraction digit.
 */
function phpFloat(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const magnitude = Math.abs(value);
  // There, JavaScript writes positional notation too, with the same digits.
  if (magnitude >= 1e-4 && magnitude < 1e17) return String(value);
  const [mantissa = '', exponent = ''] = magnitude.toExponential().split('e'); // exponent signed: "+17", "-5"
  const [first = '', fraction = '0'] = mantissa.split('.');
  return `${value < 0 ? '-' : ''}${first}.${fraction}e${exponent}`;
}
