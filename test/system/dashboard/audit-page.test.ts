import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../http/test-server.js';
import { browserSkipReason, launchBrowser, logIn } from './browser.js';

const skip = browserSkipReason();
let server: TestServer;
let browser: Browser;
let page: Page;

/** The Audit page in a real headless Chromium: a change made on the dashboard shows up there, filtered, paged and exportable. */
describe('dashboard: the Audit page in a headless Chromium', { skip, timeout: 60_000 }, () => {
  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Tokyo', acceptDownloads: true })).newPage();
    await logIn(page, server.url, server.adminToken);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists a change made on the dashboard with who made it, from where, in local time, and the fields that changed', async () => {
    await page.goto(`${server.url}/#/registry`);
    const add = page.getByRole('form', { name: 'Block' });
    await add.getByLabel('Kind').selectOption('ip');
    await add.getByLabel('Value').fill('198.51.100.0/24');
    await add.getByRole('button', { name: 'Block' }).click();
    await page.getByRole('table', { name: 'Blocked IPs, users and license keys' }).getByRole('row').filter({ hasText: '198.51.100.0/24' }).waitFor();

    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Audit log entries' });
    const row = table.getByRole('row').filter({ hasText: 'block.add' });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    assert.match(text, /admin-token \(session\)/);
    assert.match(text, /127\.0\.0\.1/);
    assert.match(text, /value: – → 198\.51\.100\.0\/24/);
    assert.match(text, /kind: – → ip/);
    const [stored] = await server.store.audit.list({ limit: 1 });
    assert.ok(stored);
    const tokyo = new Date(stored.at_us / 1000 + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    assert.ok(text.includes(tokyo), `local (Asia/Tokyo) time ${tokyo} in ${text}`);
    assert.match((await table.getByRole('columnheader').first().textContent()) ?? '', /Asia\/Tokyo/);
  });

  it('filters by action, pages to older entries, and offers exports with the same filters', async () => {
    for (let i = 0; i < 55; i++) await server.store.audit.record({ actor: { kind: 'cli', accountId: null, name: 'cli:seed', ip: null }, action: 'product.create', targetType: 'product', targetId: String(1000 + i), changes: {} });
    await page.goto(`${server.url}/#/audit`);
    await page.getByLabel('Action (or its subject)').fill('block');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/#\/audit\?action=block/);
    const table = page.getByRole('table', { name: 'Audit log entries' });
    await table.getByRole('row').filter({ hasText: 'block.add' }).waitFor();
    assert.equal(await table.getByRole('row').filter({ hasText: 'product.create' }).count(), 0);
    const csv = page.getByRole('link', { name: 'Export CSV' });
    assert.match((await csv.getAttribute('href')) ?? '', /^\/admin\/api\/audit\/export\?action=block&format=csv$/);
    const download = await Promise.all([page.waitForEvent('download'), csv.click()]).then(([d]) => d);
    const path = await download.path();
    assert.ok(path);
    const { readFile } = await import('node:fs/promises');
    const body = await readFile(path, 'utf8');
    assert.match(body, /^id,at,actor_kind/);
    assert.match(body, /"block\.add"/);

    await page.goto(`${server.url}/#/audit`);
    await table.getByRole('row').filter({ hasText: 'product 1054' }).waitFor();
    assert.equal(await table.locator('tbody tr').count(), 50);
    await page.getByRole('link', { name: 'Older' }).click();
    await table.getByRole('row').filter({ hasText: 'product 1004' }).waitFor();
    assert.equal(await table.getByRole('row').filter({ hasText: 'product 1054' }).count(), 0);
    await page.getByRole('link', { name: 'Newest' }).waitFor();
  });
});
