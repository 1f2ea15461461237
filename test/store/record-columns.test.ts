import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TEXT_FILTERS } from '../../src/model/filter.js';
import { FLAG_NAMES } from '../../src/model/record.js';
import { RECORD_COLUMNS } from '../../src/model/record-columns.js';
import { PUBLIC_RECORD_KEYS, publicRecord } from '../../src/query/record-shape.js';
import { columnValues, DATA_READ_SQL, TELEMETRY_INSERT_COLUMNS, TELEMETRY_SELECT } from '../../src/store/contract/telemetry-columns.js';
import { COLUMN_GROUPS } from '../../src/store/sqlite/telemetry/insert-batch.js';
import { numericRecord } from './numeric-record.js';

const sorted = (values: readonly string[]): string[] => [...values].sort();

describe('the column table (model/record-columns.ts) and what is derived from it', () => {
  it('gives the public record the contract’s keys, in the contract’s order', () => {
    assert.deepEqual(PUBLIC_RECORD_KEYS, [
      'id', 'user_identifier', 'license_key', 'activation_identifier', 'product_id', 'product_version',
      'data_type', 'data_group', 'data', 'numeric_data_single_value', 'numeric_data_x', 'numeric_data_y', 'text_data',
      'is_correct_format', 'license_key_exists', 'product_exists', 'product_version_exists', 'activation_exists',
      'license_active', 'has_red_flags', 'blocked', 'errors', 'metadata', 'created_at', 'updated_at', 'reported_at',
    ]);
  });

  it('writes the 26 stored columns, and selects each under its record field', () => {
    assert.deepEqual(sorted(TELEMETRY_INSERT_COLUMNS), sorted([
      'api_key_id', 'product_id', 'user_identifier', 'license_key', 'activation_identifier', 'product_version',
      'data_type', 'data_group', 'data', 'numeric_data_single_value', 'numeric_data_x', 'numeric_data_y', 'text_data',
      'is_correct_format', 'product_exists', 'license_key_exists', 'product_version_exists', 'activation_exists',
      'license_active', 'has_red_flags', 'blocked', 'errors', 'metadata', 'created_at', 'reported_at', 'client_ip',
    ]));
    const selected = TELEMETRY_SELECT.replace(DATA_READ_SQL, 'data_read').split(', ');
    const as: Partial<Record<string, string>> = { created_at: 'created_at AS created_at_us', reported_at: 'reported_at AS reported_at_us', data: 'data_read AS data' };
    assert.deepEqual(selected, ['id', ...TELEMETRY_INSERT_COLUMNS.map((c) => as[c] ?? c)]);
  });

  it('reads a record’s values in the INSERT’s column order', () => {
    const record = numericRecord(7);
    const fields = TELEMETRY_INSERT_COLUMNS.map((c) => (c === 'created_at' || c === 'reported_at' ? `${c}_us` : c));
    assert.deepEqual(columnValues(record), fields.map((field) => record[field as keyof typeof record]));
  });

  it('binds a text report\'s data, which repeats its text_data, as NULL (its value is stored once)', () => {
    const record = { ...numericRecord(7), data_type: 'text', data: 'hello', text_data: 'hello', numeric_data_single_value: null };
    const values = columnValues(record);
    assert.equal(values[TELEMETRY_INSERT_COLUMNS.indexOf('data')], null);
    assert.equal(values[TELEMETRY_INSERT_COLUMNS.indexOf('text_data')], 'hello');
  });

  it('keeps the six column groups of the SQLite batch writer', () => {
    assert.deepEqual(COLUMN_GROUPS.map(sorted), [
      ['api_key_id', 'client_ip', 'created_at'],
      ['product_id', 'user_identifier', 'license_key', 'activation_identifier', 'product_version'],
      ['data_type', 'data_group'],
      ['data', 'numeric_data_single_value', 'reported_at'],
      ['numeric_data_x', 'numeric_data_y', 'text_data'],
      ['is_correct_format', 'product_exists', 'license_key_exists', 'product_version_exists', 'activation_exists', 'license_active', 'has_red_flags', 'blocked', 'errors', 'metadata'],
    ].map(sorted));
  });

  it('compares the six text filters with their columns', () => {
    assert.deepEqual(sorted(TEXT_FILTERS.map(([field, column]) => `${field}=${column}`)), sorted([
      'dataType=data_type', 'dataGroup=data_group', 'userIdentifier=user_identifier', 'licenseKey=license_key',
      'activationIdentifier=activation_identifier', 'productVersion=product_version',
    ]));
  });

  it('names every check of FLAG_NAMES as a flag column', () => {
    const flags = RECORD_COLUMNS.filter((c) => c.type === 'flag').map((c) => c.field);
    assert.deepEqual(sorted(FLAG_NAMES), sorted(flags.filter((f) => f !== 'blocked')));
  });

  it('shows a stored record with created_at twice and errors as [] when empty', () => {
    const shown = publicRecord({ ...numericRecord(3), id: 9, created_at_us: 1_700_000_000_000_001 });
    assert.equal(shown.created_at, '2023-11-14T22:13:20.000001Z');
    assert.equal(shown.updated_at, shown.created_at);
    assert.deepEqual(shown.errors, []);
    assert.deepEqual(publicRecord({ ...numericRecord(3), id: 9, errors: { data: ['bad'] } }).errors, { data: ['bad'] });
  });
});
