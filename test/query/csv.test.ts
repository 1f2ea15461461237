import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { csvField, csvHeader, csvRow } from '../../src/query/csv.js';
import { ADMIN_RECORD_KEYS, adminRecord, PUBLIC_RECORD_KEYS, publicRecord } from '../../src/query/record-shape.js';
import type { TelemetryRecord } from '../../src/model/record.js';

function stored(overrides: Partial<TelemetryRecord> = {}): TelemetryRecord {
  return {
    id: 7, api_key_id: 3, product_id: 100, user_identifier: 'u', license_key: 'k', activation_identifier: 'a', product_version: '1.0',
    data_type: 'text', data_group: 'g', data: 'hello', numeric_data_single_value: null, numeric_data_x: null, numeric_data_y: null,
    text_data: 'hello', is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1,
    activation_exists: 1, license_active: 1, has_red_flags: 0, errors: {}, metadata: {}, client_ip: '203.0.113.7', blocked: 0,
    created_at_us: Date.UTC(2024, 1, 27, 1, 57, 24) * 1000 + 42, reported_at_us: null, ...overrides,
  };
}

describe('csvField, raw', () => {
  it('leaves plain values bare and writes null as empty', () => {
    assert.equal(csvField('plain text', 'raw'), 'plain text');
    assert.equal(csvField(-1.5, 'raw'), '-1.5');
    assert.equal(csvField(null, 'raw'), '');
    assert.equal(csvField('=1+2', 'raw'), '=1+2');
  });

  it('quotes commas, quotes, CR and LF, doubling the quotes', () => {
    assert.equal(csvField('a,b', 'raw'), '"a,b"');
    assert.equal(csvField('say "hi"', 'raw'), '"say ""hi"""');
    assert.equal(csvField('one\ntwo', 'raw'), '"one\ntwo"');
    assert.equal(csvField('one\rtwo', 'raw'), '"one\rtwo"');
  });

  it('writes objects as their JSON text', () => {
    assert.equal(csvField({ a: [1] }, 'raw'), '"{""a"":[1]}"');
    assert.equal(csvField([], 'raw'), '[]');
  });
});

describe('csvField, safe (the default)', () => {
  it('puts a quote before a text cell starting with =, +, -, @, tab or CR, and quotes every text cell', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) assert.equal(csvField(`${start}1+1`), `"'${start}1+1"`, JSON.stringify(start));
    assert.equal(csvField("=cmd|' /C calc'!A0"), `"'=cmd|' /C calc'!A0"`);
    assert.equal(csvField('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(csvField('plain text'), '"plain text"');
    assert.equal(csvField('a=1'), '"a=1"');
    assert.equal(csvField({ a: [1] }), '"{""a"":[1]}"');
  });

  it('leaves numbers and empty cells bare (a number is never a formula)', () => {
    assert.equal(csvField(-1.5), '-1.5');
    assert.equal(csvField(null), '');
  });
});

describe('CSV rows', () => {
  it('read back with csv-parse to exactly the record, for awkward text (raw)', () => {
    const awkward = 'Zoë, "quoted"\r\nline two 😀 日本語 =1+2';
    const record = adminRecord(stored({ data: awkward, text_data: awkward, metadata: { os: 'a,"b"' }, errors: { x: ['bad, "very"'] } }));
    const rows = parse(csvHeader() + csvRow(record, 'raw'), { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 1);
    assert.deepEqual(Object.keys(rows[0] ?? {}), [...ADMIN_RECORD_KEYS]);
    assert.deepEqual(ADMIN_RECORD_KEYS, [...PUBLIC_RECORD_KEYS, 'client_ip']);
    assert.equal(rows[0]?.['client_ip'], '203.0.113.7');
    assert.equal(rows[0]?.['text_data'], awkward);
    assert.equal(rows[0]?.['data'], awkward);
    assert.deepEqual(JSON.parse(rows[0]?.['metadata'] ?? ''), { os: 'a,"b"' });
    assert.deepEqual(JSON.parse(rows[0]?.['errors'] ?? ''), { x: ['bad, "very"'] });
    assert.equal(rows[0]?.['numeric_data_x'], '');
  });
});

describe('publicRecord', () => {
  it('has the contract keys in order, six fractional digits, no internal fields, [] for no errors', () => {
    const record = publicRecord(stored());
    assert.deepEqual(Object.keys(record), [...PUBLIC_RECORD_KEYS]);
    assert.equal(record.created_at, '2024-02-27T01:57:24.000042Z');
    assert.equal(record.updated_at, record.created_at);
    assert.deepEqual(record.errors, []);
    assert.deepEqual(record.metadata, {});
    assert.ok(!('api_key_id' in record) && !('client_ip' in record));
  });
});
