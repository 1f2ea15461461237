import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_FOUND, check, NOTHING_FOUND, validReport } from './report-fixtures.js';

describe('ingest rules, field by field', () => {
  it('accepts a complete numeric-single-value report with no errors', () => {
    const record = check(validReport());
    assert.deepEqual(record.errors, {});
    assert.equal(record.is_correct_format, 1);
    assert.equal(record.numeric_data_single_value, 50);
    assert.equal(record.data, '50');
  });

  it('reports the published example errors, in the published order, for a report with only a bad product and a value', () => {
    const record = check({ product_id: '1', numeric_data_single_value: '50' }, NOTHING_FOUND);
    assert.deepEqual(Object.entries(record.errors), [
      ['product_id', ['The selected product id is invalid.']],
      ['user_identifier', ['The user identifier field is required.']],
      ['license_key', ['The license key field is required.']],
      ['activation_identifier', ['The activation identifier field is required.']],
      ['product_version', ['The product version field is required.']],
      ['data_type', ['The data type field is required.']],
      ['data_group', ['The data group field is required.']],
    ]);
  });

  it('says product id is required when it is missing or blank', () => {
    assert.deepEqual(check(validReport({ product_id: undefined })).errors['product_id'], ['The product id field is required.']);
    assert.deepEqual(check(validReport({ product_id: '   ' })).errors['product_id'], ['The product id field is required.']);
  });

  it('says the product id is invalid when it is not an integer, and keeps the raw value as metadata', () => {
    for (const raw of ['abc', '1.5', '-1', '01', '1e3', '99999999999999999999']) {
      const record = check(validReport({ product_id: raw }), NOTHING_FOUND);
      assert.deepEqual(record.errors['product_id'], ['The selected product id is invalid.'], raw);
      assert.equal(record.product_id, null, raw);
      assert.equal(record.metadata['raw_product_id'], raw, raw);
    }
  });

  it('says the product id is invalid for an unknown product, an inactive product, and a product outside the key scope', () => {
    assert.deepEqual(check(validReport(), NOTHING_FOUND).errors['product_id'], ['The selected product id is invalid.']);
    const inactive = { ...ALL_FOUND, product: { id: 1, active: false } };
    assert.deepEqual(check(validReport(), inactive).errors['product_id'], ['The selected product id is invalid.']);
    const outOfScope = check(validReport(), ALL_FOUND, { allowedProducts: [2] });
    assert.deepEqual(outOfScope.errors['product_id'], ['The selected product id is invalid.']);
    assert.equal(outOfScope.product_id, 1, 'the product id sent is still stored');
  });

  it('accepts a product inside the key scope', () => {
    assert.deepEqual(check(validReport(), ALL_FOUND, { allowedProducts: [3, 1] }).errors, {});
  });

  for (const field of ['user_identifier', 'license_key', 'activation_identifier', 'product_version', 'data_group']) {
    const label = field.replaceAll('_', ' ');
    it(`requires ${field} and limits it to 255 characters, keeping an over-long value whole`, () => {
      assert.deepEqual(check(validReport({ [field]: '' })).errors[field], [`The ${label} field is required.`]);
      assert.deepEqual(check(validReport({ [field]: 'é'.repeat(255) })).errors, {});
      const long = 'x'.repeat(256);
      const record = check(validReport({ [field]: long }));
      assert.deepEqual(record.errors[field], [`The ${label} field must not be greater than 255 characters.`]);
      assert.equal((record as unknown as Record<string, unknown>)[field], long);
    });
  }

  it('counts characters as code points, so 255 emoji fit in 255 characters', () => {
    assert.deepEqual(check(validReport({ user_identifier: '😀'.repeat(255) })).errors, {});
    assert.ok(check(validReport({ user_identifier: '😀'.repeat(256) })).errors['user_identifier']);
  });

  it('requires a data type and accepts only the three published ones', () => {
    assert.deepEqual(check(validReport({ data_type: undefined })).errors['data_type'], ['The data type field is required.']);
    assert.deepEqual(check(validReport({ data_type: 'numeric' })).errors['data_type'], ['The selected data type is invalid.']);
    assert.deepEqual(check(validReport({ data_type: 'TEXT' })).errors['data_type'], ['The selected data type is invalid.']);
  });

  it('requires the single value when the data type is numeric-single-value', () => {
    const record = check(validReport({ numeric_data_single_value: ' ' }));
    assert.deepEqual(record.errors, {
      numeric_data_single_value: ['The numeric data single value field is required when data type is numeric-single-value.'],
    });
    assert.equal(record.data, null);
  });

  it('requires x and y when the data type is numeric-xy-axis and stores data as {"x","y"} JSON', () => {
    const missing = check(validReport({ data_type: 'numeric-xy-axis', numeric_data_single_value: undefined }));
    assert.deepEqual(missing.errors, {
      numeric_data_x: ['The numeric data x field is required when data type is numeric-xy-axis.'],
      numeric_data_y: ['The numeric data y field is required when data type is numeric-xy-axis.'],
    });
    const ok = check(validReport({ data_type: 'numeric-xy-axis', numeric_data_x: '1', numeric_data_y: '-2.5' }));
    assert.deepEqual(ok.errors, {});
    assert.equal(ok.data, '{"x":"1","y":"-2.5"}');
    assert.equal(ok.numeric_data_x, 1);
    assert.equal(ok.numeric_data_y, -2.5);
  });

  it('requires text when the data type is text and limits it to 65535 characters', () => {
    const base = { data_type: 'text', numeric_data_single_value: undefined };
    assert.deepEqual(check(validReport({ ...base })).errors, { text_data: ['The text data field is required when data type is text.'] });
    assert.deepEqual(check(validReport({ ...base, text_data: 'a'.repeat(65535) })).errors, {});
    const long = check(validReport({ ...base, text_data: 'a'.repeat(65536) }));
    assert.deepEqual(long.errors, { text_data: ['The text data field must not be greater than 65535 characters.'] });
    assert.equal(long.text_data?.length, 65536);
    assert.equal(check(validReport({ ...base, text_data: 'hello' })).data, 'hello');
  });

  it('says a value that is not a number must be a number, and keeps it as sent', () => {
    for (const raw of ['abc', 'NaN', 'Infinity', '-Infinity', '0x10', '1e999', '1,5', '1.2.3', '--1', 'e5', '.']) {
      const record = check(validReport({ numeric_data_single_value: raw }));
      assert.deepEqual(record.errors, { numeric_data_single_value: ['The numeric data single value field must be a number.'] }, raw);
      assert.equal(record.numeric_data_single_value, null, raw);
      assert.equal(record.data, raw, raw);
      assert.equal(record.metadata['raw_numeric_data_single_value'], raw, raw);
    }
  });

  it('accepts plain decimals with sign, fraction and exponent', () => {
    const cases: [string, number][] = [['50', 50], ['-1.5', -1.5], ['+3', 3], ['2e3', 2000], ['1.5E-2', 0.015], ['.5', 0.5], ['5.', 5], ['1e308', 1e308]];
    for (const [raw, value] of cases) {
      const record = check(validReport({ numeric_data_single_value: raw }));
      assert.deepEqual(record.errors, {}, raw);
      assert.equal(record.numeric_data_single_value, value, raw);
    }
  });

  it('checks a number sent for another data type too, without requiring it', () => {
    const record = check(validReport({ numeric_data_x: 'abc' }));
    assert.deepEqual(record.errors, { numeric_data_x: ['The numeric data x field must be a number.'] });
  });

  it('trims values and treats an empty value as missing', () => {
    const record = check(validReport({ user_identifier: '  bob \n', data_group: '\t' }));
    assert.equal(record.user_identifier, 'bob');
    assert.deepEqual(record.errors, { data_group: ['The data group field is required.'] });
    assert.equal(record.data_group, null);
  });

  it('says a field sent as an array or object must be a string, and keeps what was sent', () => {
    const record = check(validReport({ user_identifier: ['a', 'b'], data_group: { x: '1' } }));
    assert.deepEqual(record.errors, {
      user_identifier: ['The user identifier field must be a string.'],
      data_group: ['The data group field must be a string.'],
    });
    assert.deepEqual(record.metadata['raw_user_identifier'], ['a', 'b']);
    assert.deepEqual(record.metadata['raw_data_group'], { x: '1' });
    assert.equal(record.user_identifier, null);
  });

  it('accepts JSON numbers and booleans as their text', () => {
    const record = check(validReport({ product_id: 1, numeric_data_single_value: 50.25 }));
    assert.deepEqual(record.errors, {});
    assert.equal(record.data, '50.25');
    assert.equal(check(validReport({ user_identifier: true })).user_identifier, 'true');
  });

  it('keeps fields outside the table as metadata, as sent, but never the api key', () => {
    const record = check(validReport({ api_key: 'secret', os: ' linux ', tags: ['a', 'b'], __proto__field: 'x' }));
    assert.deepEqual({ ...record.metadata }, { os: ' linux ', tags: ['a', 'b'], __proto__field: 'x' });
  });

  it('keeps a field called __proto__ as plain metadata', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "product_id": "1"}') as Record<string, unknown>;
    const record = check(input);
    assert.deepEqual(Object.getOwnPropertyDescriptor(record.metadata, '__proto__')?.value, { polluted: true });
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('never throws, whatever the input holds', () => {
    const weird: unknown[] = [null, undefined, 0, -0, NaN, Infinity, true, [], {}, [[]], 'x'.repeat(70000), '\u0000', '\ud800', Symbol('s'), () => 1, 10n];
    for (const value of weird) {
      for (const field of ['product_id', 'data_type', 'numeric_data_single_value', 'text_data', 'user_identifier', 'extra']) {
        assert.doesNotThrow(() => check(validReport({ [field]: value })), `${field}=${String(value)}`);
      }
    }
  });
});
