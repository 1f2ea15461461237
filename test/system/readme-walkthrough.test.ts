import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../repo-root.js';
import { CLI } from '../http/cli-runner.js';
import { TEST_PASSWORD_ENV } from '../password-cost.js';
import { runCli } from './cli/cli-helper.js';
import { walkthroughBlocks, type WalkthroughBlock } from './readme-walkthrough-blocks.js';

/*
 * The README's walkthrough, run as a new user would paste it: every ```sh block between
 * `<!-- walkthrough … -->` and `<!-- /walkthrough -->` (readme-walkthrough-blocks.ts), in order,
 * in ONE bash process under `set -euo pipefail`, so a variable no earlier block set, a failed
 * command or a failed stage of a pipe stops it. The README's first block (`npm install && npm
 * start`) is outside the regions: this test starts the server itself, as that block would.
 *
 * What differs from a person's terminal, and nothing else:
 * - `http://127.0.0.1:8080` in the blocks becomes the test server's address (a free port): the
 *   only change made to the README's text.
 * - The shell's cwd is a temp dir (the files the README writes, answer.json and the rest, land
 *   there, not in the checkout), where npx would not find this checkout's `tally`; so a bash
 *   function `npx` runs `npx tally ARGS` as `node <checkout>/dist/app/main.js ARGS` (what npx
 *   runs in a clone after `npm install`) and refuses any other package.
 * - TALLY_DATA_DIR is the server's data dir, as `./data` is for both in a clone; the tests' low
 *   password hash cost; no other TALLY_* variable of the outer shell.
 * - HOME is a temp dir whose .curlrc says `fail-with-body`: an HTTP error (≥ 400) fails its curl,
 *   so a refused request stops the walkthrough like any other failed command.
 * - stdin is not a terminal, so `user create` generates the password and prints it.
 */

const README = path.join(REPO_ROOT, 'README.md');
const README_ORIGIN = 'http://127.0.0.1:8080';
const MARKER = /\n@@ walkthrough block (\d+) \(README\.md line \d+\) @@\n/;

interface Envelope<T> {
  response: { code: number } & T;
}

interface TelemetryRecord {
  user_identifier: string;
  data_group: string;
  numeric_data_single_value: number | null;
}

interface BashResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** The whole script: strict mode, the `npx tally` function, then each block after a marker line on stdout and stderr. */
function script(blocks: readonly WalkthroughBlock[], origin: string): string {
  const parts = [
    'set -euo pipefail',
    'npx() {',
    '  if [ "${1-}" != tally ]; then echo "the walkthrough test runs only npx tally, not: npx $*" >&2; return 127; fi',
    `  shift; ${quote(process.execPath)} ${quote(CLI)} "$@"`,
    '}',
  ];
  blocks.forEach((block, index) => {
    const marker = `printf '\\n@@ walkthrough block %d (README.md line %d) @@\\n' ${index} ${block.line}`;
    parts.push(marker, `${marker} >&2`, block.text.replaceAll(README_ORIGIN, origin));
  });
  return `${parts.join('\n')}\n`;
}

/** `tally serve` on a free port and `dataDir`; resolves with its address once it listens. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; origin: string }> {
  const outer = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TALLY_')));
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...outer, ...TEST_PASSWORD_ENV } });
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer): void => {
      output += String(chunk);
      const match = /Tally listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', () => reject(new Error(`tally serve exited: ${output}`)));
  });
  return { child, origin };
}

function runBash(file: string, cwd: string, dataDir: string): Promise<BashResult> {
  const outer = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TALLY_')));
  const env = {
    ...outer, ...TEST_PASSWORD_ENV, TALLY_DATA_DIR: dataDir, HOME: cwd, CURL_HOME: cwd,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  const child = spawn('bash', [file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Each block's stdout, by its index, cut at the marker lines. */
function outputsByBlock(stdout: string): Map<number, string> {
  const parts = stdout.split(MARKER);
  const outputs = new Map<number, string>();
  for (let i = 1; i + 1 < parts.length; i += 2) outputs.set(Number(parts[i]), parts[i + 1] ?? '');
  return outputs;
}

/** The output of the one block whose text contains `needle`. */
function outputOf(blocks: readonly WalkthroughBlock[], outputs: Map<number, string>, needle: string): string {
  const indexes = blocks.flatMap((block, index) => (block.text.includes(needle) ? [index] : []));
  assert.equal(indexes.length, 1, `exactly one walkthrough block holds ${needle}`);
  return outputs.get(indexes[0] ?? -1) ?? '';
}

/** Lines of JSON (one object, or NDJSON): every non-empty line must parse to an object. */
function jsonLines(output: string): Array<Record<string, unknown>> {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  assert.ok(lines.length > 0, 'an answer');
  return lines.map((line) => {
    const value: unknown = JSON.parse(line);
    assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `a JSON object: ${line}`);
    return value as Record<string, unknown>;
  });
}

describe('the README walkthrough', { timeout: 240_000 }, () => {
  it('runs as written, block after block in one shell, against a real server and its SQLite file', async (t) => {
    const blocks = walkthroughBlocks(await readFile(README, 'utf8'));
    assert.ok(blocks.length > 0, 'the README marks its walkthrough');
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tally-readme-data-'));
    const work = await mkdtemp(path.join(os.tmpdir(), 'tally-readme-shell-'));
    t.after(() => Promise.all([rm(dataDir, { recursive: true, force: true }), rm(work, { recursive: true, force: true })]));
    const server = await startServer(dataDir);
    t.after(async () => {
      const exited = once(server.child, 'exit');
      server.child.kill('SIGTERM');
      await exited;
    });
    await writeFile(path.join(work, '.curlrc'), 'fail-with-body\nshow-error\n');
    const file = path.join(os.tmpdir(), `${path.basename(work)}.sh`);
    t.after(() => rm(file, { force: true }));
    await writeFile(file, script(blocks, server.origin));

    const result = await runBash(file, work, dataDir);
    assert.equal(result.code, 0, `the walkthrough stopped (the last marker says which block):\n${result.stderr.slice(-4000)}\n--- stdout ---\n${result.stdout.slice(-2000)}`);
    const outputs = outputsByBlock(result.stdout);
    assert.equal(outputs.size, blocks.length, 'every block ran');

    const answer = JSON.parse(await readFile(path.join(work, 'answer.json'), 'utf8')) as Envelope<object>;
    assert.equal(answer.response.code, 830);
    const verified = await runCli(['verify', '--json', '--public-key', path.join(work, 'tally.pem'), path.join(work, 'answer.json')]);
    assert.equal(verified.code, 0, verified.stderr);
    assert.equal((JSON.parse(verified.stdout) as { valid: boolean }).valid, true);

    const read = JSON.parse(outputOf(blocks, outputs, '/api/v1/get-telemetry-data')) as Envelope<{ data: TelemetryRecord[] }>;
    assert.equal(read.response.code, 970);
    assert.deepEqual(read.response.data.map((r) => [r.user_identifier, r.data_group, r.numeric_data_single_value]), [['user-1', 'startup_ms', 50]]);

    const adminBlocks = blocks.flatMap((block, index) => (block.text.includes('/admin/api/') ? [index] : []));
    assert.ok(adminBlocks.length > 0, 'the walkthrough calls the admin API');
    for (const index of adminBlocks) jsonLines(outputs.get(index) ?? '');
    const exported = jsonLines(outputOf(blocks, outputs, '/admin/api/export'));
    assert.deepEqual(exported.map((record) => record['user_identifier']), ['user-1']);
    assert.match(await readFile(path.join(work, 'reports.csv'), 'utf8'), /^id,.*\r?\n1,"user-1",/);
  });
});

describe('which README blocks the walkthrough runs', () => {
  it('runs only the ```sh blocks inside <!-- walkthrough --> regions, in order', () => {
    const markdown = ['```sh', 'npm start', '```', '<!-- walkthrough: a note -->', '```sh', 'one', '```', '```json', '{}', '```',
      '<!-- /walkthrough -->', '```sh', 'not run', '```', '<!-- walkthrough -->', '```sh', 'two', '```', '<!-- /walkthrough -->'].join('\n');
    assert.deepEqual(walkthroughBlocks(markdown), [{ line: 5, text: 'one' }, { line: 16, text: 'two' }]);
  });

  it('refuses a region left open, so a broken marker cannot quietly run nothing', () => {
    assert.throws(() => walkthroughBlocks('<!-- walkthrough -->\n```sh\none\n```\n'), /never closed/);
    assert.throws(() => walkthroughBlocks('<!-- /walkthrough -->\n'), /without its opening/);
  });
});
