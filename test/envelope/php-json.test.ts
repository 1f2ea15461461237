import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { phpJsonRoundTrip } from '../../src/envelope/php-json.js';
import { jsonText, numberToken, stringifiedValue, stringToken } from './json-text-arbitraries.js';
import { describeWithPhp, realPhpRoundTrips } from './real-php.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
/** `{"0":0,"1":1,…}`: wide enough for the member index past 32 keys. */
const indexKeyed = (n: number): string => `{${range(n).map((i) => `"${i}":${i}`).join(',')}}`;

/** [JSON text, what PHP 8.2 answers (null: json_decode or json_encode fails)], each checked against real PHP below too. */
const CASES: readonly (readonly [string, string | null])[] = [
  // Objects and arrays: {} and index-keyed objects become lists, duplicate keys keep their first place.
  ['{}', '[]'],
  ['[]', '[]'],
  ['{"a":{},"b":[],"c":{"d":{}}}', '{"a":[],"b":[],"c":{"d":[]}}'],
  ['{"0":"a","1":"b"}', '["a","b"]'],
  ['{"1":"a","0":"b"}', '{"1":"a","0":"b"}'],
  ['{"0":"a","2":"b"}', '{"0":"a","2":"b"}'],
  ['{"1":"a"}', '{"1":"a"}'],
  ['{"00":1,"-0":2,"":3}', '{"00":1,"-0":2,"":3}'],
  ['{"0":{"0":{}}}', '[[[]]]'],
  ['{"\\u0030":"a","1":"b"}', '["a","b"]'],
  ['{"a":1,"b":2,"a":3}', '{"a":3,"b":2}'],
  ['{"0":1,"1":2,"0":3}', '[3,2]'],
  [' { "a" : [ 1 , 2 ] }\r\n', '{"a":[1,2]}'],
  ['[true,false,null]', '[true,false,null]'],
  [indexKeyed(40), `[${range(40).join(',')}]`],
  [indexKeyed(40).replace('}', ',"35":"again"}'), `[${range(40).map((i) => (i === 35 ? '"again"' : i)).join(',')}]`],
  [indexKeyed(40).replace('"39"', '"x"'), indexKeyed(40).replace('"39"', '"x"')],
  [indexKeyed(40).replace('}', ',"x":1,"2":"again"}'), indexKeyed(40).replace('"2":2', '"2":"again"').replace('}', ',"x":1}')],
  // Integers stay as written within int64; beyond, and with a fraction or exponent, they are floats.
  ['123456789012345678', '123456789012345678'],
  ['9223372036854775807', '9223372036854775807'],
  ['-9223372036854775808', '-9223372036854775808'],
  ['9223372036854775808', '9.223372036854776e+18'],
  ['-9223372036854775809', '-9.223372036854776e+18'],
  ['12345678901234567890', '1.2345678901234567e+19'],
  ['-0', '0'],
  ['1.0', '1'],
  ['-0.0', '-0'],
  ['0.0', '0'],
  ['1E2', '100'],
  ['2.5E+3', '2500'],
  ['50.5', '50.5'],
  ['0.1', '0.1'],
  // Floats are positional from 1e-4 to below 1e17, with no ".0"; otherwise exponent form with at least one fraction digit.
  ['0.0001', '0.0001'],
  ['0.00001', '1.0e-5'],
  ['1e-5', '1.0e-5'],
  ['1.25e-7', '1.25e-7'],
  ['-1.5e-10', '-1.5e-10'],
  ['1e16', '10000000000000000'],
  ['9.999999999999998e16', '99999999999999980'],
  ['1e17', '1.0e+17'],
  ['1.5e17', '1.5e+17'],
  ['1e21', '1.0e+21'],
  ['5e-324', '5.0e-324'],
  ['1.7976931348623157e308', '1.7976931348623157e+308'],
  ['1e-400', '0'],
  ['-1e-400', '-0'],
  ['1e400', null],
  ['{"a":-1e400,"b":2,"a":1}', '{"a":1,"b":2}'],
  // Strings: raw UTF-8 and slashes, U+2028/9 escaped, short escapes, other controls as \u00xx in lower case.
  ['"a/b\\/c"', '"a/b/c"'],
  ['"\u2028\u2029"', '"\\u2028\\u2029"'],
  ['"\\u2028"', '"\\u2028"'],
  ['"\\b\\f\\n\\r\\t\\"\\\\"', '"\\b\\f\\n\\r\\t\\"\\\\"'],
  ['"\\u0000\\u0001\\u001F\\u007f\\u0080"', '"\\u0000\\u0001\\u001f\u007f\u0080"'],
  ['"\\u00e9\\ud83d\\ude00\\uD83D\\uDE00"', '"é😀😀"'],
  ['{"\\u0000a":"\u2029"}', '{"\\u0000a":"\\u2029"}'],
  ['"é😀\ufeff"', '"é😀\ufeff"'],
  // What json_decode refuses: lone surrogate escapes, raw controls, bad syntax, nesting past 511.
  ['"\\ud800"', null],
  ['"\\udc00"', null],
  ['"\\ud800x"', null],
  ['"\\udc00\\ud800"', null],
  ['"\\ud800\\u0041"', null],
  ['"a\tb"', null],
  ['"abc', null],
  ['01', null],
  ['[1,]', null],
  ['{"a":1,}', null],
  ['"\\x"', null],
  ['"\\u00"', null],
  ['1.', null],
  ['', null],
  [' ', null],
  ['\ufeff1', null],
  ['[1] x', null],
  ['[' .repeat(511) + ']'.repeat(511), '['.repeat(511) + ']'.repeat(511)],
  ['['.repeat(512) + ']'.repeat(512), null],
  ['['.repeat(510) + '{}' + ']'.repeat(510), '['.repeat(511) + ']'.repeat(511)],
  // A raw lone surrogate is sent as U+FFFD (Node's UTF-8), which PHP keeps.
  ['"a\ud800b"', '"a\ufffdb"'],
];

const shown = (text: string | null): string => JSON.stringify(text !== null && text.length > 40 ? text.slice(0, 40) + '…' : text);

describe('phpJsonRoundTrip', () => {
  for (const [text, expected] of CASES) {
    it(`answers ${shown(expected)} for ${shown(text)}`, () => {
      assert.equal(phpJsonRoundTrip(text), expected);
    });
  }

  it('reads an object of 100,000 keys, repeated ones too, in linear time', () => {
    const keys = range(100_000).map((i) => `"k${i % 90_000}":${i}`);
    const started = process.hrtime.bigint();
    const out = phpJsonRoundTrip(`{${keys.join(',')}}`);
    assert.ok(Number(process.hrtime.bigint() - started) < 2e9, 'under two seconds');
    assert.ok(out?.startsWith('{"k0":90000,"k1":90001,"k2":'), out?.slice(0, 40));
  });
});

/** Up to five differences between ours and PHP's, as readable lines (empty when they agree byte for byte). */
function differences(texts: readonly string[]): string[] {
  const php = realPhpRoundTrips(texts);
  const found: string[] = [];
  texts.forEach((text, i) => {
    const ours = phpJsonRoundTrip(text);
    const theirs = php[i] ?? null;
    const same = ours === null || theirs === null ? ours === theirs : Buffer.from(ours, 'utf8').equals(theirs);
    if (!same && found.length < 5) found.push(`${JSON.stringify(text)}: PHP ${JSON.stringify(theirs?.toString('utf8') ?? null)}, ours ${JSON.stringify(ours)}`);
  });
  return found;
}

/** Samples `count` texts and compares them all with one php process; the seed is in the message to replay a failure. */
function comparesWithPhp(arbitrary: fc.Arbitrary<string>, count: number): void {
  const seed = Number(process.env.TALLY_TEST_SEED ?? Date.now() % 2 ** 31);
  const found = differences(fc.sample(arbitrary, { numRuns: count, seed }));
  assert.deepEqual(found, [], `TALLY_TEST_SEED=${seed}`);
}

await describeWithPhp('the comparison of phpJsonRoundTrip with real PHP', () => {
  describe('phpJsonRoundTrip against real PHP', () => {
    it("agrees with PHP on every case of the table", () => {
      assert.deepEqual(differences(CASES.map(([text]) => text)), []);
    });

    it('agrees byte for byte on JSON texts of every shape (nested, empty, index-keyed, spaced)', () => {
      comparesWithPhp(jsonText, 3000);
    });

    it('agrees byte for byte on numbers of every magnitude and spelling', () => {
      comparesWithPhp(numberToken, 5000);
    });

    it('agrees byte for byte on strings of every kind and escape', () => {
      comparesWithPhp(stringToken, 3000);
    });

    it('agrees byte for byte on what JSON.stringify writes, answers and envelopes included', () => {
      comparesWithPhp(stringifiedValue, 2000);
    });
  });
});
