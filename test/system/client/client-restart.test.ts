import assert from 'node:assert/strict';
import { NO_AUDIT } from '../../audit-helpers.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileQueueStorage, TallyClient, type SendOutcome } from '../../../packages/client/src/node.js';
import { createApiKey } from '../../../src/registry/api-keys.js';
import { openStore } from '../../../src/store/open-store.js';
import { CLI, runCli } from '../../http/cli-runner.js';
import { SQLITE_ONLY, TEST_ADMIN_TOKEN } from '../../http/test-server.js';

const REPORTS = 600;

interface Served {
  child: ChildProcess;
  url: string;
}

/** Starts `tally serve` on the data dir; resolves once it listens. */
function serve(dataDir: string, port: number): Promise<Served> {
  const args = [CLI, 'serve', '--data-dir', dataDir, '--port', String(port), '--log-level', 'warn', '--admin-token', TEST_ADMIN_TOKEN,
    '--rate-limit-per-ip', '0', '--rate-limit-per-key', '0', '--retention-interval-ms', '3600000'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
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

async function stop(served: Served, signal: NodeJS.Signals): Promise<void> {
  const exited = once(served.child, 'exit');
  served.child.kill(signal);
  await exited;
}

async function seed(dataDir: string): Promise<{ key: string; productId: number }> {
  const store = await openStore({ dataDir, databaseUrl: null, sqliteSynchronous: 'FULL' });
  try {
    const product = await store.registry.createProduct({ name: 'Desktop app', versions: ['1.0.0'] });
    const { secret } = await createApiKey(store.registry, { name: 'client' }, NO_AUDIT);
    return { key: secret, productId: product.id };
  } finally {
    await store.close();
  }
}

/** How many stored records carry each text_data, and how many event ids are recorded. */
async function stored(dataDir: string): Promise<{ texts: Map<string, number>; total: number }> {
  const store = await openStore({ dataDir, databaseUrl: null, sqliteSynchronous: 'FULL' });
  try {
    const texts = new Map<string, number>();
    const records = await store.telemetry.list({ limit: 100_000 });
    for (const record of records) texts.set(record.text_data ?? '', (texts.get(record.text_data ?? '') ?? 0) + 1);
    return { texts, total: records.length };
  } finally {
    await store.close();
  }
}

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('@tally/client against a tally serve that is killed and restarted', { skip: SQLITE_ONLY }, () => {
  it('stores every report the client accepted exactly once, across SIGKILL and SIGTERM mid-stream', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-restart-'));
    dirs.push(dataDir);
    const { key, productId } = await seed(dataDir);
    let served = await serve(dataDir, 0);
    const port = Number(new URL(served.url).port);
    const publicKey = (await runCli(['keys', 'public', '--data-dir', dataDir])).stdout;
    const client = new TallyClient({
      baseUrl: served.url, apiKey: key, publicKeys: publicKey, flushOnExit: false, batchSize: 100,
      storage: new FileQueueStorage(path.join(dataDir, 'client-queue.ndjson')), retry: { baseMs: 50, maxMs: 400 },
    });
    const outcomes: Promise<SendOutcome>[] = [];
    const send = (i: number): void => {
      outcomes.push(client.sendTelemetry({
        product_id: productId, user_identifier: 'u', license_key: 'L', activation_identifier: 'A', product_version: '1.0.0',
        data_group: 'restart', data_type: 'text', text_data: `r-${i}`,
      }));
    };
    for (let i = 0; i < REPORTS; i++) {
      send(i);
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
      if (i === 200) await stop(served, 'SIGKILL');
      if (i === 300) served = await serve(dataDir, port);
      if (i === 450) await stop(served, 'SIGTERM');
      if (i === 500) served = await serve(dataDir, port);
    }
    const settled = await Promise.all(outcomes);
    assert.ok(settled.some((o) => o.status === 'queued'), 'some reports waited in the queue while the server was down');
    for (let tries = 0; tries < 200 && (await client.pending()).length > 0; tries++) {
      await client.flush();
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal((await client.pending()).length, 0, 'the queue drained');
    await client.close();
    await stop(served, 'SIGTERM');
    const { texts, total } = await stored(dataDir);
    const missing = Array.from({ length: REPORTS }, (_, i) => `r-${i}`).filter((t) => texts.get(t) !== 1);
    assert.deepEqual(missing, [], 'every report stored exactly once');
    assert.equal(total, REPORTS);
  });
});
