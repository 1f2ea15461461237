import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MalformedBodyError, parseUrlEncoded } from '../../src/http/body/urlencoded.js';
import { RESERVED_FIELDS } from '../../src/telemetry/fields.js';

const KNOWN = [...RESERVED_FIELDS, 'metadata'];

/** Every character of `text` as a percent-escape of its UTF-8 bytes. */
function escapedEntirely(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');
}

/** A name as it is when nothing in it needs escaping, else percent-encoded where needed. */
function asItIs(name: string): string {
  return /^[\w.-]*$/.test(name) ? name : encodeURIComponent(name);
}

/** A name as a client may spell it: as it is, percent-encoded where needed, or every character escaped. */
const spelling = fc.constantFrom<(name: string) => string>(asItIs, encodeURIComponent, escapedEntirely);

/** Plain names (no brackets): the report's own, near misses of them, and any other text. */
const plainName = fc.oneof(
  fc.constantFrom(...KNOWN),
  fc.constantFrom(...KNOWN).map((name) => `${name}x`),
  fc.constantFrom(...KNOWN).map((name) => name.slice(1)),
  fc.string({ minLength: 1, maxLength: 30 }).filter((name) => !name.includes('[') && !name.includes(']')),
);

describe('parseUrlEncoded', () => {
  it('reads every name, however it is spelled, as its decoded text; the last value of a repeated name wins', () => {
    const pair = fc.tuple(plainName, fc.string({ maxLength: 20 }), spelling);
    fc.assert(fc.property(fc.array(pair, { maxLength: 12 }), (pairs) => {
      const body = pairs.map(([name, value, spell]) => `${spell(name)}=${encodeURIComponent(value)}`).join('&');
      const expected: Record<string, string> = {};
      // Defined, not assigned: fast-check generates `__proto__` now and then, which the parser keeps as a plain field.
      for (const [name, value] of pairs) Object.defineProperty(expected, name, { value, enumerable: true, writable: true, configurable: true });
      assert.deepEqual({ ...parseUrlEncoded(body) }, expected);
    }));
  });

  it('reads a report the way the published example sends it', () => {
    const fields = parseUrlEncoded('api_key=k&data_type=numeric-single-value&numeric_data_single_value=45&product_id=1&user_identifier=u+1&data_group=test_group');
    assert.deepEqual({ ...fields }, {
      api_key: 'k', data_type: 'numeric-single-value', numeric_data_single_value: '45', product_id: '1', user_identifier: 'u 1', data_group: 'test_group',
    });
  });

  it('keeps a bracketed known name as a list or an object, and a known name without a value as empty', () => {
    const fields = parseUrlEncoded('license_key[]=a&license_key[]=b&data_group[os]=linux&api_key');
    assert.deepEqual(fields['license_key'], ['a', 'b']);
    assert.deepEqual({ ...(fields['data_group'] as object) }, { os: 'linux' });
    assert.equal(fields['api_key'], '');
  });

  it('keeps a field named `__proto__` as plain data', () => {
    const fields = parseUrlEncoded('__proto__=x&api_key=k');
    assert.equal(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value, 'x');
    assert.equal(fields['api_key'], 'k');
  });

  it('refuses a malformed escape in a name or a value', () => {
    assert.throws(() => parseUrlEncoded('api_key=%zz'), MalformedBodyError);
    assert.throws(() => parseUrlEncoded('api%zzkey=1'), MalformedBodyError);
  });
});
