import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startWebhookDelivery, type WebhookDeliveryJob } from '../../../src/jobs/webhook-delivery-job.js';
import { startTestServer, type TestServer } from '../../http/test-server.js';
import { signatureIsValid, WebhookReceiver } from '../../jobs/webhook-receiver.js';
import { browserSkipReason, launchBrowser, logIn } from './browser.js';

const skip = browserSkipReason();
let server: TestServer;
let browser: Browser;
let page: Page;
let receiver: WebhookReceiver;
let delivery: WebhookDeliveryJob;
/** The secret the page showed when the endpoint was added. */
let secretShown = '';

/** The Webhooks page in a real headless Chromium, against a real server, its delivery worker and a real receiver. */
describe('dashboard: the Webhooks page in a headless Chromium', { skip, timeout: 60_000 }, () => {
  before(async () => {
    server = await startTestServer();
    receiver = await WebhookReceiver.start(() => 200);
    delivery = startWebhookDelivery(server.store.webhooks, { timeoutMs: 2000, leaseMs: 5000, pollMs: 50, concurrency: 2, retryBaseMs: 100, log: () => undefined });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await logIn(page, server.url, server.adminToken);
  });
  after(async () => {
    await browser?.close();
    await delivery?.stop();
    await receiver?.close();
    await server?.close();
  });

  it('tells a new user how to add an endpoint, adds one showing its secret once, and lists it without the secret', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No endpoints yet.').waitFor();
    await page.getByLabel('URL (http:// or https://)').fill(receiver.url);
    await page.getByLabel('version.unreleased').uncheck();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const secret = (await page.locator('code.secret').textContent()) ?? '';
    assert.match(secret, /^whsec_/);
    const row = page.getByRole('table', { name: 'Webhook endpoints' }).getByRole('row').filter({ hasText: receiver.url });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /license\.shared, license\.suspicious/);
    assert.equal(((await page.getByRole('table', { name: 'Webhook endpoints' }).textContent()) ?? '').includes(secret), false);
    const [endpoint] = await server.store.webhooks.listEndpoints();
    assert.deepEqual(endpoint?.events, ['license.shared', 'license.suspicious']);
    secretShown = secret;
  });

  it('sends a test event, which arrives signed, and shows its delivery in the log with the status code', async () => {
    await page.getByRole('button', { name: `Send a test event to ${receiver.url}` }).click();
    await page.getByText(/Queued test event/).waitFor();
    await receiver.waitFor(1);
    assert.ok(signatureIsValid(secretShown, receiver.received[0]!));
    const eventId = String(receiver.received[0]?.headers['x-tally-event-id']);
    const attempts = page.getByRole('table', { name: `Attempts for ${receiver.url}` });
    for (let tries = 0; tries < 50 && !(await attempts.isVisible()); tries++) {
      await page.getByRole('button', { name: `Delivery log of ${receiver.url}` }).click();
      await page.waitForTimeout(100);
    }
    const attemptRow = attempts.getByRole('row').filter({ hasText: eventId });
    assert.match((await attemptRow.textContent()) ?? '', /webhook\.test.*HTTP 200/);
    const eventRow = page.getByRole('table', { name: `Events for ${receiver.url}` }).getByRole('row').filter({ hasText: eventId });
    assert.match((await eventRow.textContent()) ?? '', /delivered/);
  });

  it('removes the endpoint', async () => {
    await page.getByRole('button', { name: `Remove ${receiver.url}` }).click();
    await page.getByText('No endpoints yet.').waitFor();
    assert.deepEqual(await server.store.webhooks.listEndpoints(), []);
  });
});

