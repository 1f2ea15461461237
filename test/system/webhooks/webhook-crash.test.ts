import assert from 'node:assert/strict';
import { NO_AUDIT } from '../../audit-helpers.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/contract/store.js';
import { createWebhook, testWebhook } from '../../../src/registry/webhooks.js';
import { TEST_BACKEND } from '../../http/test-server.js';
import { dropSchemas, randomName, TEST_DATABASE_URL, urlInSchema } from '../../postgres-helpers.js';
import { killTally, startTally, stopTally, type ServeTarget } from '../crash/tally-process.js';
import { signatureIsValid, WebhookReceiver } from '../../jobs/webhook-receiver.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-webhook-crash-'));
const schema = TEST_BACKEND === 'postgres' ? randomName() : null;
after(async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (schema !== null) await dropSchemas([schema]);
});

const target: ServeTarget = { dataDir, databaseUrl: schema === null ? null : urlInSchema(schema) };
// Short lease and timeout so that a killed server's claims are due again within seconds.
const FAST = ['--webhook-poll-ms', '50', '--webhook-timeout-ms', '1000', '--webhook-lease-ms', '1500', '--webhook-concurrency', '4',
  '--webhook-retry-base-ms', '200', '--alert-interval-ms', '3600000'];

function open(): Promise<Store> {
  return openStore({ databaseUrl: schema === null ? null : TEST_DATABASE_URL, dataDir, sqliteSynchronous: 'NORMAL', ...(schema === null ? {} : { schema }) });
}

describe(`webhooks survive a killed server (${TEST_BACKEND})`, () => {
  it('SIGKILL while deliveries are held open: after a restart every event is delivered, duplicates only with the same id and body', { timeout: 60_000 }, async () => {
    const receiver = await WebhookReceiver.start(() => 'hold');
    const store = await open();
    const hook = await createWebhook(store.webhooks, { url: receiver.url }, NO_AUDIT);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await testWebhook(store.webhooks, hook.id, Date.now() * 1000, NO_AUDIT));
    await store.close();
    try {
      const first = await startTally(target, FAST);
      // Four deliveries in flight (the concurrency), held open by the receiver: kill the server mid-delivery.
      await receiver.waitFor(4);
      await killTally(first);
      assert.equal(receiver.received.length, 4);
      receiver.behaviour = () => 200;
      receiver.releaseHeld();
      const second = await startTally(target, FAST);
      try {
        const deadline = Date.now() + 30_000;
        let delivered = 0;
        while (delivered < ids.length) {
          if (Date.now() > deadline) throw new Error(`only ${delivered} of ${ids.length} delivered`);
          await new Promise((resolve) => setTimeout(resolve, 100));
          const check = await open();
          delivered = (await check.webhooks.deliveryLog(hook.id, 100)).events.filter((e) => e.state === 'delivered').length;
          await check.close();
        }
      } finally {
        await stopTally(second);
      }
      const received = new Map<string, Set<string>>();
      for (const request of receiver.received) {
        const id = String(request.headers['x-tally-event-id']);
        assert.ok(signatureIsValid(hook.secret, request), 'every attempt is signed');
        assert.equal((JSON.parse(request.body) as { id: string }).id, id);
        received.set(id, (received.get(id) ?? new Set()).add(request.body));
      }
      assert.deepEqual([...received.keys()].sort(), [...ids].sort(), 'every event arrived, and nothing else');
      for (const bodies of received.values()) assert.equal(bodies.size, 1, 'a re-sent event is the same event');
      // The four held when the server died were sent again (the documented duplicates); the other two once.
      assert.equal(receiver.received.length, ids.length + 4);
    } finally {
      await receiver.close();
    }
  });
});
