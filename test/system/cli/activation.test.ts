import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempTally } from './cli-helper.js';

describe('tally activation create', () => {
  it('records an activation of a license found by its key, and recording it again returns the same one', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['product', 'create', '--name', 'Desk App']);
    await tally.json(['license', 'create', '--product', '1', '--key', 'K-1']);
    const first = await tally.json<Record<string, unknown>>(['activation', 'create', '--license', 'K-1', '--identifier', 'machine-7']);
    assert.deepEqual(first, { ...first, id: 1, identifier: 'machine-7', license_id: 1, license_key: 'K-1', product_id: 1 });
    const again = await tally.json<Record<string, unknown>>(['activation', 'create', '--license', 'K-1', '--identifier', 'machine-7']);
    assert.equal(again.id, 1);
  });

  it('exits 1 for a license key that does not exist', async (t) => {
    const tally = await tempTally(t);
    const result = await tally.run(['activation', 'create', '--license', 'NOPE', '--identifier', 'machine-7']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /No license "NOPE"/);
  });

  it('asks for --product when the key exists for several products, and uses it when given', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['product', 'create', '--name', 'Desk App']);
    await tally.json(['product', 'create', '--name', 'Mobile App']);
    await tally.json(['license', 'create', '--product', '1', '--key', 'SHARED']);
    await tally.json(['license', 'create', '--product', '2', '--key', 'SHARED']);
    const ambiguous = await tally.run(['activation', 'create', '--license', 'SHARED', '--identifier', 'machine-7']);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /several products \(1, 2\).*--product/);
    const chosen = await tally.json<{ product_id: number; license_id: number }>(['activation', 'create', '--license', 'SHARED', '--identifier', 'machine-7', '--product', '2']);
    assert.deepEqual([chosen.product_id, chosen.license_id], [2, 2]);
  });
});
