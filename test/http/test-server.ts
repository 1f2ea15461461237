import fs from 'node:fs';
import { NO_AUDIT } from '../audit-helpers.js';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { applyConfiguredAdminToken } from '../../src/registry/admin-token.js';
import { createApiKey, type ApiKeyRequest } from '../../src/registry/api-keys.js';
import { openStore, type OpenStoreOptions } from '../../src/store/open-store.js';
import { createAppDeps } from '../../src/runtime.js';
import type { Store } from '../../src/store/contract/store.js';
import { dropSchemas, randomName, TEST_DATABASE_URL, urlInSchema } from '../postgres-helpers.js';
import { TEST_PASSWORD_HASH_COST } from '../password-cost.js';

/** Which store the HTTP tests run on: `TALLY_TEST_BACKEND=postgres` (read here only) or SQLite. */
export const TEST_BACKEND: 'sqlite' | 'postgres' = process.env.TALLY_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

/** The skip reason for a test that runs only on SQLite (it spawns the CLI on a data dir), or false. */
export const SQLITE_ONLY: string | false =
  TEST_BACKEND === 'postgres' ? 'spawns tally on a SQLite data dir; runs in the SQLite pass' : false;

/** The registry every HTTP test starts from. */
export interface Seed {
  productA: number;
  productB: number;
  keys: { full: string; getOnly: string; inactive: string; otherIp: string; scopedToB: string; revoked: string };
}

export interface TestServer {
  url: string;
  dataDir: string;
  /** Flags that point the CLI at this server's database (`--data-dir …` or `--database-url …`). */
  cliStoreArgs: string[];
  store: Store;
  seed: Seed;
  /** The admin token the server accepts (`Authorization: Bearer …` on /admin/api/). */
  adminToken: string;
  /** Every route of the app as Fastify prints them (`app.printRoutes({ commonPrefix: false })`): admin-route-list.ts reads it. */
  printedRoutes: string;
  /** Writes the API key last-use times the app keeps in memory (server.ts does this every 30 s). */
  flushKeyUsage(): Promise<void>;
  /** Resolves when the version.unreleased alerts started by stored reports are written. */
  alertsIdle(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

async function seedRegistry(store: Store): Promise<Seed> {
  const r = store.registry;
  const a = await r.createProduct({ name: 'Product A', versions: ['1.0.1', '1.1.0'] });
  const b = await r.createProduct({ name: 'Product B', versions: ['2.0.0'] });
  const active = await r.createLicense({ product_id: a.id, key: 'LIC-ACTIVE', status: 'active', expires_at: null });
  const blocked = await r.createLicense({ product_id: a.id, key: 'LIC-BLOCKED', status: 'blocked', expires_at: null });
  const expired = await r.createLicense({ product_id: a.id, key: 'LIC-EXPIRED', status: 'active', expires_at: '2020-01-01T00:00:00.000Z' });
  const ofB = await r.createLicense({ product_id: b.id, key: 'LIC-B', status: 'active', expires_at: null });
  for (const license of [active, blocked, expired, ofB]) await r.createActivation(license.id, 'act-1');
  const key = async (name: string, extra: Omit<ApiKeyRequest, 'name'> = {}) => (await createApiKey(r, { name, ...extra }, NO_AUDIT)).secret;
  const keys = {
    full: await key('full', { capabilities: ['send_telemetry', 'get_telemetry'] }),
    getOnly: await key('get-only', { capabilities: ['get_telemetry'] }),
    inactive: await key('inactive'),
    otherIp: await key('other-ip', { allowedIps: ['10.0.0.0/8'] }),
    scopedToB: await key('scoped', { products: [b.id] }),
    revoked: await key('revoked'),
  };
  const all = await r.listApiKeys();
  await r.setApiKeyActive(all.find((k) => k.name === 'inactive')!.id, false);
  await r.revokeApiKey(all.find((k) => k.name === 'revoked')!.id);
  return { productA: a.id, productB: b.id, keys };
}

/** Where a test server keeps its data: a fresh data dir, plus a fresh schema on PostgreSQL. */
interface TestDatabase {
  dataDir: string;
  schema: string | undefined;
  cliStoreArgs: string[];
}

function freshDatabase(backend: 'sqlite' | 'postgres'): TestDatabase {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-http-'));
  if (backend === 'sqlite') return { dataDir, schema: undefined, cliStoreArgs: ['--data-dir', dataDir] };
  const schema = randomName();
  return { dataDir, schema, cliStoreArgs: ['--database-url', urlInSchema(schema)] };
}

/** What a test may set beyond the settings: the backend whatever TALLY_TEST_BACKEND says, store options that are no setting. */
export interface TestServerOptions {
  backend?: 'sqlite' | 'postgres';
  store?: Pick<OpenStoreOptions, 'readCheckIntervalMs'>;
}

/**
 * Builds the app on a fresh store (a SQLite data dir, or with `TALLY_TEST_BACKEND=postgres` a
 * fresh schema on TEST_DATABASE_URL, dropped on close), seeds the registry and listens on a real socket.
 * Rate limits are off unless a test sets them (many tests send thousands of requests from one IP);
 * new password hashes use the tests' low cost (test/password-cost.ts).
 */
export async function startTestServer(overrides: Partial<Record<keyof Config, unknown>> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const { dataDir, schema, cliStoreArgs } = freshDatabase(options.backend ?? TEST_BACKEND);
  const databaseUrl = schema === undefined ? null : TEST_DATABASE_URL;
  const config = loadConfig({ dataDir, databaseUrl, logLevel: 'silent', port: 0, adminToken: TEST_ADMIN_TOKEN, rateLimitPerIp: 0, rateLimitPerKey: 0, passwordHashCost: TEST_PASSWORD_HASH_COST, ...overrides }, {});
  const store = await openStore({ ...config, schema, ...options.store });
  const seed = await seedRegistry(store);
  await applyConfiguredAdminToken(store.secrets, config.adminToken, NO_AUDIT);
  const adminToken = config.adminToken ?? '';
  const deps = await createAppDeps(config, store);
  const app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    cliStoreArgs,
    store,
    seed,
    adminToken,
    printedRoutes: app.printRoutes({ commonPrefix: false }),
    flushKeyUsage: () => deps.keyUsage.flush(),
    alertsIdle: () => deps.versionAlerts.idle(),
    async close() {
      await app.close();
      await deps.committer.drain();
      await deps.versionAlerts.idle();
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (schema !== undefined) await dropSchemas([schema]);
    },
  };
}

/** The `response` object of a signed answer, with its HTTP status. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  response: { code: number; message: string; errors?: unknown; timestamp: number } & Record<string, unknown>;
}

export async function post(url: string, body: string | FormData, contentType?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const init: RequestInit = { method: 'POST', body, headers: { ...headers, ...(contentType ? { 'content-type': contentType } : {}) } };
  const res = await fetch(url, init);
  const text = await res.text();
  const parsed = JSON.parse(text) as { response: Answer['response'] };
  return { status: res.status, headers: res.headers, text, response: parsed.response };
}

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
