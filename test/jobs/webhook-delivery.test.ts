import { after, describe, it } from 'node:test';
import { NO_AUDIT } from '../audit-helpers.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';
import { createWebhook, testWebhook } from '../../src/registry/webhooks.js';
import { newWebhookEvent } from '../../src/registry/webhook-events.js';
import { startWebhookDelivery, type WebhookDeliveryOptions } from '../../src/jobs/webhook-delivery-job.js';
import { attemptOutcome, retryDelayMs } from '../../src/jobs/webhook-retry.js';
import { TALLY_VERSION } from '../../src/model/version.js';
import { DAY_US } from '../../src/model/clock.js';
import { TEST_BACKEND } from '../http/test-server.js';
import { dropSchemas, randomName, TEST_DATABASE_URL } from '../postgres-helpers.js';
import { signatureIsValid, WebhookReceiver } from './webhook-receiver.js';
import { REPO_ROOT } from '../repo-root.js';

const dirs: string[] = [];
const schemas: string[] = [];
after(async () => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  if (schemas.length > 0) await dropSchemas(schemas);
});

/** A fresh store on the test backend (TALLY_TEST_BACKEND). */
async function freshStore(): Promise<Store> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-webhooks-'));
  dirs.push(dataDir);
  if (TEST_BACKEND === 'sqlite') return openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
  const schema = randomName();
  schemas.push(schema);
  return openStore({ databaseUrl: TEST_DATABASE_URL, dataDir, sqliteSynchronous: 'NORMAL', schema });
}

const FAST: Omit<WebhookDeliveryOptions, 'log'> = { timeoutMs: 500, leaseMs: 2000, pollMs: 20, concurrency: 4, retryBaseMs: 50 };

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`webhook delivery (${TEST_BACKEND})`, () => {
  it('posts the event body once, signed with the endpoint\'s secret, with its id, type and user agent, and logs the 2xx', async () => {
    const store = await freshStore();
    const receiver = await WebhookReceiver.start(() => 204);
    const job = startWebhookDelivery(store.webhooks, { ...FAST, log: () => undefined });
    try {
      const hook = await createWebhook(store.webhooks, { url: receiver.url }, NO_AUDIT);
      const event = newWebhookEvent('license.shared', { product_id: 1, license_key: 'LIC-1', machines: 7, seats: 2, window_days: 30 }, Date.now() * 1000);
      await store.webhooks.enqueue(event, [hook.id]);
      await receiver.waitFor(1);
      await job.idle();
      const [got] = receiver.received;
      assert.ok(got);
      assert.equal(got.body, event.body);
      const body = JSON.parse(got.body) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ['id', 'type', 'created_at', 'data']);
      assert.equal(body['id'], event.event_id);
      assert.equal(got.headers['content-type'], 'application/json');
      assert.equal(got.headers['user-agent'], `Tally-Webhooks/${TALLY_VERSION}`);
      assert.equal(got.headers['x-tally-event-id'], event.event_id);
      assert.ok(signatureIsValid(hook.secret, got));
      assert.equal(signatureIsValid('whsec_wrong', got), false);
      assert.equal(signatureIsValid(hook.secret, { ...got, body: got.body.replace('LIC-1', 'LIC-2') }), false);
      await until(async () => (await store.webhooks.deliveryLog(hook.id, 10)).events[0]?.state === 'delivered');
      const log = await store.webhooks.deliveryLog(hook.id, 10);
      assert.deepEqual(log.attempts.map((a) => [a.event_id, a.status, a.error]), [[event.event_id, 204, null]]);
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(receiver.received.length, 1);
    } finally {
      await job.stop();
      await receiver.close();
      await store.close();
    }
  });

  it('retries a failed delivery with the same id, each attempt signed anew, until a 2xx; redirects are failures, not followed', async () => {
    const store = await freshStore();
    const receiver = await WebhookReceiver.start((_, index) => [500, 302, 200][index] ?? 200);
    const job = startWebhookDelivery(store.webhooks, { ...FAST, log: () => undefined });
    try {
      const hook = await createWebhook(store.webhooks, { url: receiver.url }, NO_AUDIT);
      const eventId = await testWebhook(store.webhooks, hook.id, Date.now() * 1000, NO_AUDIT);
      await receiver.waitFor(3);
      await until(async () => (await store.webhooks.deliveryLog(hook.id, 10)).events[0]?.state === 'delivered');
      assert.deepEqual(receiver.received.map((r) => r.headers['x-tally-event-id']), [eventId, eventId, eventId]);
      assert.ok(receiver.received.every((r) => signatureIsValid(hook.secret, r)));
      assert.equal(JSON.parse(receiver.received[0]?.body ?? '{}').type, 'webhook.test');
      const log = await store.webhooks.deliveryLog(hook.id, 10);
      assert.deepEqual(log.attempts.map((a) => a.status).reverse(), [500, 302, 200]);
      assert.equal(log.events[0]?.attempts, 3);
    } finally {
      await job.stop();
      await receiver.close();
      await store.close();
    }
  });

  it('counts an endpoint that does not answer in time, or cannot be reached, as failed with the reason logged', async () => {
    const store = await freshStore();
    const receiver = await WebhookReceiver.start(() => 'hold');
    const job = startWebhookDelivery(store.webhooks, { ...FAST, timeoutMs: 200, log: () => undefined });
    try {
      const slow = await createWebhook(store.webhooks, { url: receiver.url }, NO_AUDIT);
      const gone = await WebhookReceiver.start();
      const goneUrl = gone.url;
      await gone.close();
      const closed = await createWebhook(store.webhooks, { url: goneUrl }, NO_AUDIT);
      await testWebhook(store.webhooks, slow.id, Date.now() * 1000, NO_AUDIT);
      await testWebhook(store.webhooks, closed.id, Date.now() * 1000, NO_AUDIT);
      await until(async () => (await store.webhooks.deliveryLog(slow.id, 10)).attempts.length > 0 && (await store.webhooks.deliveryLog(closed.id, 10)).attempts.length > 0);
      const [timedOut] = (await store.webhooks.deliveryLog(slow.id, 10)).attempts;
      const [refused] = (await store.webhooks.deliveryLog(closed.id, 10)).attempts;
      assert.equal(timedOut?.status, null);
      assert.equal(timedOut?.error, 'timed out after 200 ms');
      assert.equal(refused?.status, null);
      assert.match(refused?.error ?? '', /ECONNREFUSED/);
      assert.equal((await store.webhooks.deliveryLog(slow.id, 10)).events[0]?.state, 'pending');
    } finally {
      await job.stop();
      await receiver.close();
      await store.close();
    }
  });

  it('gives an event up once an attempt fails 24 h after it was made, and logs it', async () => {
    const store = await freshStore();
    const receiver = await WebhookReceiver.start(() => 503);
    const lines: string[] = [];
    const created = Date.now() * 1000;
    const job = startWebhookDelivery(store.webhooks, { ...FAST, log: (line) => lines.push(line), nowUs: () => created + DAY_US });
    try {
      const hook = await createWebhook(store.webhooks, { url: receiver.url }, NO_AUDIT);
      const event = newWebhookEvent('version.unreleased', { product_id: 1, product_version: '9', first_seen: '' }, created);
      await store.webhooks.enqueue(event, [hook.id]);
      await until(async () => (await store.webhooks.deliveryLog(hook.id, 10)).events[0]?.state === 'given_up');
      assert.equal(receiver.received.length, 1);
      assert.match(lines.join('\n'), new RegExp(`gave up event ${event.event_id} \\(version.unreleased\\)`));
    } finally {
      await job.stop();
      await receiver.close();
      await store.close();
    }
  });

  it('never has more deliveries in flight than its concurrency', async () => {
    const store = await freshStore();
    const receiver = await WebhookReceiver.start(() => 'hold');
    const job = startWebhookDelivery(store.webhooks, { ...FAST, timeoutMs: 5000, leaseMs: 10_000, concurrency: 2, log: () => undefined });
    try {
      const hook = await createWebhook(store.webhooks, { url: receiver.url }, NO_AUDIT);
      for (let i = 0; i < 6; i++) await testWebhook(store.webhooks, hook.id, Date.now() * 1000, NO_AUDIT);
      for (let sent = 2; sent <= 6; sent += 2) {
        await receiver.waitFor(sent);
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(receiver.received.length, sent);
        receiver.releaseHeld(200);
      }
      await until(async () => (await store.webhooks.deliveryLog(hook.id, 10)).events.every((e) => e.state === 'delivered'));
      assert.equal(receiver.maxOpen, 2);
      assert.equal(new Set(receiver.received.map((r) => r.headers['x-tally-event-id'])).size, 6);
    } finally {
      await job.stop();
      await receiver.close();
      await store.close();
    }
  });
});

describe('webhook user agent', () => {
  it('names the version package.json says', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(TALLY_VERSION, pkg.version);
  });
});

describe('webhook retry schedule', () => {
  it('waits about 10 s, 30 s, 90 s … capped at an hour, within ±25 % jitter', () => {
    assert.deepEqual([1, 2, 3, 4, 8, 20].map((n) => retryDelayMs(n, 10_000, () => 0.5)), [10_000, 30_000, 90_000, 270_000, 3_600_000, 3_600_000]);
    assert.equal(retryDelayMs(1, 10_000, () => 0), 7500);
    assert.equal(retryDelayMs(1, 10_000, () => 0.999_999), 12_500);
  });

  it('delivers on any 2xx, retries anything else, makes the last attempt at 24 h, and gives up after it', () => {
    const base = { attempt: 1, createdAtUs: 0, baseMs: 10_000, random: () => 0.5 };
    assert.deepEqual(attemptOutcome({ ...base, status: 299, nowUs: 0 }), { kind: 'delivered' });
    assert.deepEqual(attemptOutcome({ ...base, status: 404, nowUs: 5 }), { kind: 'retry', next_attempt_at_us: 5 + 10_000_000 });
    assert.deepEqual(attemptOutcome({ ...base, status: null, attempt: 30, nowUs: DAY_US - 60_000_000 }), { kind: 'retry', next_attempt_at_us: DAY_US });
    assert.deepEqual(attemptOutcome({ ...base, status: 500, nowUs: DAY_US }), { kind: 'given_up' });
  });
});
