import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { freePort, spawnNode, stopChild, waitUntilAnswering } from '../../bench/processes.js';
import { REPO_ROOT } from '../repo-root.js';
import { TEST_PASSWORD_ENV } from '../password-cost.js';

const run = promisify(execFile);

interface PackageJson {
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
}

const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;

/** The files `npm pack` puts in the tarball (no scripts run: the build is the test run's own). */
async function packedFiles(): Promise<string[]> {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }];
  return packed.files.map((file) => file.path);
}

/**
 * What `npm install -g ./tally-*.tgz` leaves, without the registry: the packed files, and in
 * node_modules only the production dependencies (linked from this checkout's). Nothing else of the
 * checkout can be reached from there, so a server that starts from it needs nothing more.
 */
async function productionInstall(t: TestContext): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tally-install-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  for (const file of await packedFiles()) await cp(path.join(REPO_ROOT, file), path.join(root, file), { recursive: true });
  await mkdir(path.join(root, 'node_modules'));
  for (const name of Object.keys(pkg.dependencies)) await symlink(path.join(REPO_ROOT, 'node_modules', name), path.join(root, 'node_modules', name), 'dir');
  return root;
}

function outerEnv(): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TALLY_'))), ...TEST_PASSWORD_ENV };
}

describe('the package', { timeout: 120_000 }, () => {
  it('ships the bundled server, its workers, the dashboard and the settings reference, and no sources or tests', async () => {
    const files = await packedFiles();
    const bin = pkg.bin['tally'];
    assert.equal(bin, 'dist/app/main.js');
    for (const file of [bin, 'dist/app/writer-worker.js', 'dist/app/reader-worker.js', 'dist/web/index.html', 'docs/configuration.md', '.env.example', 'README.md', 'package.json']) {
      assert.ok(files.includes(file), `${file} is packed`);
    }
    const stray = files.filter((file) => /^(src|test|bench|dist\/(src|test|bench))\//.test(file));
    assert.deepEqual(stray, []);
  });

  it('serves from an install with only its production dependencies: signed ingest, batches, queries, the dashboard', async (t) => {
    const root = await productionInstall(t);
    const tally = path.join(root, pkg.bin['tally'] ?? '');
    const dataDir = path.join(root, 'data');
    const env = { ...outerEnv(), TALLY_DATA_DIR: dataDir, TALLY_LOG_LEVEL: 'warn' };
    const cli = async (...args: string[]): Promise<string> => (await run(process.execPath, [tally, ...args], { cwd: root, env })).stdout;

    assert.equal((await cli('--version')).trim(), pkg.version);
    await cli('product', 'create', '--name', 'Desk App', '--versions', '1.0.0');
    await cli('license', 'create', '--product', '1', '--key', 'LIC-0001');
    await cli('activation', 'create', '--license', 'LIC-0001', '--identifier', 'machine-42');
    const sender = (JSON.parse(await cli('api-key', 'create', '--name', 'app', '--json')) as { key: string }).key;
    const reader = (JSON.parse(await cli('api-key', 'create', '--name', 'reader', '--capabilities', 'get_telemetry', '--json')) as { key: string }).key;
    const publicKey = createPublicKey(await cli('keys', 'public'));

    const port = await freePort();
    const server = spawnNode('tally serve (installed)', tally, ['serve', '--port', String(port)], { env });
    t.after(() => stopChild(server));
    const base = `http://127.0.0.1:${port}`;
    await waitUntilAnswering(server, `${base}/healthz`);

    const report = {
      api_key: sender, product_id: '1', user_identifier: 'user-1', license_key: 'LIC-0001', activation_identifier: 'machine-42', product_version: '1.0.0', data_type: 'numeric-single-value', numeric_data_single_value: '50', data_group: 'startup_ms',
    };
    const single = await fetch(`${base}/api/v1/send-telemetry-data`, { method: 'POST', body: new URLSearchParams(report) });
    const answer = (await single.json()) as { response: { code: number }; response_base64: string; signature: string };
    assert.equal(answer.response.code, 830);
    assert.ok(verify('sha256', Buffer.from(answer.response_base64, 'base64'), publicKey, Buffer.from(answer.signature, 'base64')), 'the answer is signed');

    // Large enough to commit on the SQLite writer thread: its worker is a file of the bundle.
    const batch = Array.from({ length: 150 }, (_, i) => ({ ...report, api_key: undefined, numeric_data_single_value: String(i) }));
    const batched = await fetch(`${base}/api/v1/send-telemetry-data-batch`, {
      method: 'POST', headers: { authorization: `Bearer ${sender}`, 'content-type': 'application/json' }, body: JSON.stringify(batch),
    });
    assert.equal(((await batched.json()) as { response: { code: number } }).response.code, 840);

    // Queries run on the reader thread, the bundle's other worker.
    const read = await fetch(`${base}/api/v1/get-telemetry-data?api_key=${reader}&product_id=1&limit=1000`);
    const found = (await read.json()) as { response: { code: number; data: unknown[] } };
    assert.equal(found.response.code, 970);
    assert.equal(found.response.data.length, 151);

    const dashboard = await fetch(`${base}/`);
    assert.equal(dashboard.status, 200);
    assert.match(await dashboard.text(), /<html/i);
  });
});
