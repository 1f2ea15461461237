import { accessSync, constants, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLI } from '../../http/cli-runner.js';
import { runCli, tempTally } from './cli-helper.js';

describe('tally settings', () => {
  it('reads the data directory from TALLY_DATA_DIR when no flag is given', async (t) => {
    const tally = await tempTally(t);
    await tally.json(['product', 'create', '--name', 'Desk App']);
    const result = await runCli(['product', 'list', '--json'], { env: { TALLY_DATA_DIR: tally.dataDir } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { products: unknown[] }).products.length, 1);
  });

  it('exits 1 naming the flag and the variable when a setting is invalid', async (t) => {
    const tally = await tempTally(t);
    const result = await tally.run(['product', 'list', '--port', 'eighty']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--port \/ TALLY_PORT/);
  });

  it('lists every setting with its TALLY_* variable in each command help', async () => {
    const result = await runCli(['license', 'import', '--help']);
    assert.equal(result.code, 0);
    for (const text of ['--data-dir', 'TALLY_DATA_DIR', '--database-url', 'TALLY_DATABASE_URL', '--port', 'TALLY_PORT']) assert.ok(result.stdout.includes(text), text);
  });

  it('exits 2 for an unknown command or option', async () => {
    assert.equal((await runCli(['frobnicate'])).code, 2);
    assert.equal((await runCli(['product', 'list', '--colour'])).code, 2);
  });
});

describe('the tally binary', () => {
  it('is executable after the build, so `npx tally` runs it', () => {
    const bin = CLI;
    assert.doesNotThrow(() => accessSync(bin, constants.X_OK));
    assert.match(readFileSync(bin, 'utf8').split('\n')[0] ?? '', /^#!\/usr\/bin\/env node/);
  });
});
