import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFilter, type ParsedQuery } from '../../src/query/parse-filter.js';

function ok(input: Record<string, unknown>, scope: number[] = []): Extract<ParsedQuery, { ok: true }> {
  const parsed = parseFilter(input, scope);
  assert.ok(parsed.ok, `expected no errors, got ${JSON.stringify(parsed)}`);
  return parsed;
}

function errors(input: Record<string, unknown>): Record<string, string[]> {
  const parsed = parseFilter(input, []);
  assert.ok(!parsed.ok, `expected errors for ${JSON.stringify(input)}`);
  return parsed.errors;
}

const US = 1_000_000;

describe('parseFilter: defaults and plain filters', () => {
  it('reads no fields as every record, the first page of 100', () => {
    assert.deepEqual(ok({}), { ok: true, filter: { productIds: null }, page: { afterId: 0, limit: 100 } });
  });

  it('reads each text filter trimmed, under its filter name', () => {
    const { filter } = ok({
      data_type: ' text ', data_group: 'g', user_identifier: 'u', license_key: 'k', activation_identifier: 'a', product_version: '1.0',
    });
    assert.deepEqual(filter, {
      productIds: null, dataType: 'text', dataGroup: 'g', userIdentifier: 'u', licenseKey: 'k', activationIdentifier: 'a', productVersion: '1.0',
    });
  });

  it('counts empty and blank values as absent', () => {
    assert.deepEqual(ok({ product_id: '', data_group: '   ', limit: '', after_id: ' ', has_red_flags: '' }), ok({}));
  });

  it('ignores unknown fields and api_key', () => {
    assert.deepEqual(ok({ api_key: 'tly_x', colour: 'blue', 'data_group[]': ['x'] }), ok({}));
  });

  it('reads every flag as 1, 0, true or false', () => {
    const words = { is_correct_format: 'true', product_exists: 'false', license_key_exists: 'true', product_version_exists: 'false', activation_exists: '1', license_active: '0', has_red_flags: 'true' };
    assert.deepEqual(ok(words).filter.flags, { is_correct_format: 1, product_exists: 0, license_key_exists: 1, product_version_exists: 0, activation_exists: 1, license_active: 0, has_red_flags: 1 });
    assert.deepEqual(ok({ has_red_flags: true, blocked: false }).filter, { productIds: null, flags: { has_red_flags: 1 }, blocked: 0 }, 'JSON booleans');
    assert.equal(ok({ blocked: ' true ' }).filter.blocked, 1);
  });

  it('reads a text filter of any length, so every stored value can be looked for', () => {
    for (const length of [255, 256, 300, 20_000, 100_000]) {
      assert.equal(ok({ user_identifier: 'u'.repeat(length) }).filter.userIdentifier?.length, length);
    }
    assert.equal(ok({ license_key: '😀'.repeat(300) }).filter.licenseKey, '😀'.repeat(300));
  });

  it('reads a lone surrogate as U+FFFD, as the store keeps it', () => {
    assert.equal(ok({ user_identifier: 'a\ud800b' }).filter.userIdentifier, 'a\ufffdb');
  });

  it('reads every flag as 0 or 1', () => {
    const input = { is_correct_format: '1', product_exists: '0', license_key_exists: '1', product_version_exists: '0', activation_exists: '1', license_active: '0', has_red_flags: '1' };
    assert.deepEqual(ok(input).filter.flags, { is_correct_format: 1, product_exists: 0, license_key_exists: 1, product_version_exists: 0, activation_exists: 1, license_active: 0, has_red_flags: 1 });
  });

  it('takes JSON numbers as their text', () => {
    const { filter, page } = ok({ product_id: 7, limit: 5, has_red_flags: 1 });
    assert.deepEqual(filter, { productIds: [7], flags: { has_red_flags: 1 } });
    assert.equal(page.limit, 5);
  });

  it('reads limit and after_id', () => {
    assert.deepEqual(ok({ limit: '1', after_id: '0' }).page, { afterId: 0, limit: 1 });
    assert.deepEqual(ok({ limit: '1000', after_id: '9007199254740991' }).page, { afterId: 9007199254740991, limit: 1000 });
  });
});

describe('parseFilter: product scope', () => {
  it('leaves productIds null for an unscoped key without product_id', () => {
    assert.equal(ok({}).filter.productIds, null);
  });

  it('limits an unscoped key to the product asked for', () => {
    assert.deepEqual(ok({ product_id: '12' }).filter.productIds, [12]);
  });

  it('limits a scoped key to its products', () => {
    assert.deepEqual(ok({}, [2, 3]).filter.productIds, [2, 3]);
  });

  it('keeps a product the scoped key may see', () => {
    assert.deepEqual(ok({ product_id: '3' }, [2, 3]).filter.productIds, [3]);
  });

  it('matches nothing when a scoped key asks for a product outside its scope', () => {
    assert.deepEqual(ok({ product_id: '1' }, [2, 3]).filter.productIds, []);
  });
});

describe('parseFilter: dates', () => {
  const at = Date.UTC(2024, 1, 27, 1, 57, 24) * 1000;

  it('reads Unix seconds, `to` covering the whole second', () => {
    const { filter } = ok({ from: String(at / US), to: String(at / US) });
    assert.equal(filter.fromUs, at);
    assert.equal(filter.toUs, at + US - 1);
  });

  it('reads ISO-8601 with microseconds and Z exactly', () => {
    const { filter } = ok({ from: '2024-02-27T01:57:24.123456Z', to: '2024-02-27T01:57:24.123456Z' });
    assert.equal(filter.fromUs, at + 123_456);
    assert.equal(filter.toUs, at + 123_456);
  });

  it('reads a date alone as that whole UTC day', () => {
    const { filter } = ok({ from: '2024-02-27', to: '2024-02-27' });
    assert.equal(filter.fromUs, Date.UTC(2024, 1, 27) * 1000);
    assert.equal(filter.toUs, Date.UTC(2024, 1, 28) * 1000 - 1);
  });

  it('reads offsets, a space for T, and a space where a query string decoded the + of an offset', () => {
    for (const text of ['2024-02-27T02:57:24+01:00', '2024-02-27 02:57:24+0100', '2024-02-27T02:57:24 01:00', '2024-02-26T23:57:24-02:00']) {
      assert.equal(ok({ from: text }).filter.fromUs, at, text);
    }
  });

  it('reads a date-time without offset as UTC, to the minute', () => {
    const { filter } = ok({ from: '2024-02-27T01:57', to: '2024-02-27T01:57' });
    assert.equal(filter.fromUs, at - 24 * US);
    assert.equal(filter.toUs, at - 24 * US + 60 * US - 1);
  });

  it('refuses impossible and unparseable dates', () => {
    for (const text of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-02-27T24:00', '27/02/2024', 'yesterday', '2024-02-27T01:57:24+25:00', '1e9']) {
      assert.deepEqual(errors({ from: text }), { from: ['The from field must be a valid date.'] }, text);
    }
  });

  it('accepts a leap day', () => {
    assert.equal(ok({ from: '2024-02-29' }).filter.fromUs, Date.UTC(2024, 1, 29) * 1000);
  });

  it('accepts `to` equal to `from` and refuses `to` before `from`', () => {
    ok({ from: '2024-02-27', to: '2024-02-27' });
    assert.deepEqual(errors({ from: '2024-02-27', to: '2024-02-26T23:59:59Z' }), { to: ['The to field must be a date after or equal to from.'] });
  });
});

describe('parseFilter: malformed filters', () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ product_id: 'abc' }, 'product_id', 'The product id field must be an integer.'],
    [{ product_id: '1.5' }, 'product_id', 'The product id field must be an integer.'],
    [{ product_id: '01' }, 'product_id', 'The product id field must be an integer.'],
    [{ product_id: ['1'] }, 'product_id', 'The product id field must be an integer.'],
    [{ data_type: 'numeric' }, 'data_type', 'The selected data type is invalid.'],
    [{ data_type: ['text'] }, 'data_type', 'The data type field must be a string.'],
    [{ data_group: ['a', 'b'] }, 'data_group', 'The data group field must be a string.'],
    [{ user_identifier: { a: '1' } }, 'user_identifier', 'The user identifier field must be a string.'],
    [{ activation_identifier: ['a'] }, 'activation_identifier', 'The activation identifier field must be a string.'],
    [{ has_red_flags: '2' }, 'has_red_flags', 'The has red flags field must be 1, 0, true or false.'],
    [{ license_active: 'True' }, 'license_active', 'The license active field must be 1, 0, true or false.'],
    [{ blocked: 'yes' }, 'blocked', 'The blocked field must be 1, 0, true or false.'],
    [{ is_correct_format: ['1'] }, 'is_correct_format', 'The is correct format field must be 1, 0, true or false.'],
    [{ from: 'soon' }, 'from', 'The from field must be a valid date.'],
    [{ to: ['2024-01-01'] }, 'to', 'The to field must be a valid date.'],
    [{ limit: 'abc' }, 'limit', 'The limit field must be an integer.'],
    [{ limit: '0' }, 'limit', 'The limit field must be between 1 and 1000.'],
    [{ limit: '1001' }, 'limit', 'The limit field must be between 1 and 1000.'],
    [{ limit: '-5' }, 'limit', 'The limit field must be between 1 and 1000.'],
    [{ after_id: 'x' }, 'after_id', 'The after id field must be an integer.'],
    [{ after_id: '9007199254740993' }, 'after_id', 'The after id field must be an integer.'],
    [{ after_id: '-1' }, 'after_id', 'The after id field must be at least 0.'],
  ];
  for (const [input, field, message] of cases) {
    it(`says "${message}" for ${JSON.stringify(input).slice(0, 60)}`, () => {
      assert.deepEqual(errors(input), { [field]: [message] });
    });
  }

  it('lists every error in field order, whatever order the fields came in', () => {
    const found = errors({ after_id: 'x', limit: 'abc', to: 'no', from: 'no', has_red_flags: '5', is_correct_format: '9', product_version: ['1'], data_type: 'x', product_id: 'p' });
    assert.deepEqual(Object.keys(found), ['product_id', 'data_type', 'product_version', 'is_correct_format', 'has_red_flags', 'from', 'to', 'limit', 'after_id']);
  });
});
