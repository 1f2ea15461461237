import assert from 'node:assert/strict';
import { NO_AUDIT } from '../audit-helpers.js';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { createApiKey } from '../../src/registry/api-keys.js';
import { openStore } from '../../src/store/open-store.js';
import { CLI } from '../http/cli-runner.js';
import { form, SQLITE_ONLY } from '../http/test-server.js';

async function seed(dataDir: string): Promise<{ key: string; productId: number }> {
  const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'FULL' });
  const product = await store.registry.createProduct({ name: 'App', versions: ['1.0.0'] });
  const { secret } = await createApiKey(store.registry, { name: 'shutdown' }, NO_AUDIT);
  await store.close();
  return { key: secret, productId: product.id };
}

/** Starts `tally serve` on a free port and resolves with its URL once it listens. */
async function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.once('exit', () => reject(new Error(`tally serve exited before listening: ${output}`)));
  });
}

describe('SIGTERM', { skip: SQLITE_ONLY }, () => {
  it('drains in-flight requests: every acknowledged report is in the database after exit', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-sigterm-'));
    const { key, productId } = await seed(dataDir);
    const { child, url } = await serve(dataDir);
    const exited = once(child, 'exit');
    const acknowledged: string[] = [];
    let sent = 0;
    let stop = false;
    const worker = async (): Promise<void> => {
      while (!stop && sent < 5000) {
        const id = `r-${sent++}`;
        try {
          const res = await fetch(`${url}/api/v1/send-telemetry-data`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ api_key: key, product_id: String(productId), user_identifier: id, data_type: 'text', text_data: 't', data_group: 'g' }) });
          const body = (await res.json()) as { response: { code: number } };
          if (body.response.code === 830 || body.response.code === 831) acknowledged.push(id);
          else assert.equal(body.response.code, 503, 'only a signed 503 while closing');
        } catch {
          stop = true; // connection refused or reset: the server is gone
        }
      }
    };
    const workers = Promise.all(Array.from({ length: 30 }, worker));
    while (acknowledged.length < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGTERM');
    const [code] = await exited;
    stop = true;
    await workers;
    assert.equal(code, 0, 'clean exit');

    const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'FULL' });
    const stored = (await store.telemetry.list({ afterId: 0, limit: 100_000 })).map((r) => r.user_identifier);
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    const storedSet = new Set(stored);
    assert.equal(storedSet.size, stored.length, 'nothing stored twice');
    const missing = acknowledged.filter((id) => !storedSet.has(id));
    assert.deepEqual(missing, [], 'every acknowledged report was committed');
    assert.ok(acknowledged.length >= 300);
  });
});
