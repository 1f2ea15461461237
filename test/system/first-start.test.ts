import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CLI } from '../http/cli-runner.js';
import { adminTokenMatches, hasAdminToken } from '../../src/registry/admin-token.js';
import { openStore } from '../../src/store/open-store.js';

/** Runs `tally serve` on `dataDir` with its output a pipe until it has said `until`; returns everything it printed. */
async function startAndStop(dataDir: string, until: RegExp, env: Record<string, string> = {}): Promise<string> {
  const outer = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TALLY_')));
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...outer, ...env } });
  let output = '';
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer): void => {
      output += String(chunk);
      if (until.test(output)) resolve();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', () => reject(new Error(`tally serve exited: ${output}`)));
  });
  child.kill('SIGTERM');
  await exited;
  return output;
}

const SCRIPT = '/usr/bin/script';

describe('first start of a new install', { timeout: 120_000 }, () => {
  it('on a terminal, prints a one-time setup link whose page makes the first owner', { skip: fs.existsSync(SCRIPT) ? false : 'no script(1) to give the server a terminal' }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-first-'));
    const command = [process.execPath, CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--log-level', 'warn'].map((part) => `'${part}'`).join(' ');
    const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = once(child, 'exit');
    try {
      let output = '';
      const link = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += String(chunk);
          const match = /open (http:\/\/\S+\/setup\?code=tly_setup_[A-Za-z0-9_-]{43}) within an hour/.exec(output);
          if (match?.[1] !== undefined) resolve(match[1]);
        });
        child.once('exit', () => reject(new Error(`no setup link: ${output}`)));
      });
      const url = new URL(link);
      const page = await fetch(link);
      assert.equal(page.status, 200);
      const made = await fetch(`${url.origin}/setup`, {
        method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ code: url.searchParams.get('code') ?? '', name: 'first@example.com', password: 'first owner password', password2: 'first owner password' }).toString(),
      });
      assert.equal(made.headers.get('location'), '/');
      assert.match(made.headers.get('set-cookie') ?? '', /^tally_session=/);
    } finally {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });


  it('makes no admin token and, its output not a terminal, prints no secret: only the command that makes the first owner', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-first-'));
    try {
      const output = await startAndStop(dataDir, /No accounts yet/);
      assert.match(output, /No accounts yet: make the first owner on this server with `tally user create --name NAME --role owner`/);
      assert.doesNotMatch(output, /tly_|Admin token|setup\?code/);
      const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
      try {
        assert.equal(await hasAdminToken(store.secrets), false);
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a configured TALLY_ADMIN_TOKEN still works (its hash is stored), and is never printed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-first-'));
    const token = 'configured-admin-token-0123456789abcdef';
    try {
      const output = await startAndStop(dataDir, /No accounts yet/, { TALLY_ADMIN_TOKEN: token });
      assert.ok(!output.includes(token));
      const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
      try {
        assert.equal(await adminTokenMatches(store.secrets, token), true);
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
