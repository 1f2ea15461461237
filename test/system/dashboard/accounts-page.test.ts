import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../../../src/registry/accounts/passwords.js';
import { startTestServer, type TestServer } from '../../http/test-server.js';
import { browserSkipReason, launchBrowser, logInWithPassword } from './browser.js';
import { TEST_PASSWORD_COST } from '../../password-cost.js';

const skip = browserSkipReason();
const OWNER = { name: 'owner@example.com', password: 'the owner password' };
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** Accounts in a real headless Chromium against a real server: password login, the Accounts page, logout, the new viewer's login. */
describe('dashboard: accounts in a headless Chromium', { skip, timeout: 90_000 }, () => {
  before(async () => {
    server = await startTestServer();
    await server.store.accounts.create({ name: OWNER.name, role: 'owner', products: null, password_hash: await hashPassword(OWNER.password, TEST_PASSWORD_COST) });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses a wrong password on the login form', async () => {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Email or name', { exact: true }).fill(OWNER.name);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'wrong name or password' }).waitFor();
  });

  it('logs in with a password, creates a viewer on the Accounts page, logs out, and logs in as the viewer', async () => {
    await logInWithPassword(page, server.url, OWNER.name, OWNER.password);
    assert.equal(await page.locator('#whoami').textContent(), `signed in as ${OWNER.name} (owner)`);
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByRole('heading', { name: 'Accounts', exact: true }).waitFor();
    const form = page.getByRole('form', { name: 'Create an account' });
    await form.getByLabel('Email or name').fill('viewer@example.com');
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Create account' }).click();
    const secret = page.locator('[data-secret]');
    await secret.waitFor();
    const password = (await secret.textContent()) ?? '';
    assert.match(password, /^[A-Za-z0-9_-]{20}$/);
    await page.getByRole('cell', { name: 'viewer@example.com', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();
    // The Accounts form has its own "Email or name" field until the page reloads: wait for the login section itself.
    await page.locator('#login').getByLabel('Email or name', { exact: true }).waitFor();
    await logInWithPassword(page, server.url, 'viewer@example.com', password);
    assert.equal(await page.locator('#whoami').textContent(), 'signed in as viewer@example.com (viewer)');
    assert.equal(await page.getByRole('link', { name: 'Accounts' }).isVisible(), false, 'only owners see the Accounts page');
    const session = await page.request.get(`${server.url}/admin/api/session`);
    assert.equal(((await session.json()) as { role: string }).role, 'viewer');
  });

  it('the setup page makes the first owner of a new install', async () => {
    const fresh = await startTestServer();
    try {
      const { newSetupCode } = await import('../../../src/registry/accounts/first-owner.js');
      const code = await newSetupCode(fresh.store.accounts);
      const setup = await context.newPage();
      await setup.goto(`${fresh.url}/setup?code=${encodeURIComponent(code)}`);
      await setup.getByRole('heading', { name: 'Make the first owner' }).waitFor();
      await setup.getByLabel('Your email or name').fill('first@example.com');
      await setup.getByLabel('Password (at least 10 characters)').fill('first owner password');
      await setup.getByLabel('Password again').fill('first owner password');
      await setup.getByRole('button', { name: 'Create the owner' }).click();
      await setup.getByRole('heading', { name: 'Overview' }).waitFor();
      assert.equal(await setup.locator('#whoami').textContent(), 'signed in as first@example.com (owner)');
      await setup.close();
    } finally {
      await fresh.close();
    }
  });
});
