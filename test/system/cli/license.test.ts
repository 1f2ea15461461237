import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { FIXTURES, tempTally, type TempTally } from './cli-helper.js';

/** A data dir with products 1 and 2. */
async function withProducts(t: TestContext): Promise<TempTally> {
  const tally = await tempTally(t);
  await tally.json(['product', 'create', '--name', 'Desk App']);
  await tally.json(['product', 'create', '--name', 'Mobile App']);
  return tally;
}

describe('tally license create', () => {
  it('creates a license and prints id and key first with --json, the expiry normalised', async (t) => {
    const tally = await withProducts(t);
    const license = await tally.json<Record<string, unknown>>(['license', 'create', '--product', '1', '--key', 'K-1', '--expires-at', '2030-01-01T12:00+02:00']);
    assert.deepEqual(Object.keys(license).slice(0, 2), ['id', 'key']);
    assert.deepEqual(license, { id: 1, key: 'K-1', product_id: 1, status: 'active', expires_at: '2030-01-01T10:00:00.000Z', max_activations: null });
  });

  it('exits 1 when the same key already exists for the product, and allows it for another product', async (t) => {
    const tally = await withProducts(t);
    assert.equal((await tally.run(['license', 'create', '--product', '1', '--key', 'K-1'])).code, 0);
    const duplicate = await tally.run(['license', 'create', '--product', '1', '--key', 'K-1', '--status', 'blocked']);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, /License "K-1" already exists for product 1/);
    assert.equal((await tally.run(['license', 'create', '--product', '2', '--key', 'K-1'])).code, 0);
  });

  it('exits 1 for an expiry that is not an ISO-8601 date, a bad status or an unknown product', async (t) => {
    const tally = await withProducts(t);
    for (const expiry of ['next year', '2030-02-30', '01/02/2030']) {
      const result = await tally.run(['license', 'create', '--product', '1', '--key', 'K-1', '--expires-at', expiry]);
      assert.equal(result.code, 1, expiry);
      assert.match(result.stderr, /ISO-8601/);
    }
    assert.match((await tally.run(['license', 'create', '--product', '1', '--key', 'K-1', '--status', 'paused'])).stderr, /active or blocked/);
    assert.match((await tally.run(['license', 'create', '--product', '9', '--key', 'K-1'])).stderr, /No product with id 9/);
    await tally.withStore(async (store) => assert.deepEqual(await store.registry.findLicenses('K-1'), []));
  });
});

describe('tally license import', () => {
  it('imports a CSV file with a header row', async (t) => {
    const tally = await withProducts(t);
    const result = await tally.run(['license', 'import', path.join(FIXTURES, 'licenses.csv')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Imported 3 license/);
    await tally.withStore(async (store) => {
      const [blocked] = await store.registry.findLicenses('CSV-BBB');
      assert.equal(blocked?.status, 'blocked');
      assert.equal(blocked?.expires_at, null);
      const [zoned] = await store.registry.findLicenses('CSV-CCC');
      assert.equal(zoned?.product_id, 2);
      assert.equal(zoned?.expires_at, '2031-06-30T10:00:00.000Z');
    });
  });

  it('imports an NDJSON file, skipping blank lines', async (t) => {
    const tally = await withProducts(t);
    const result = await tally.run(['license', 'import', path.join(FIXTURES, 'licenses.ndjson')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Imported 3 license/);
    await tally.withStore(async (store) => {
      const [license] = await store.registry.findLicenses('ND-BBB');
      assert.deepEqual([license?.product_id, license?.status, license?.expires_at], [2, 'blocked', '2030-01-01T00:00:00.000Z']);
      assert.equal((await store.registry.findLicenses('ND-CCC')).length, 1);
    });
  });

  it('reports every bad CSV row with its line number and imports nothing', async (t) => {
    const tally = await withProducts(t);
    const result = await tally.run(['license', 'import', path.join(FIXTURES, 'licenses-bad.csv')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /5 bad row\(s\), nothing imported/);
    assert.match(result.stderr, /line 3: Missing key/);
    assert.match(result.stderr, /line 4: .*active or blocked/);
    assert.match(result.stderr, /line 5: No product with id 9/);
    assert.match(result.stderr, /line 6: .*ISO-8601/);
    assert.match(result.stderr, /line 7: Same product and key as line 2/);
    assert.doesNotMatch(result.stderr, /line 2:/);
    await tally.withStore(async (store) => assert.deepEqual(await store.registry.findLicenses('BAD-OK-1'), []));
  });

  it('reports every bad NDJSON line and imports nothing', async (t) => {
    const tally = await withProducts(t);
    const result = await tally.run(['license', 'import', path.join(FIXTURES, 'licenses-bad.ndjson')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /line 2: Unknown field "expiry"/);
    assert.match(result.stderr, /line 3: Not a JSON object/);
    assert.match(result.stderr, /line 4: The key field must be a string/);
    await tally.withStore(async (store) => assert.deepEqual(await store.registry.findLicenses('BAD-ND-1'), []));
  });

  it('exits 1 with a message for a file that does not exist', async (t) => {
    const tally = await withProducts(t);
    const result = await tally.run(['license', 'import', path.join(tally.dataDir, 'missing.csv')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /ENOENT/);
  });
});
