/**
 * `node dist/bench/ab-inject.js CHECKOUT_A CHECKOUT_B [rounds]`: loads the built app of two
 * checkouts (each built, e.g. a `git worktree` of an older commit) into this one process, feeds
 * both the same single report through `app.inject` (no sockets, SQLite, rate limits off) in
 * alternating blocks of 3,000, and prints the median and minimum CPU time of the process per
 * request for each. Alternating in one process cancels most of what a shared machine adds to
 * separate runs; a change of a few µs per request shows here before it shows in `npm run bench`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Send = (count: number) => Promise<void>;
type Module = Record<string, (...args: never[]) => unknown>;

const BLOCK = 3000;
const CONCURRENT = 50;

/** The first of `files` that the checkout has built (a module may have moved between the two). */
async function load(checkout: string, ...files: string[]): Promise<Module> {
  const file = files.find((f) => fs.existsSync(path.resolve(checkout, 'dist/src', f))) ?? files[0] ?? '';
  return (await import(path.resolve(checkout, 'dist/src', file))) as Module;
}

/** The checkout's app on a fresh SQLite store with one product, license, activation and key; returns a sender of `count` reports. */
async function setup(checkout: string): Promise<Send> {
  const [app, config, store, runtime, keys] = await Promise.all([
    load(checkout, 'app.js'), load(checkout, 'config/config.js', 'config.js'), load(checkout, 'store/open-store.js'),
    load(checkout, 'runtime.js'), load(checkout, 'registry/api-keys.js'),
  ]);
  type Registry = { createProduct(i: object): Promise<{ id: number }>; createLicense(i: object): Promise<{ id: number }>; createActivation(id: number, a: string): Promise<unknown> };
  type Inject = { inject(o: object): Promise<{ statusCode: number; body: string }>; ready(): Promise<unknown> };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-ab-'));
  const cfg = (config!['loadConfig'] as (f: object, e: object) => object)({ dataDir, databaseUrl: null, logLevel: 'silent', rateLimitPerIp: 0, rateLimitPerKey: 0, sqliteSynchronous: 'OFF' }, {});
  const opened = (await (store!['openStore'] as (c: object) => Promise<{ registry: Registry }>)(cfg));
  const product = await opened.registry.createProduct({ name: 'A', versions: ['1.0.0'] });
  const license = await opened.registry.createLicense({ product_id: product.id, key: 'LIC', status: 'active', expires_at: null });
  await opened.registry.createActivation(license.id, 'm');
  const { secret } = await (keys!['createApiKey'] as (r: Registry, i: object) => Promise<{ secret: string }>)(opened.registry, { name: 'ab' });
  const deps = await (runtime!['createAppDeps'] as (c: object, s: object) => Promise<object>)(cfg, opened);
  const instance = await (app!['buildApp'] as (d: object) => Promise<Inject>)(deps);
  await instance.ready();
  const payload = new URLSearchParams({
    api_key: secret, product_id: String(product.id), user_identifier: 'u', license_key: 'LIC', activation_identifier: 'm',
    product_version: '1.0.0', data_type: 'numeric-single-value', numeric_data_single_value: '5', data_group: 'g',
  }).toString();
  const one = (): Promise<{ statusCode: number; body: string }> =>
    instance.inject({ method: 'POST', url: '/api/v1/send-telemetry-data', payload, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  return async (count) => {
    for (let sent = 0; sent < count; sent += CONCURRENT) {
      const answers = await Promise.all(Array.from({ length: CONCURRENT }, one));
      if (answers[0]?.statusCode !== 200) throw new Error(`${checkout}: ${answers[0]?.body ?? 'no answer'}`);
    }
  };
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const [a, b, roundsText] = process.argv.slice(2);
  if (a === undefined || b === undefined) throw new Error('usage: node dist/bench/ab-inject.js CHECKOUT_A CHECKOUT_B [rounds]');
  const rounds = Number(roundsText ?? 20);
  const senders = new Map<string, Send>([[a, await setup(a)], [b, await setup(b)]]);
  const samples = new Map<string, number[]>([[a, []], [b, []]]);
  for (const send of senders.values()) await send(5000);
  for (let round = 0; round < rounds; round++) {
    for (const checkout of round % 2 === 0 ? [a, b] : [b, a]) {
      const before = process.cpuUsage();
      await senders.get(checkout)?.(BLOCK);
      const used = process.cpuUsage(before);
      samples.get(checkout)?.push((used.user + used.system) / BLOCK);
    }
  }
  for (const [checkout, values] of samples) {
    console.log(`${checkout}: median ${median(values).toFixed(1)} µs, min ${Math.min(...values).toFixed(1)} µs of CPU per request (${values.length} blocks of ${BLOCK})`);
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
