import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check } from './report-fixtures.js';

function metadataOf(input: Record<string, unknown>): Record<string, unknown> {
  return { ...check(input).metadata };
}

describe("a report's extra fields and its own metadata object", () => {
  it('keeps extra fields that are objects or arrays exactly as sent, and raises no error for them', () => {
    const flags = ['debug', { beta: true }];
    const record = check({ hwid: { board: 'x1', disks: [1, 2] }, country: 'DE', flags });
    assert.deepEqual({ ...record.metadata }, { hwid: { board: 'x1', disks: [1, 2] }, country: 'DE', flags });
    assert.equal(Object.keys(record.errors).some((field) => ['hwid', 'country', 'flags'].includes(field)), false);
  });

  it("merges a client's metadata object into the record's metadata", () => {
    assert.deepEqual(metadataOf({ metadata: { os: 'linux', build: 7, nested: { a: [1] } }, hwid: 'h-1' }), { os: 'linux', build: 7, nested: { a: [1] }, hwid: 'h-1' });
  });

  it('lets an extra field win over a metadata entry of the same name, and a raw_ note win over both', () => {
    const merged = metadataOf({ metadata: { os: 'from-metadata', raw_product_id: 'forged' }, os: 'top-level', product_id: 'abc' });
    assert.equal(merged['os'], 'top-level');
    assert.equal(merged['raw_product_id'], 'abc');
  });

  it('keeps a metadata that is not an object as metadata.metadata, as sent', () => {
    assert.deepEqual(metadataOf({ metadata: ['a', 'b'] }), { metadata: ['a', 'b'] });
    assert.deepEqual(metadataOf({ metadata: 'plain' }), { metadata: 'plain' });
  });

  it('keeps a metadata entry named __proto__ as plain data', () => {
    const merged = metadataOf(JSON.parse('{"metadata": {"__proto__": {"polluted": 1}}}') as Record<string, unknown>);
    assert.deepEqual(Object.keys(merged), ['__proto__']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});
