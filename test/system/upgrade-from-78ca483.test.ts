import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../repo-root.js';
import { CLI } from '../http/cli-runner.js';
import { runCli } from './cli/cli-helper.js';
import { clientOf, cookieOf, postLogin } from '../http/account-client.js';

/** A data directory made by the release before accounts (commit 78ca483); its README holds the token it printed. */
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/upgrade-78ca483');
const OLD_TOKEN = /`(tly_admin_[A-Za-z0-9_-]{43})`/.exec(fs.readFileSync(path.join(FIXTURE, 'README.md'), 'utf8'))?.[1] ?? '';

let dataDir: string;
let child: ChildProcess;
let url = '';
let output = '';

/** Starts the current build's `tally serve` on the copied directory, its output a pipe (not a terminal). */
function serve(): Promise<void> {
  child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match?.[1] !== undefined && url === '' && /No accounts yet/.test(output)) {
        url = match[1];
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => { output += String(chunk); });
    child.once('exit', () => reject(new Error(`tally serve exited: ${output}`)));
  });
}

/** Upgrade (issue 18): a SQLite data directory made by the release before accounts starts, keeps its admin token as an owner token, and gains accounts. */
describe('upgrading a data directory from release 78ca483', { timeout: 120_000 }, () => {
  before(async () => {
    assert.match(OLD_TOKEN, /^tly_admin_/, 'the fixture README names the token');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-upgrade-'));
    fs.cpSync(path.join(FIXTURE, 'data-dir'), dataDir, { recursive: true });
    await serve();
  });
  after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates on start and, with its output not a terminal, prints no secret: only how to make the first owner', () => {
    assert.match(output, /No accounts yet: make the first owner on this server with `tally user create --name NAME --role owner`/);
    assert.doesNotMatch(output, /tly_setup_|tly_admin_|Admin token/);
  });

  it('keeps the old admin token working as an owner on the admin API and at login', async () => {
    const bearer = { authorization: `Bearer ${OLD_TOKEN}` };
    const products = await fetch(`${url}/admin/api/products`, { headers: bearer });
    assert.equal(products.status, 200);
    const session = (await (await fetch(`${url}/admin/api/session`, { headers: bearer })).json()) as { role: string; account: unknown };
    assert.deepEqual([session.role, session.account], ['owner', null]);
    const login = await postLogin(url, { token: OLD_TOKEN });
    assert.equal(login.headers.get('location'), '/');
    const client = await clientOf(url, cookieOf(login));
    assert.equal(((await (await client.get('/admin/api/session')).json()) as { role: string }).role, 'owner');
  });

  it('gains accounts: tally user create adds an owner (server running) who can log in', async () => {
    const made = await runCli(['user', 'create', '--name', 'owner@example.com', '--role', 'owner', '--password-stdin', '--data-dir', dataDir], { stdin: 'upgraded owner password\n' });
    assert.equal(made.code, 0, made.stderr);
    const login = await postLogin(url, { name: 'owner@example.com', password: 'upgraded owner password' });
    assert.equal(login.headers.get('location'), '/');
    const client = await clientOf(url, cookieOf(login));
    const who = (await (await client.get('/admin/api/session')).json()) as { role: string; account: { name: string } };
    assert.deepEqual([who.role, who.account.name], ['owner', 'owner@example.com']);
    const listed = await runCli(['user', 'list', '--json', '--data-dir', dataDir]);
    assert.deepEqual((JSON.parse(listed.stdout) as { accounts: { name: string }[] }).accounts.map((a) => a.name), ['owner@example.com']);
  });
});
