import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CONFIG_KEYS, envName, flagName } from '../../../src/config/config.js';
import { REPO_ROOT } from '../../repo-root.js';
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

  it('lists every setting with its TALLY_* variable in the help of tally serve', async () => {
    const result = await runCli(['serve', '--help']);
    assert.equal(result.code, 0);
    for (const key of CONFIG_KEYS) {
      assert.ok(result.stdout.includes(flagName(key)), flagName(key));
      assert.ok(result.stdout.includes(envName(key)), envName(key));
    }
  });

  it('lists only the store settings and its own in the help of another command, and accepts the rest', async (t) => {
    const help = await runCli(['license', 'import', '--help']);
    assert.equal(help.code, 0);
    for (const text of ['--data-dir', 'TALLY_DATA_DIR', '--database-url', 'TALLY_DATABASE_URL', 'docs/configuration.md']) assert.ok(help.stdout.includes(text), text);
    for (const text of ['--port', '--webhook-timeout-ms', '--rate-limit-per-key', '--metrics-token']) assert.ok(!help.stdout.includes(text), `${text} is not listed`);
    const userHelp = await runCli(['user', 'create', '--help']);
    assert.ok(userHelp.stdout.includes('--password-hash-cost'), 'user create lists the setting it uses');
    assert.ok(!userHelp.stdout.includes('--signing-algorithm'));

    const tally = await tempTally(t);
    const accepted = await tally.run(['product', 'list', '--json', '--port', '9999', '--webhook-timeout-ms', '5000']);
    assert.equal(accepted.code, 0, accepted.stderr);
  });

  it('prints its version with --version and -V', async () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag]);
      assert.equal(result.code, 0);
      assert.equal(result.stdout.trim(), pkg.version);
    }
  });

  it('reads .env in the working directory; a variable already set wins over it, and a flag over both', async (t) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tally-dotenv-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const fromFile = path.join(dir, 'from-file');
    const fromEnv = path.join(dir, 'from-env');
    const fromFlag = path.join(dir, 'from-flag');
    await writeFile(path.join(dir, '.env'), `# made by a test\nTALLY_DATA_DIR=${fromFile}\nTALLY_LOG_LEVEL="silent"\n`);
    const created = (dataDir: string[], env: Record<string, string> = {}) => runCli(['product', 'create', '--name', 'Desk App', '--json', ...dataDir], { cwd: dir, env });

    assert.equal((await created([])).code, 0);
    assert.ok(existsSync(path.join(fromFile, 'tally.db')), 'the .env data directory was used');
    assert.equal((await created([], { TALLY_DATA_DIR: fromEnv })).code, 0);
    assert.ok(existsSync(path.join(fromEnv, 'tally.db')), 'the environment won over .env');
    assert.equal((await created(['--data-dir', fromFlag], { TALLY_DATA_DIR: fromEnv })).code, 0);
    assert.ok(existsSync(path.join(fromFlag, 'tally.db')), 'the flag won over both');
  });

  it('says which .env it could not read, and exits 1', async (t) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tally-dotenv-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await mkdir(path.join(dir, '.env'));
    const result = await runCli(['product', 'list'], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: could not read .*\.env/);
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
