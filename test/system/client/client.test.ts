import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  FileQueueStorage, LocalStorageQueueStorage, MemoryQueueStorage, TallyClient, TallyNonceError, TallyVerificationError, type TallyClientOptions, type TelemetryReport,
} from '../../../packages/client/src/node.js';
import { startTestServer, type TestServer } from '../../http/test-server.js';
import { startAnswerProxy, type AnswerProxy } from './answer-proxy.js';

let server: TestServer;
let proxy: AnswerProxy;
let publicKey: string;
const clients: TallyClient[] = [];

/** A port nobody listens on: a client pointed there is offline. */
const OFFLINE = 'http://127.0.0.1:9';

function report(text: string, overrides: Partial<TelemetryReport> = {}): TelemetryReport {
  return {
    product_id: server.seed.productA, user_identifier: 'client-user', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
    product_version: '1.0.1', data_group: 'client', data_type: 'text', text_data: text, ...overrides,
  } as TelemetryReport;
}

function client(options: Partial<TallyClientOptions> = {}): TallyClient {
  const made = new TallyClient({ baseUrl: server.url, apiKey: server.seed.keys.full, publicKeys: publicKey, flushOnExit: false, retry: { baseMs: 20, maxMs: 100 }, ...options });
  clients.push(made);
  return made;
}

/** How many stored records carry each text_data of the client tests. */
async function storedTexts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const record of await server.store.telemetry.list({ limit: 100_000 })) {
    if (record.data_group === 'client' && record.text_data !== null) counts.set(record.text_data, (counts.get(record.text_data) ?? 0) + 1);
  }
  return counts;
}

before(async () => {
  server = await startTestServer();
  proxy = await startAnswerProxy(server.url);
  publicKey = (await server.store.secrets.getSigningKey('global'))!.public_pem;
});
after(async () => {
  for (const made of clients) await made.close();
  await proxy.close();
  await server.close();
});

describe('@tally/client: sending', () => {
  it('sends a report with a fresh event_id and resolves with the verified 830 answer', async () => {
    const outcome = await client().sendTelemetry(report('first'));
    assert.equal(outcome.status, 'sent');
    assert.match(outcome.eventId, /^[0-9a-f-]{36}$/);
    assert.equal(outcome.status === 'sent' && outcome.code, 830);
    assert.equal((await storedTexts()).get('first'), 1);
  });

  it('reports an incorrect report as sent with code 831 and its errors', async () => {
    const outcome = await client().sendTelemetry(report('bad', { product_version: '' }));
    assert.equal(outcome.status, 'sent');
    assert.equal(outcome.status === 'sent' && outcome.code, 831);
    assert.deepEqual(outcome.status === 'sent' && outcome.errors, { product_version: ['The product version field is required.'] });
  });

  it('treats another 4xx answer (an invalid key) as final: rejected and out of the queue', async () => {
    const sender = client({ apiKey: 'no-such-key' });
    const outcome = await sender.sendTelemetry(report('bad-key'));
    assert.equal(outcome.status, 'rejected');
    assert.equal(outcome.status === 'rejected' && outcome.code, 100);
    assert.equal((await sender.pending()).length, 0);
  });

  it('a retried event_id is answered 832 and stored once', async () => {
    const eventId = crypto.randomUUID();
    const first = await client().sendTelemetry(report('idempotent', { event_id: eventId }));
    const again = await client().sendTelemetry(report('idempotent', { event_id: eventId }));
    assert.equal(first.status === 'sent' && first.code, 830);
    assert.equal(again.status === 'sent' && again.code, 832);
    assert.equal((await storedTexts()).get('idempotent'), 1);
  });
});

describe('@tally/client: offline queue', () => {
  it('queues reports while offline in its file, and a later client sends them in batches, each stored once', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tally-client-')), 'queue.ndjson');
    const offline = client({ baseUrl: OFFLINE, storage: new FileQueueStorage(file) });
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => offline.sendTelemetry(report(`offline-${i}`))));
    assert.ok(outcomes.every((o) => o.status === 'queued'));
    await offline.close();
    assert.equal(fs.readFileSync(file, 'utf8').trim().split('\n').length, 40);

    const online = client({ storage: new FileQueueStorage(file), batchSize: 15, baseUrl: proxy.url });
    const seenBefore = proxy.seen.length;
    assert.deepEqual(await online.flush(), { remaining: 0 });
    assert.deepEqual(proxy.seen.slice(seenBefore).map((s) => s.path.split('?')[0]), Array(3).fill('/api/v1/send-telemetry-data-batch'));
    const texts = await storedTexts();
    for (let i = 0; i < 40; i++) assert.equal(texts.get(`offline-${i}`), 1, `offline-${i} stored once`);
    assert.equal(fs.readFileSync(file, 'utf8'), '');
  });

  it('sends the time each report was queued as reported_at, kept through the offline queue, so a late report keeps its time', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tally-client-')), 'queue.ndjson');
    const offline = client({ baseUrl: OFFLINE, storage: new FileQueueStorage(file) });
    const before = Date.now();
    assert.equal((await offline.sendTelemetry(report('late-0'))).status, 'queued');
    const own = new Date(before - 3_600_000).toISOString();
    assert.equal((await offline.sendTelemetry(report('late-own', { reported_at: own }))).status, 'queued');
    const queuedBy = Date.now();
    await offline.close();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.match(String(lines[0]?.['reported_at']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'ISO with milliseconds, in the queue file');
    await new Promise((resolve) => setTimeout(resolve, 1100));

    assert.deepEqual(await client({ storage: new FileQueueStorage(file) }).flush(), { remaining: 0 });
    const stored = (await server.store.telemetry.list({ limit: 100_000 })).filter((r) => r.text_data?.startsWith('late-') === true);
    const late = stored.find((r) => r.text_data === 'late-0')!;
    assert.ok(late.reported_at_us !== null && late.reported_at_us >= Math.floor(before / 1000) * 1000 * 1000 && late.reported_at_us <= queuedBy * 1000, String(late.reported_at_us));
    assert.ok(late.created_at_us - late.reported_at_us >= 1_000_000, 'stored a second after it was queued, with the time it was queued');
    assert.equal(stored.find((r) => r.text_data === 'late-own')?.reported_at_us, Date.parse(own) * 1000, 'a report\'s own reported_at is kept');
  });

  it('bounds the queue: past maxQueue the oldest reports are dropped, counted and reported', async () => {
    const drops: number[] = [];
    const bounded = client({ baseUrl: OFFLINE, maxQueue: 5, onDrop: (dropped, total) => drops.push(dropped.length, total) });
    for (let i = 0; i < 8; i++) await bounded.sendTelemetry(report(`bounded-${i}`));
    const left = await bounded.pending();
    assert.deepEqual(left.map((r) => r['text_data']), ['bounded-3', 'bounded-4', 'bounded-5', 'bounded-6', 'bounded-7']);
    assert.equal(bounded.dropped, 3);
    assert.deepEqual(drops, [1, 1, 1, 2, 1, 3]);
  });

  it('keeps the queue in localStorage-like storage too', async () => {
    const items = new Map<string, string>();
    const storage = new LocalStorageQueueStorage('q', { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) });
    const offline = client({ baseUrl: OFFLINE, storage });
    await offline.sendTelemetry(report('local-1'));
    await offline.close();
    assert.equal((JSON.parse(items.get('q')!) as unknown[]).length, 1);
    const online = client({ storage });
    await online.flush();
    assert.equal((await storedTexts()).get('local-1'), 1);
    assert.equal(items.get('q'), '[]');
  });
});

describe('@tally/client: retries', () => {
  it('retries 5xx with backoff until the server takes the report', async () => {
    proxy.plan.push({ kind: 'refuse', status: 503 }, { kind: 'refuse', status: 502 });
    const sender = client({ baseUrl: proxy.url });
    const first = await sender.sendTelemetry(report('after-5xx'));
    assert.equal(first.status, 'queued');
    for (let i = 0; i < 100 && (await sender.pending()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal((await storedTexts()).get('after-5xx'), 1);
  });

  it('honours 429 Retry-After: the next attempt waits at least that long', async () => {
    proxy.plan.push({ kind: 'refuse', status: 429, retryAfter: '1' });
    const sender = client({ baseUrl: proxy.url });
    const seenBefore = proxy.seen.length;
    await sender.sendTelemetry(report('after-429'));
    for (let i = 0; i < 150 && (await sender.pending()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    const [refused, retried] = proxy.seen.slice(seenBefore);
    assert.ok(refused && retried, 'two requests');
    assert.ok(retried.atMs - refused.atMs >= 990, `waited ${retried.atMs - refused.atMs} ms`);
    assert.equal((await storedTexts()).get('after-429'), 1);
  });
});

describe('@tally/client: signed answers', () => {
  for (const kind of ['flip-signature', 'flip-response'] as const) {
    it(`rejects an answer whose ${kind === 'flip-signature' ? 'signature' : 'signed response'} was changed, and keeps the report queued`, async () => {
      proxy.plan.push({ kind });
      const errors: Error[] = [];
      const sender = client({ baseUrl: proxy.url, onError: (error) => errors.push(error), retry: { baseMs: 60_000 } });
      await assert.rejects(sender.sendTelemetry(report(`tampered-${kind}`)), TallyVerificationError);
      assert.equal(errors.length, 1);
      assert.equal((await sender.pending()).length, 1, 'still queued');
      // The report did reach the server; the retry (untampered) is answered 832 and nothing is stored twice.
      await sender.flush();
      assert.equal((await sender.pending()).length, 0);
      assert.equal((await storedTexts()).get(`tampered-${kind}`), 1);
    });
  }

  it('rejects answers signed by a key other than the pinned one', async () => {
    const { publicKey: otherKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }));
    const sender = client({ publicKeys: otherKey, retry: { baseMs: 60_000 } });
    await assert.rejects(sender.sendTelemetry(report('wrong-key')), /does not match the pinned key/);
    const pinnedBoth = client({ publicKeys: [otherKey, publicKey], storage: new MemoryQueueStorage() });
    const outcome = await pinnedBoth.sendTelemetry(report('either-key'));
    assert.equal(outcome.status, 'sent');
  });
});

describe('@tally/client: answers bound to their request by a nonce', () => {
  /** A genuine answer Tally gives to `text`'s report sent with `nonce` (none: null): what an attacker could record. */
  async function recordedAnswer(text: string, nonce: string | null): Promise<string> {
    const query = nonce === null ? '' : `?nonce=${nonce}`;
    const res = await fetch(`${server.url}/api/v1/send-telemetry-data${query}`, {
      method: 'POST', headers: { authorization: `Bearer ${server.seed.keys.full}`, 'content-type': 'application/json' }, body: JSON.stringify(report(text)),
    });
    assert.equal(res.status, 200);
    return res.text();
  }

  it('sends a fresh random nonce with every request, single and batch', async () => {
    const seenBefore = proxy.seen.length;
    const sender = client({ baseUrl: proxy.url });
    assert.equal((await sender.sendTelemetry(report('nonce-single'))).status, 'sent');
    const storage = new MemoryQueueStorage();
    const offline = client({ baseUrl: OFFLINE, storage, retry: { baseMs: 60_000 } });
    for (let i = 0; i < 3; i++) await offline.sendTelemetry(report(`nonce-batch-${i}`));
    await offline.close();
    const later = client({ baseUrl: proxy.url, storage });
    assert.equal((await later.flush()).remaining, 0);
    assert.equal((await sender.sendTelemetry(report('nonce-again'))).status, 'sent');
    const seen = proxy.seen.slice(seenBefore).map((request) => new URL(request.path, proxy.url));
    assert.deepEqual(seen.map((url) => url.pathname), ['/api/v1/send-telemetry-data', '/api/v1/send-telemetry-data-batch', '/api/v1/send-telemetry-data']);
    const nonces = seen.map((url) => url.searchParams.get('nonce'));
    for (const nonce of nonces) assert.match(String(nonce), /^[A-Za-z0-9_-]{22}$/);
    assert.equal(new Set(nonces).size, nonces.length, 'never the same nonce twice');
  });

  it('rejects a genuine answer replayed from another request (another nonce) with TallyNonceError, and keeps the report queued', async () => {
    const replayed = await recordedAnswer('replayed', 'another-request');
    proxy.plan.push({ kind: 'replay', status: 200, body: replayed });
    const errors: Error[] = [];
    const sender = client({ baseUrl: proxy.url, onError: (error) => errors.push(error), retry: { baseMs: 60_000 } });
    const sent = sender.sendTelemetry(report('replay-target'));
    await assert.rejects(sent, TallyNonceError);
    await assert.rejects(sent, TallyVerificationError, 'a kind of verification error');
    await assert.rejects(sent, /carries another nonce/);
    assert.equal(errors.length, 1);
    assert.equal((await sender.pending()).length, 1, 'still queued');
    assert.equal((await storedTexts()).get('replay-target'), undefined, 'the replayed answer stood for a request never made');
    await sender.flush();
    assert.equal((await sender.pending()).length, 0);
    assert.equal((await storedTexts()).get('replay-target'), 1);
  });

  it('rejects an answer without a nonce (a server without nonce support) unless requireNonce is false', async () => {
    proxy.plan.push({ kind: 'replay', status: 200, body: await recordedAnswer('no-nonce', null) });
    const strict = client({ baseUrl: proxy.url, retry: { baseMs: 60_000 } });
    await assert.rejects(strict.sendTelemetry(report('strict')), /has no nonce/);
    const seenBefore = proxy.seen.length;
    const lenient = client({ baseUrl: proxy.url, requireNonce: false, storage: new MemoryQueueStorage() });
    const outcome = await lenient.sendTelemetry(report('lenient'));
    assert.equal(outcome.status === 'sent' && outcome.code, 830);
    assert.equal(proxy.seen[seenBefore]?.path, '/api/v1/send-telemetry-data', 'no nonce sent');
  });
});

describe('@tally/client: Ed25519 signing keys', () => {
  it('verifies answers of a server that signs with Ed25519 against its pinned key', async () => {
    const ed = await startTestServer({ signingAlgorithm: 'ed25519' });
    try {
      const pem = (await ed.store.secrets.getSigningKey('global'))!.public_pem;
      const sender = new TallyClient({ baseUrl: ed.url, apiKey: ed.seed.keys.full, publicKeys: pem, flushOnExit: false });
      clients.push(sender);
      const outcome = await sender.sendTelemetry({ ...report('ed25519'), product_id: ed.seed.productA } as TelemetryReport);
      assert.equal(outcome.status === 'sent' && outcome.code, 830);
      const wrong = new TallyClient({ baseUrl: ed.url, apiKey: ed.seed.keys.full, publicKeys: publicKey, flushOnExit: false, retry: { baseMs: 60_000 } });
      clients.push(wrong);
      await assert.rejects(wrong.sendTelemetry({ ...report('ed25519-wrong'), product_id: ed.seed.productA } as TelemetryReport), TallyVerificationError);
      await wrong.close();
    } finally {
      await ed.close();
    }
  });
});
