import fc from 'fast-check';

/** Characters PHP's round trip treats specially, or that stress UTF-8: escapes, controls, line separators, astral. */
const SPECIAL_CHARS = ['\u2028', '\u2029', '/', '\\', '"', '\u0000', '\b', '\t', '\n', '\f', '\r', '\u001f', '\u007f', '\u0080', '\u00e9', '\u20ac', '\ufeff', '\uffff', '😀', '👩‍💻', '\u{10ffff}'];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));

/** JavaScript strings of every kind, rarely with a lone surrogate (JSON.stringify escapes those as \udXXX). */
export const stringValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), weight: 3 },
  { arbitrary: fc.string({ unit: fc.constantFrom(...SPECIAL_CHARS), maxLength: 6 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }), weight: 2 },
  { arbitrary: fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom('a', '😀')), minLength: 1, maxLength: 3 }), weight: 1 },
);

/** A string token as JSON.stringify writes it, or the same string with other legal escapes (`\/`, `\u00E9`, `\uD83D\uDE00`). */
export const stringToken: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: stringValue.map((value) => JSON.stringify(value)), weight: 3 },
  { arbitrary: fc.tuple(stringValue, fc.infiniteStream(fc.nat(5))).map(([value, choices]) => escapedVariant(value, choices)), weight: 1 },
);

function escapedVariant(value: string, choices: fc.Stream<number>): string {
  let out = '"';
  for (const char of value) {
    const choice = choices.next().value;
    const plain = JSON.stringify(char).slice(1, -1);
    if (char === '/' && choice < 3) out += '\\/';
    else if (choice === 0) out += unicodeEscapes(char, true);
    else if (choice === 1) out += unicodeEscapes(char, false);
    else out += plain;
  }
  return out + '"';
}

function unicodeEscapes(char: string, upper: boolean): string {
  let out = '';
  for (let i = 0; i < char.length; i++) {
    const hex = char.charCodeAt(i).toString(16).padStart(4, '0');
    out += '\\u' + (upper ? hex.toUpperCase() : hex);
  }
  return out;
}

const digits = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const INT64_EDGE = 1n << 63n;

/** Number tokens: JavaScript's own, integers near and past int64, and literals written every legal way across magnitudes. */
export const numberToken: fc.Arbitrary<string> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
  fc.integer().map(String),
  fc.maxSafeInteger().map(String),
  fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }).map(String),
  fc.tuple(fc.bigInt({ min: -1000n, max: 1000n }), fc.boolean()).map(([delta, negative]) => String((negative ? -1n : 1n) * (INT64_EDGE + delta))),
  fc.tuple(fc.integer({ min: 1, max: 999_999_999 }), fc.integer({ min: -30, max: 30 })).map(([mantissa, power]) => JSON.stringify(mantissa * 10 ** power)),
  fc.tuple(fc.integer({ min: -25, max: 25 }), fc.constantFrom(1, 9.999999999999998, 1.5, 9.99, 5, 1.0000000000000002)).map(([power, mantissa]) => JSON.stringify(mantissa * 10 ** power)),
  fc.tuple(fc.constantFrom('', '-'), digits(1, 20), fc.option(digits(1, 20)), fc.option(fc.tuple(fc.constantFrom('e', 'E', 'e+', 'e-', 'E+', 'E-'), fc.integer({ min: 0, max: 330 })))).map(
    ([sign, whole, fraction, exponent]) => `${sign}${whole.replace(/^0+(?=\d)/, '')}${fraction === null ? '' : '.' + fraction}${exponent === null ? '' : exponent[0] + exponent[1]}`,
  ),
);

/** Keys that PHP reads as integers (the list rule) or nearly so, and any string. */
const keyToken: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '1', '2', '3', '10', '00', '01', '-0', '-1', '1.0', ' 1', '9223372036854775807', '9223372036854775808', '').map((key) => JSON.stringify(key)),
  stringToken,
);

const space = fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n  ');
const spaced = (token: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(space, token, space).map((parts) => parts.join(''));

/** Ways to key a set of values by index: in order (a PHP list), reversed, with a gap, from 1, or repeating a key. */
function keyedByIndex(values: string[], how: 'in order' | 'reversed' | 'gap' | 'from 1' | 'repeat'): string {
  const keys = values.map((_, i) => (how === 'from 1' ? i + 1 : how === 'gap' && i > 0 ? i + 1 : i));
  const members = keys.map((key, i) => `"${key}":${values[i]}`);
  if (how === 'reversed') members.reverse();
  if (how === 'repeat' && values.length > 0) members.push(`"0":${values[values.length - 1]}`);
  return `{${members.join(',')}}`;
}

/** Objects wide enough for the member index (past 32 keys), index-keyed or not, with repeated keys. */
const wideObject: fc.Arbitrary<string> = fc.tuple(fc.array(fc.tuple(fc.nat(60), numberToken), { minLength: 30, maxLength: 70 }), fc.boolean()).map(
  ([members, indexed]) => `{${members.map(([key, value], i) => `"${indexed ? i : 'k' + key}":${value}`).join(',')}}`,
);

/** JSON texts of every shape: nested objects and arrays (empty too), index-keyed objects, any whitespace. */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string; array: string; object: string; indexed: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, stringToken, numberToken, fc.constantFrom('true', 'false', 'null'), tie('array'), tie('object'), tie('indexed'), wideObject),
  array: fc.array(spaced(tie('value')), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
  object: fc.array(fc.tuple(spaced(keyToken), spaced(tie('value'))), { maxLength: 5 }).map((members) => `{${members.map(([key, value]) => `${key}:${value}`).join(',')}}`),
  indexed: fc.tuple(fc.array(tie('value'), { maxLength: 4 }), fc.constantFrom('in order', 'reversed', 'gap', 'from 1', 'repeat') as fc.Arbitrary<'in order' | 'reversed' | 'gap' | 'from 1' | 'repeat'>).map(
    ([values, how]) => keyedByIndex(values, how),
  ),
})).value;

/** What Tally actually hands over: JSON.stringify of a value, alone or as an envelope's `response`. */
export const stringifiedValue: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.tuple(fc.jsonValue({ maxDepth: 4 }), stringValue).map(([value, text]) => JSON.stringify({ code: 970, message: text, data: [value, { metadata: {} }], timestamp: 1708999140 })),
  fc.jsonValue({ maxDepth: 3 }).map((value) => `{"response":${JSON.stringify({ code: 830, value })},"response_base64":"eyJhIjoxfQ==","private_key_used":"global"}`),
);
