import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../../../src/registry/accounts/passwords.js';
import { openStore } from '../../../src/store/open-store.js';
import { CLI } from '../../http/cli-runner.js';
import { TEST_ADMIN_TOKEN } from '../../http/test-server.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL, urlInSchema } from '../../postgres-helpers.js';
import { browserSkipReason, launchBrowser, logInWithPassword } from './browser.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';
import { TEST_PASSWORD_COST } from '../../password-cost.js';

/**
 * Issue 18's "done when": two people with different roles use the dashboard at the same time on
 * two instances behind a load balancer. Two `tally serve` processes share one PostgreSQL schema;
 * a round-robin proxy (no stickiness) sends every other request to the other one; an admin and a
 * viewer log in through it in two Chromium contexts.
 */

const ADMIN = { name: 'ada@example.com', password: 'admin password 1' };
const VIEWER = { name: 'vic@example.com', password: 'viewer password 1' };

interface Instance {
  child: ChildProcess;
  url: string;
}

function serve(databaseUrl: string, dataDir: string): Promise<Instance> {
  const args = [CLI, 'serve', '--database-url', databaseUrl, '--data-dir', dataDir, '--port', '0', '--log-level', 'warn', '--admin-token', TEST_ADMIN_TOKEN];
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

async function stop(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null) return;
  const exited = once(instance.child, 'exit');
  instance.child.kill('SIGTERM');
  await exited;
}

/** Logs in through the login form, as a person does. */
function logIn(page: Page, base: string, who: { name: string; password: string }): Promise<void> {
  return logInWithPassword(page, base, who.name, who.password);
}

/** An admin API call from the page with its session cookie (and CSRF token for a change): status and error. */
async function fromPage(page: Page, method: string, apiPath: string, body?: unknown): Promise<{ status: number; error: string | null }> {
  return page.evaluate(`(async () => {
    const session = await (await fetch('/admin/api/session')).json();
    const headers = { 'x-tally-csrf': session.csrf_token ?? '', 'content-type': 'application/json' };
    const response = await fetch(${JSON.stringify(apiPath)}, { method: ${JSON.stringify(method)}, headers, body: ${JSON.stringify(body === undefined ? null : JSON.stringify(body))} });
    const text = await response.text();
    let error = null;
    try { error = JSON.parse(text).error ?? null; } catch {}
    return { status: response.status, error };
  })()`);
}

/** Polls until `check` holds (another instance may answer from its registry cache for a moment). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail(`never happened: ${what}`);
}

const skip = browserSkipReason();

await describeWithPostgres('the dashboard on two instances behind a round-robin proxy', () => {
  describe('two people, two instances, one load balancer', { skip, timeout: 180_000 }, () => {
    const schema = randomName();
    const dataDirs: string[] = [];
    const instances: Instance[] = [];
    let proxy: RoundRobinProxy;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    let admin: Page;
    let viewer: Page;

    before(async () => {
      const databaseUrl = urlInSchema(schema);
      const setupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-two-'));
      dataDirs.push(setupDir);
      const store = await openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: setupDir, sqliteSynchronous: 'FULL', schema });
      try {
        await store.accounts.create({ name: ADMIN.name, role: 'admin', products: null, password_hash: await hashPassword(ADMIN.password, TEST_PASSWORD_COST) });
        await store.accounts.create({ name: VIEWER.name, role: 'viewer', products: null, password_hash: await hashPassword(VIEWER.password, TEST_PASSWORD_COST) });
      } finally {
        await store.close();
      }
      for (let i = 0; i < 2; i += 1) {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-two-'));
        dataDirs.push(dataDir);
        instances.push(await serve(databaseUrl, dataDir));
      }
      proxy = await startRoundRobinProxy(instances.map((instance) => instance.url));
      browser = await launchBrowser();
      for (let i = 0; i < 2; i += 1) contexts.push(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
      [admin, viewer] = await Promise.all(contexts.map((context) => context.newPage())) as [Page, Page];
    });

    after(async () => {
      await browser?.close();
      await proxy?.close();
      await Promise.all(instances.map(stop));
      for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
      await dropSchemas([schema]);
    });

    it('logs an admin and a viewer in at the same time through the proxy, each seeing their role', async () => {
      await Promise.all([logIn(admin, proxy.url, ADMIN), logIn(viewer, proxy.url, VIEWER)]);
      assert.equal(await admin.locator('#whoami').textContent(), 'signed in as ada@example.com (admin)');
      assert.equal(await viewer.locator('#whoami').textContent(), 'signed in as vic@example.com (viewer)');
      assert.equal(await viewer.locator('#read-only').isVisible(), true);
      assert.equal(await admin.locator('#read-only').isVisible(), false);
    });

    it('loads the viewer\'s pages while the admin works, and shows the viewer no way to change anything', async () => {
      const pages = ['overview', 'records', 'registry', 'webhooks', 'tokens'];
      for (const name of pages) {
        await Promise.all([admin.goto(`${proxy.url}/#/${name}`), viewer.goto(`${proxy.url}/#/${name}`)]);
        await viewer.locator('main h1').first().waitFor();
        assert.equal(await viewer.locator('main [role="alert"]').count(), 0, `the viewer's ${name} page shows an error`);
      }
      await viewer.goto(`${proxy.url}/#/registry`);
      await viewer.getByRole('heading', { name: 'Products and versions' }).waitFor();
      for (const name of ['Create a product', 'Add a version', 'Create a license', 'Import licenses', 'Record an activation', 'Create an API key']) {
        const form = viewer.getByRole('form', { name, includeHidden: true });
        assert.equal(await form.count(), 1, `the registry page has "${name}"`);
        assert.equal(await form.isVisible(), false, `the viewer sees "${name}"`);
      }
      assert.equal(await viewer.getByRole('form', { name: 'Find a license' }).isVisible(), true, 'reading stays open to the viewer');
      await admin.goto(`${proxy.url}/#/registry`);
      await admin.getByRole('button', { name: 'Create product' }).waitFor();
    });

    it('refuses a change the viewer tries anyway with 403 and says why, on either instance', async () => {
      for (let i = 0; i < 4; i += 1) {
        const refused = await fromPage(viewer, 'POST', '/admin/api/products', { name: `sneaky ${i}` });
        assert.deepEqual(refused, { status: 403, error: 'POST /admin/api/products needs the admin role; you are a viewer.' });
      }
    });

    it('shows the viewer the product the admin creates through the dashboard', async () => {
      await admin.goto(`${proxy.url}/#/registry`);
      const form = admin.getByRole('form', { name: 'Create a product' });
      await form.getByLabel('Name').fill('Shared Product');
      await form.getByRole('button', { name: 'Create product' }).click();
      await form.getByRole('status').filter({ hasText: /Shared Product|Created|created/ }).waitFor();
      await viewer.goto(`${proxy.url}/#/registry`);
      await eventually(async () => {
        // A reload: the dashboard keeps the product list it read for the page's life.
        await viewer.reload();
        const table = viewer.getByRole('table', { name: 'Registered products' });
        await table.waitFor();
        return ((await table.textContent()) ?? '').includes('Shared Product');
      }, 'the viewer sees Shared Product');
    });

    it('keeps both logged in across many requests that reach both instances', async () => {
      const before = new Map(proxy.counts);
      for (let i = 0; i < 20; i += 1) {
        const [a, v] = await Promise.all([fromPage(admin, 'GET', '/admin/api/session'), fromPage(viewer, 'GET', '/admin/api/session')]);
        assert.equal(a.status, 200, `admin request ${i}`);
        assert.equal(v.status, 200, `viewer request ${i}`);
      }
      for (const [upstream, count] of proxy.counts) assert.ok(count - (before.get(upstream) ?? 0) >= 20, `${upstream} got ${count} requests`);
      await admin.goto(`${proxy.url}/#/overview`);
      await admin.getByRole('heading', { name: 'Overview' }).waitFor();
      assert.equal(await admin.locator('#login').isVisible(), false);
    });
  });
});
