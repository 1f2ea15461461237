import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TelemetryRecord } from '../../src/model/record.js';
import { publicRecord } from '../../src/query/record-shape.js';
import { rowWeight, withinWeight } from '../../src/store/contract/record-weight.js';

function storedRecord(overrides: Partial<TelemetryRecord> = {}): TelemetryRecord {
  return {
    id: 1, api_key_id: null, product_id: null, user_identifier: null, license_key: null, activation_identifier: null, product_version: null,
    data_type: null, data_group: null, data: null, numeric_data_single_value: null, numeric_data_x: null, numeric_data_y: null,
    text_data: null, is_correct_format: 0, license_key_exists: 0, product_exists: 0, product_version_exists: 0, activation_exists: 0,
    license_active: 0, has_red_flags: 1, blocked: 0, errors: {}, metadata: {}, client_ip: null, created_at_us: 0, reported_at_us: null, ...overrides,
  };
}

/** The record as a store row: its JSON columns as their text. */
function asRow(record: TelemetryRecord): Record<string, unknown> {
  return { ...record, errors: JSON.stringify(record.errors), metadata: JSON.stringify(record.metadata) };
}

function answerBytes(record: TelemetryRecord): number {
  return Buffer.byteLength(JSON.stringify(publicRecord(record))) + 1;
}

describe('record weight', () => {
  const texts = ['', 'plain', 'é€😀 mixed', '"quotes" and \\ backslashes', '\u0001\u0002 controls \n\t', '\ud800 lone surrogate', 'x'.repeat(70_000)];
  for (const text of texts) {
    it(`is at most the bytes the record takes in an answer (${JSON.stringify(text.slice(0, 20))})`, () => {
      const record = storedRecord({
        user_identifier: text, license_key: text, activation_identifier: text, product_version: text, data_type: text, data_group: text,
        data: text, text_data: text, errors: { text: [text] }, metadata: { text },
      });
      assert.ok(rowWeight(asRow(record)) <= answerBytes(record));
    });
  }

  it('of a record with no texts at all is still at most its bytes in an answer', () => {
    const record = storedRecord();
    assert.ok(rowWeight(asRow(record)) <= answerBytes(record), `${rowWeight(asRow(record))} > ${answerBytes(record)}`);
  });

  it('bounds a page: rows while the weight before them is under the bound, then one more', () => {
    const page = (weights: number[], maxBytes: number, limit = 100): number[] => withinWeight(weights, { afterId: 0, limit, maxBytes }, (w) => w);
    assert.deepEqual(page([10, 10, 10, 10], 15), [10, 10, 10]);
    assert.deepEqual(page([10, 10, 10, 10], 20), [10, 10, 10]);
    assert.deepEqual(page([10, 10, 10, 10], 21), [10, 10, 10, 10]);
    assert.deepEqual(page([100, 1, 1], 1), [100, 1]);
    assert.deepEqual(page([10, 10, 10, 10], 1000, 2), [10, 10]);
    assert.deepEqual(page([], 1), []);
  });
});
