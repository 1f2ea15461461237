import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempTally } from './cli-helper.js';

interface ProductJson {
  id: number;
  name: string;
  versions: string[];
}

describe('tally product', () => {
  it('creates a product and prints exactly id, name and versions with --json', async (t) => {
    const tally = await tempTally(t);
    const product = await tally.json<ProductJson>(['product', 'create', '--name', 'Desk App', '--versions', '1.0.0, 1.1.0,,1.0.0']);
    assert.deepEqual(product, { id: 1, name: 'Desk App', versions: ['1.0.0', '1.1.0'] });
  });

  it('prints a human line with the new id without --json', async (t) => {
    const tally = await tempTally(t);
    const result = await tally.run(['product', 'create', '--name', 'Desk App']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Created product 1 "Desk App"/);
  });

  it('deactivates and reactivates a product, as product list shows', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['product', 'create', '--name', 'Desk App']);
    assert.equal((await tally.run(['product', 'deactivate', '1'])).code, 0);
    const off = await tally.json<{ products: { status: string }[] }>(['product', 'list']);
    assert.equal(off.products[0]?.status, 'inactive');
    assert.equal((await tally.run(['product', 'activate', '1'])).code, 0);
    const on = await tally.json<{ products: { status: string }[] }>(['product', 'list']);
    assert.equal(on.products[0]?.status, 'active');
    assert.equal((await tally.run(['product', 'deactivate', '9'])).code, 1);
  });

  it('adds a released version that product list then shows', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['product', 'create', '--name', 'Desk App', '--versions', '1.0.0']);
    const added = await tally.run(['product', 'add-version', '1', '2.0.0']);
    assert.equal(added.code, 0, added.stderr);
    const { products } = await tally.json<{ products: ProductJson[] }>(['product', 'list']);
    assert.equal(products.length, 1);
    assert.deepEqual(products[0]?.versions, ['1.0.0', '2.0.0']);
  });

  it('add-version --json says which version was added, whether it was new, and the versions now', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['product', 'create', '--name', 'Desk App', '--versions', '1.0.0']);
    assert.deepEqual(await tally.json(['product', 'add-version', '1', ' 1.2.0 ']), { product_id: 1, version: '1.2.0', added: true, versions: ['1.0.0', '1.2.0'] });
    assert.deepEqual(await tally.json(['product', 'add-version', '1', '1.0.0']), { product_id: 1, version: '1.0.0', added: false, versions: ['1.0.0', '1.2.0'] });
    const human = await tally.run(['product', 'add-version', '1', '2.0.0']);
    assert.deepEqual([human.code, human.stdout], [0, 'Product 1 "Desk App" versions: 1.0.0, 1.2.0, 2.0.0.\n']);
  });

  it('deactivate and activate --json print {id, name, status}', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['product', 'create', '--name', 'Desk App']);
    assert.deepEqual(await tally.json(['product', 'deactivate', '1']), { id: 1, name: 'Desk App', status: 'inactive' });
    assert.deepEqual(await tally.json(['product', 'activate', '1']), { id: 1, name: 'Desk App', status: 'active' });
    const human = await tally.run(['product', 'deactivate', '1']);
    assert.deepEqual([human.code, human.stdout], [0, 'Product 1 "Desk App" is now inactive.\n']);
  });

  it('refuses a version for a product that does not exist, with exit code 1 and a message', async (t) => {
    const tally = await tempTally(t);
    for (const args of [['product', 'add-version', '7', '1.0.0'], ['product', 'add-version', '7', '1.0.0', '--json'], ['product', 'activate', '7', '--json']]) {
      const result = await tally.run(args);
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.stderr, /No product with id 7/);
      assert.equal(result.stdout, '');
    }
  });

  it('refuses a blank name and treats a missing name or a non-numeric id as usage errors (exit 2)', async (t) => {
    const tally = await tempTally(t);
    assert.equal((await tally.run(['product', 'create', '--name', '  '])).code, 1);
    assert.equal((await tally.run(['product', 'create'])).code, 2);
    assert.equal((await tally.run(['product', 'add-version', 'abc', '1.0.0'])).code, 2);
  });
});
