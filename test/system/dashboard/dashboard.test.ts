import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { nowMicros } from '../../../src/model/clock.js';
import { form, post, startTestServer, type TestServer } from '../../http/test-server.js';
import { browserSkipReason, drawnPixels, launchBrowser, logIn } from './browser.js';
import { seedTelemetry, type SeededTelemetry } from './seed-telemetry.js';

const skip = browserSkipReason();
let server: TestServer;
let seeded: SeededTelemetry;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** The browser tests: a real headless Chromium against a real server (SQLite) with seeded reports. */
describe('dashboard in a headless Chromium', { skip, timeout: 60_000 }, () => {
  before(async () => {
    server = await startTestServer();
    seeded = await seedTelemetry(server.store, server.seed, nowMicros());
    browser = await launchBrowser();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses a wrong admin token on the login form, then logs in with the right one', async () => {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Admin token').fill('test-admin-token-wrong-0000');
    await page.getByRole('button', { name: 'Log in with the admin token' }).click();
    await page.getByRole('alert').filter({ hasText: 'Login failed' }).waitFor();
    await logIn(page, server.url, server.adminToken);
    const [cookie] = await context.cookies();
    assert.equal(cookie?.name, 'tally_session');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, 'Strict');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie), '', 'scripts cannot read the session');
  });

  it('shows the seeded totals on the overview and draws its charts', async () => {
    await page.goto(`${server.url}/#/overview`);
    const tile = (name: string) => page.locator(`[data-tile="${name}"] .tile-value`);
    await tile('total').waitFor();
    assert.equal(await tile('total').textContent(), String(seeded.total));
    assert.equal(await tile('clean').textContent(), String(seeded.clean));
    assert.equal(await tile('flagged').textContent(), String(seeded.flagged));
    assert.ok((await drawnPixels(page, '[data-chart="reports-over-time"] canvas')) > 1000, 'bars are drawn');
    assert.ok((await drawnPixels(page, '[data-chart="flagged-share"] canvas')) > 500, 'the share line is drawn');
    const productA = page.getByRole('row').filter({ hasText: 'Product A' });
    assert.match((await productA.textContent()) ?? '', /77\s*72\s*5/);
  });

  it('charts a numeric data group with its exact statistics, and narrows it by flag', async () => {
    await page.goto(`${server.url}/#/groups?data_group=startup_ms`);
    const stats = page.getByRole('table', { name: 'Statistics (exact, nearest rank)' });
    await stats.waitFor();
    const values = [...seeded.startupValues].sort((a, b) => a - b);
    const cells = await stats.locator('tbody td').allTextContents();
    assert.deepEqual(cells.slice(0, 3), [String(values.length), String(values[0]), String(values[values.length - 1])]);
    assert.ok((await drawnPixels(page, '[data-chart="histogram"] canvas')) > 500);
    assert.ok((await drawnPixels(page, '[data-chart="value-over-time"] canvas')) > 200);
    await page.getByLabel('Red flags').selectOption('1');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/has_red_flags=1/);
    await stats.locator('tbody td').first().filter({ hasText: String(seeded.pirateReports) }).waitFor();
  });

  it('charts a text data group as its most frequent values', async () => {
    await page.goto(`${server.url}/#/groups?data_group=os`);
    const top = page.getByRole('table', { name: 'Most frequent values' });
    await top.waitFor();
    const rows = await top.locator('tbody tr').allTextContents();
    assert.deepEqual(rows, Object.entries(seeded.textCounts).map(([value, count]) => `${value}${count}`));
    assert.ok((await drawnPixels(page, '[data-chart="top-texts"] canvas')) > 300);
  });

  it('charts an xy data group as a scatter of its points', async () => {
    await page.goto(`${server.url}/#/groups?data_group=frame_times`);
    await page.getByText('20 points', { exact: true }).waitFor();
    assert.ok((await drawnPixels(page, '[data-chart="xy"] canvas')) > 200);
  });

  it('lists the pirate license key and drills down to its reports', async () => {
    await page.goto(`${server.url}/#/piracy`);
    const row = page.getByRole('table', { name: 'License keys' }).getByRole('row').filter({ hasText: seeded.pirateKey });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /unknown key × 5/);
    await row.getByRole('link', { name: 'Show reports' }).click();
    await page.getByRole('heading', { name: 'Records' }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    assert.equal(await page.locator('tbody tr').count(), seeded.pirateReports);
  });

  it('filters the records table and exports exactly the filtered records as CSV', async () => {
    await page.goto(`${server.url}/#/records`);
    await page.getByLabel('License key').fill(seeded.pirateKey);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(new RegExp(`license_key=${seeded.pirateKey}`));
    await page.locator('tbody tr').first().waitFor();
    assert.equal(await page.locator('tbody tr').count(), seeded.pirateReports);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="csv"]').click()]);
    const csv = fs.readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
    assert.equal(csv.length, 1 + seeded.pirateReports, 'a header and one row per filtered record');
    assert.match(csv[0] ?? '', /^id,user_identifier,license_key/);
    // Text cells are quoted (CSV exports neutralise formulas by default, docs/security.md §9).
    assert.ok(csv.slice(1).every((line) => line.includes(`,"${seeded.pirateKey}",`)));
  });

  it('creates a product in the registry', async () => {
    await page.goto(`${server.url}/#/registry`);
    const create = page.getByRole('form', { name: 'Create a product' });
    await create.getByLabel('Name').fill('Browser Product');
    await create.getByLabel('Versions (comma-separated)').fill('3.0.0');
    await create.getByRole('button', { name: 'Create product' }).click();
    await create.getByRole('status').filter({ hasText: 'Created product' }).waitFor();
    await page.getByRole('table', { name: 'Registered products' }).getByRole('row').filter({ hasText: 'Browser Product' }).waitFor();
  });

  it('creates an API key whose secret is shown once and works, then deactivates and revokes it', async () => {
    await page.goto(`${server.url}/#/registry`);
    const create = page.getByRole('form', { name: 'Create an API key' });
    await create.getByLabel('Name').fill('from-the-browser');
    await create.getByRole('button', { name: 'Create key' }).click();
    const secret = (await create.locator('[data-secret]').textContent()) ?? '';
    assert.match(secret, /^\S{20,}$/);
    const sent = await post(`${server.url}/api/v1/send-telemetry-data`, form({
      api_key: secret, product_id: String(server.seed.productA), user_identifier: 'u', license_key: 'LIC-ACTIVE',
      activation_identifier: 'act-1', product_version: '1.1.0', data_type: 'text', data_group: 'keys', text_data: 'made in the browser',
    }), 'application/x-www-form-urlencoded');
    assert.equal(sent.response.code, 830, 'the new key authenticates');
    const row = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'from-the-browser' });
    await row.getByRole('button', { name: 'Deactivate key from-the-browser' }).click();
    await row.getByRole('cell', { name: 'inactive', exact: true }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke key from-the-browser' }).click();
    await row.getByRole('cell', { name: 'revoked', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('table', { name: 'API keys' }).waitFor();
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is never shown again');
  });

  it('creates a key with a pinned signature scheme and changes the scheme from its select', async () => {
    await page.goto(`${server.url}/#/registry`);
    const create = page.getByRole('form', { name: 'Create an API key' });
    await create.getByLabel('Name').fill('scheme-in-the-browser');
    await create.getByLabel('Signature scheme').selectOption('getkeymanager-php');
    await create.getByRole('button', { name: 'Create key' }).click();
    await create.locator('[data-secret]').waitFor();
    const scheme = page.getByLabel('Signature scheme of key scheme-in-the-browser');
    assert.equal(await scheme.inputValue(), 'getkeymanager-php');
    await scheme.selectOption('contract');
    await page.getByRole('status').filter({ hasText: 'Key "scheme-in-the-browser" is now signed with contract.' }).waitFor();
    const listed = (await (await page.request.get(`${server.url}/admin/api/api-keys`)).json()) as { api_keys: Array<{ name: string; signature_scheme: string }> };
    assert.equal(listed.api_keys.find((key) => key.name === 'scheme-in-the-browser')?.signature_scheme, 'contract');
    await page.reload();
    assert.equal(await page.getByLabel('Signature scheme of key scheme-in-the-browser').inputValue(), 'contract');
  });

  it('blocks the pirate license key from the piracy view; its next report is refused with 150 and shown as blocked', async () => {
    await page.goto(`${server.url}/#/piracy`);
    await page.getByRole('button', { name: `Block ${seeded.pirateKey}` }).click();
    await page.getByRole('status').filter({ hasText: `Blocked ${seeded.pirateKey}` }).waitFor();
    const refused = await post(`${server.url}/api/v1/send-telemetry-data`, form({
      api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: 'mallory', license_key: seeded.pirateKey,
      activation_identifier: 'pirate-9', product_version: '1.1.0', data_type: 'text', data_group: 'os', text_data: 'linux',
    }), 'application/x-www-form-urlencoded');
    assert.equal(refused.response.code, 150);
    await page.goto(`${server.url}/#/records?blocked=1`);
    await page.locator('tbody tr').first().waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1);
    assert.match((await page.locator('tbody tr').textContent()) ?? '', /blocked/);
    await page.goto(`${server.url}/#/registry`);
    const entries = page.getByRole('table', { name: 'Blocked IPs, users and license keys' });
    await entries.getByRole('row').filter({ hasText: seeded.pirateKey }).waitFor();
    const add = page.getByRole('form', { name: 'Block' });
    await add.getByLabel('Kind').selectOption('ip');
    await add.getByLabel('Value').fill('198.51.100.0/24');
    await add.getByRole('button', { name: 'Block' }).click();
    await entries.getByRole('row').filter({ hasText: '198.51.100.0/24' }).waitFor();
    await page.getByRole('button', { name: 'Unblock 198.51.100.0/24' }).click();
    await page.getByRole('status').filter({ hasText: 'Unblocked 198.51.100.0/24' }).waitFor();
    assert.equal(await entries.getByRole('row').filter({ hasText: '198.51.100.0/24' }).count(), 0);
  });

  it('shows a new report on the live page without a reload', async () => {
    await page.goto(`${server.url}/#/live`);
    await page.getByRole('status').filter({ hasText: 'last checked' }).waitFor();
    const sent = await post(`${server.url}/api/v1/send-telemetry-data`, form({
      api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: 'live-user', license_key: 'LIC-ACTIVE',
      activation_identifier: 'act-1', product_version: '1.1.0', data_type: 'text', data_group: 'live', text_data: 'hello from the test',
    }), 'application/x-www-form-urlencoded');
    assert.equal(sent.response.code, 830);
    await page.getByRole('cell', { name: 'hello from the test' }).waitFor({ timeout: 10_000 });
  });

  it('lays the overview out at phone width without horizontal scrolling', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${server.url}/#/overview`);
    await phone.locator('[data-tile="total"]').waitFor();
    const overflow = await phone.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    assert.equal(overflow, 0);
    await phone.close();
  });

  it('logs out: the dashboard asks for the token again', async () => {
    await page.goto(`${server.url}/#/overview`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Admin token').waitFor();
    const res = await page.request.get(`${server.url}/admin/api/products`);
    assert.equal(res.status(), 401);
  });
});
