import assert from 'node:assert/strict';
import { NO_AUDIT } from '../audit-helpers.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { createApiKey } from '../../src/registry/api-keys.js';
import { openStore } from '../../src/store/open-store.js';
import { createScratchDatabase, describeWithPostgres, dropScratchDatabase, randomName, withClient } from '../postgres-helpers.js';
import { CLI, runCli } from '../http/cli-runner.js';
import { form, TEST_ADMIN_TOKEN } from '../http/test-server.js';

const INSTANCES = 3;
const REPORTS = 3000;
const IN_FLIGHT = 60;
/** `--registry-cache-ms` default: how long an instance may answer from what it read about the registry. */
const REGISTRY_CACHE_MS = 1000;
/** Time for the CLI to start and commit, and for the poll itself, on top of the documented bound. */
const SLACK_MS = 1500;

interface Instance {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown[]>;
}

/** Seeds one product and one API key through a store opened on the shared database. */
async function seed(databaseUrl: string, dataDir: string): Promise<{ key: string; productId: number }> {
  const store = await openStore({ databaseUrl, dataDir, sqliteSynchronous: 'FULL' });
  try {
    const product = await store.registry.createProduct({ name: 'App', versions: ['1.0.0'] });
    const { secret } = await createApiKey(store.registry, { name: 'load' }, NO_AUDIT);
    return { key: secret, productId: product.id };
  } finally {
    await store.close();
  }
}

/** Starts `tally serve` on a free port against `databaseUrl`; resolves once it listens. */
function serve(databaseUrl: string, dataDir: string): Promise<Instance> {
  // Rate limits off: the load below comes from one IP and key (they are tested in rate-limit.test.ts).
  const args = [CLI, 'serve', '--database-url', databaseUrl, '--data-dir', dataDir, '--port', '0', '--log-level', 'warn', '--admin-token', TEST_ADMIN_TOKEN,
    '--rate-limit-per-ip', '0', '--rate-limit-per-key', '0'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], exited });
    });
    child.once('exit', () => reject(new Error(`tally serve exited before listening: ${output}`)));
  });
}

/** Sends one report and returns the answer's code. */
async function send(url: string, fields: Record<string, string>): Promise<number> {
  const res = await fetch(`${url}/api/v1/send-telemetry-data`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ data_type: 'text', text_data: 't', data_group: 'g', ...fields }),
  });
  return ((await res.json()) as { response: { code: number } }).response.code;
}

/** Sends `total` reports round-robin over the instances, `inFlight` at a time; returns the acknowledged ids. */
async function drive(urls: readonly string[], total: number, inFlight: number, fields: Record<string, string>): Promise<string[]> {
  const acknowledged: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const n = next++;
      const id = `mi-${n}`;
      const code = await send(urls[n % urls.length]!, { ...fields, user_identifier: id });
      if (code === 830 || code === 831) acknowledged.push(id);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return acknowledged;
}

/** Polls `check` every 25 ms until it is true; returns the ms since `start`, or throws after `limitMs`. */
async function msUntil(start: number, limitMs: number, check: () => Promise<boolean>): Promise<number> {
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > limitMs) throw new Error(`not honoured within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Asserts every instance honoured the change within the bound, and reports the delays. */
function assertWithinBound(t: TestContext, delays: readonly number[]): void {
  const shown = delays.map(Math.round).join(', ');
  t.diagnostic(`honoured after ${shown} ms (bound ${REGISTRY_CACHE_MS} + ${SLACK_MS} ms slack)`);
  assert.ok(delays.every((ms) => ms <= REGISTRY_CACHE_MS + SLACK_MS), `delays ${shown} ms`);
}

/** Runs the CLI on the shared database and parses its `--json` answer. */
async function cliJson<T>(databaseUrl: string, args: string[]): Promise<T> {
  const result = await runCli([...args, '--json', '--database-url', databaseUrl]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

function describeMultiInstance(): void {
  describe(`${INSTANCES} tally serve processes on one PostgreSQL database`, () => {
    const database = randomName('tally_mi');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-mi-'));
    let databaseUrl = '';
    let instances: Instance[] = [];
    let seeded: { key: string; productId: number };
    const urls = (): string[] => instances.map((i) => i.url);

    before(async () => {
      databaseUrl = await createScratchDatabase(database);
      seeded = await seed(databaseUrl, dataDir);
      instances = await Promise.all(Array.from({ length: INSTANCES }, () => serve(databaseUrl, dataDir)));
    });

    after(async () => {
      for (const instance of instances) if (instance.child.exitCode === null) instance.child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
      await dropScratchDatabase(database);
    });

    it('stores every report any instance acknowledged exactly once, under concurrent load on all of them', async () => {
      const acknowledged = await drive(urls(), REPORTS, IN_FLIGHT, { api_key: seeded.key, product_id: String(seeded.productId) });
      assert.equal(acknowledged.length, REPORTS, 'every report was acknowledged');
      const rows = await withClient(async (client) => (await client.query<{ user_identifier: string }>('SELECT user_identifier FROM telemetry')).rows, databaseUrl);
      const stored = rows.map((row) => row.user_identifier);
      assert.equal(stored.length, REPORTS, 'as many rows as acknowledged reports');
      assert.equal(new Set(stored).size, stored.length, 'nothing stored twice');
      assert.deepEqual(new Set(stored), new Set(acknowledged), 'the stored set is the acknowledged set');
    });

    it('honours an API key created through the CLI on every instance within the registry cache time', async (t) => {
      const start = performance.now();
      const created = await cliJson<{ id: number; key: string }>(databaseUrl, ['api-key', 'create', '--name', 'late']);
      const fields = { api_key: created.key, product_id: String(seeded.productId), user_identifier: 'probe-new-key' };
      const delays = await Promise.all(urls().map((url) => msUntil(start, REGISTRY_CACHE_MS + SLACK_MS, async () => (await send(url, fields)) !== 100)));
      assertWithinBound(t, delays);
    });

    it('refuses a key revoked through the CLI on every instance within the registry cache time', async (t) => {
      const created = await cliJson<{ id: number; key: string }>(databaseUrl, ['api-key', 'create', '--name', 'doomed']);
      const fields = { api_key: created.key, product_id: String(seeded.productId), user_identifier: 'probe-revoked' };
      // Every instance has seen (and cached) the key as valid before it is revoked.
      await Promise.all(urls().map((url) => msUntil(performance.now(), REGISTRY_CACHE_MS + SLACK_MS, async () => (await send(url, fields)) !== 100)));
      const start = performance.now();
      const revoked = await runCli(['api-key', 'revoke', String(created.id), '--database-url', databaseUrl]);
      assert.equal(revoked.code, 0, revoked.stderr);
      const delays = await Promise.all(urls().map((url) => msUntil(start, REGISTRY_CACHE_MS + SLACK_MS, async () => (await send(url, fields)) === 100)));
      assertWithinBound(t, delays);
    });

    it('checks reports against a product and license created through the CLI on every instance within the registry cache time', async (t) => {
      const product = await cliJson<{ id: number }>(databaseUrl, ['product', 'create', '--name', 'Late product', '--versions', '2.0.0']);
      const start = performance.now();
      await runCli(['license', 'create', '--product', String(product.id), '--key', 'LIC-LATE', '--database-url', databaseUrl]);
      let probe = 0;
      const known = async (url: string): Promise<boolean> => {
        const id = `probe-product-${probe++}`;
        await send(url, { api_key: seeded.key, product_id: String(product.id), product_version: '2.0.0', license_key: 'LIC-LATE', user_identifier: id });
        const flags = await withClient(async (client) => (await client.query<{ product_exists: number; license_key_exists: number }>(
          'SELECT product_exists, license_key_exists FROM telemetry WHERE user_identifier = $1', [id])).rows[0], databaseUrl);
        return Number(flags?.product_exists) === 1 && Number(flags?.license_key_exists) === 1;
      };
      const delays = await Promise.all(urls().map((url) => msUntil(start, REGISTRY_CACHE_MS + SLACK_MS, () => known(url))));
      assertWithinBound(t, delays);
    });

    it('signs with a key rotated through the CLI on every instance within the registry cache time', async (t) => {
      const keyIdOf = async (url: string): Promise<string | null> =>
        (await fetch(`${url}/api/v1/get-telemetry-data?api_key=none`)).headers.get('x-tally-key-id');
      // Timed from the CLI's answer: making an RSA-4096 key takes a random 0.5-5 s (a prime search) before
      // anything is committed, and that is not the instances' delay.
      const rotated = await cliJson<{ key_id: string; retired_key_id: string }>(databaseUrl, ['keys', 'rotate']);
      const start = performance.now();
      const delays = await Promise.all(urls().map((url) => msUntil(start, REGISTRY_CACHE_MS + SLACK_MS, async () => (await keyIdOf(url)) === rotated.key_id)));
      assertWithinBound(t, delays);
      for (const url of urls()) assert.equal(await keyIdOf(url), rotated.key_id, 'never back to the retired key');
    });

    it('stops every instance cleanly on SIGTERM (exit code 0)', async () => {
      for (const instance of instances) instance.child.kill('SIGTERM');
      const codes = await Promise.all(instances.map(async (instance) => (await instance.exited)[0]));
      assert.deepEqual(codes, instances.map(() => 0));
    });
  });
}

// PostgreSQL only by nature: it runs once, in the system tests, whichever backend the HTTP tests use.
await describeWithPostgres('several tally serve instances', describeMultiInstance);
