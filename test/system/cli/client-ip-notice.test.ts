import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { CLI } from '../../http/cli-runner.js';
import { exportRecord } from '../../query/export-fixtures.js';
import { tempTally } from './cli-helper.js';

/** Starts `tally serve` on the data dir, waits until it listens, stops it; returns what it wrote to stderr. */
async function serveStderr(dataDir: string, env: Record<string, string> = {}): Promise<string> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TALLY_')));
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--admin-token', 'x'.repeat(32)], { env: { ...clean, ...env } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Tally listening')) resolve();
    });
    child.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
  });
  child.kill('SIGTERM');
  await exited;
  return stderr;
}

describe('tally serve and the client-IP mode', () => {
  it('says on start that an upgraded database keeps full client IPs and how to change it; not when configured', async (t) => {
    const tally = await tempTally(t);
    await tally.withStore((store) => store.telemetry.insertMany([exportRecord(1)]));
    assert.match(await serveStderr(tally.dataDir), /notice: client IPs are stored in full.*TALLY_CLIENT_IP_MODE/);
    assert.doesNotMatch(await serveStderr(tally.dataDir, { TALLY_CLIENT_IP_MODE: 'truncated' }), /notice: client IPs/);
  });

  it('says nothing for a new database, which keeps truncated client IPs', async (t) => {
    const tally = await tempTally(t);
    assert.doesNotMatch(await serveStderr(tally.dataDir), /notice: client IPs/);
    assert.equal(await tally.withStore((store) => store.secrets.getSetting('client_ip_mode')), 'truncated');
  });
});
