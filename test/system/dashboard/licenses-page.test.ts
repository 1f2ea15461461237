import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, TEST_BACKEND, type TestServer } from '../../http/test-server.js';
import { browserSkipReason, launchBrowser, logIn } from './browser.js';

const skip = browserSkipReason();
let server: TestServer;
let browser: Browser;
let page: Page;
let productId: number;
const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-licenses-page-'));

const licensesTable = (): ReturnType<Page['getByRole']> => page.getByRole('table', { name: 'Licenses', exact: true });
const row = (key: string): ReturnType<Page['getByRole']> => licensesTable().getByRole('row').filter({ has: page.getByRole('cell', { name: key, exact: true }) });

/** The Licenses page in a real headless Chromium against a real server: filters, paging, details, edits, lifecycle, bulk, import. */
describe(`dashboard: the Licenses page in a headless Chromium (${TEST_BACKEND})`, { skip, timeout: 120_000 }, () => {
  before(async () => {
    server = await startTestServer();
    const r = server.store.registry;
    productId = (await r.createProduct({ name: 'Paged App', versions: [] })).id;
    await r.importLicenses(Array.from({ length: 60 }, (_, i) => ({ product_id: productId, key: `PAGE-${String(i).padStart(2, '0')}`, status: 'active' as const, expires_at: null })));
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await logIn(page, server.url, server.adminToken);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(tempDir, { recursive: true, force: true });
  });

  it('lists licenses filtered by product and pages through them', async () => {
    await page.getByRole('link', { name: 'Licenses' }).click();
    await page.getByRole('heading', { name: 'Licenses', level: 1 }).waitFor();
    await page.getByLabel('Product', { exact: true }).selectOption(String(productId));
    await page.getByRole('button', { name: 'Apply' }).click();
    await row('PAGE-00').waitFor();
    assert.equal(await licensesTable().getByRole('row').count(), 51);
    await page.getByRole('link', { name: 'Next page' }).click();
    await row('PAGE-59').waitFor();
    assert.equal(await licensesTable().getByRole('row').count(), 11);
    await page.getByRole('link', { name: 'First page' }).click();
    await row('PAGE-00').waitFor();
  });

  it('searches, shows a license\'s details with its activations, edits it, and deactivates an activation after importing activations', async () => {
    const file = path.join(tempDir, 'activations.csv');
    fs.writeFileSync(file, `license_key,identifier,product_id\nPAGE-07,laptop,${productId}\nPAGE-07,desktop,${productId}\n`);
    await page.getByLabel('CSV (license_key,identifier,product_id) or NDJSON file').setInputFiles(file);
    await page.getByRole('button', { name: 'Import activations' }).click();
    await page.getByText('Imported 2 activation(s); 0 were recorded already.').waitFor();
    await page.getByLabel('Search key or notes').fill('page-07');
    await page.getByRole('button', { name: 'Apply' }).click();
    await row('PAGE-07').waitFor();
    await row('PAGE-08').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Details of PAGE-07' }).click();
    await page.getByRole('heading', { name: 'License PAGE-07' }).waitFor();
    const activations = page.getByRole('table', { name: 'Activations of PAGE-07' });
    await activations.getByRole('row').filter({ hasText: 'laptop' }).waitFor();
    await page.getByLabel('Seats (empty: server default)').fill('3');
    await page.getByLabel('Notes', { exact: true }).fill('Reseller: Contoso');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved PAGE-07.').waitFor();
    const [license] = await server.store.registry.findLicenses('PAGE-07');
    assert.equal(license?.max_activations, 3);
    assert.equal(license?.notes, 'Reseller: Contoso');
    await page.getByRole('button', { name: 'Deactivate laptop' }).click();
    await page.getByText('Deactivated laptop.').waitFor();
    await activations.getByRole('row').filter({ hasText: /laptop.*deactivated/ }).waitFor();
    const listed = await server.store.registry.listActivations({ licenseId: license?.id ?? 0, limit: 10 });
    assert.deepEqual(listed.map((a) => [a.identifier, a.deactivated_at === null]), [['laptop', false], ['desktop', true]]);
  });

  it('blocks, unblocks and revokes a license from its details, and deletes one', async () => {
    await page.getByRole('button', { name: 'Block', exact: true }).click();
    await page.getByText('License PAGE-07 is blocked.').waitFor();
    await page.getByRole('button', { name: 'Unblock', exact: true }).click();
    await page.getByText('License PAGE-07 is active.').waitFor();
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    await page.getByText('License PAGE-07 is revoked.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Unblock', exact: true }).count(), 0);
    assert.equal((await server.store.registry.findLicenses('PAGE-07'))[0]?.status, 'revoked');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('Deleted license PAGE-07.').waitFor();
    assert.deepEqual(await server.store.registry.findLicenses('PAGE-07'), []);
  });

  it('selects several licenses and blocks, then unblocks them at once', async () => {
    await page.getByLabel('Search key or notes').fill('PAGE-1');
    await page.getByRole('button', { name: 'Apply' }).click();
    await row('PAGE-01').waitFor({ state: 'detached' });
    await row('PAGE-19').waitFor();
    await page.getByLabel('Select PAGE-11').check();
    await page.getByLabel('Select PAGE-12').check();
    await page.getByRole('button', { name: 'Block selected', exact: true }).click();
    await page.getByText('Blocked 2, unchanged 0.').waitFor();
    assert.match((await row('PAGE-11').textContent()) ?? '', /blocked/);
    const statuses = async () => (await server.store.registry.listLicenses({ productId, status: 'blocked', limit: 100 })).map((l) => l.key);
    assert.deepEqual(await statuses(), ['PAGE-11', 'PAGE-12']);
    await page.getByLabel('Select all on this page').check();
    await page.getByRole('button', { name: 'Unblock selected', exact: true }).click();
    await page.getByText('Unblocked 2, unchanged 8.').waitFor();
    assert.deepEqual(await statuses(), []);
  });
});
