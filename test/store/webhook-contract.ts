import assert from 'node:assert/strict';
import type { Store } from '../../src/store/contract/store.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { NewWebhookEvent } from '../../src/model/webhooks.js';
import { DAY_US } from '../../src/model/clock.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;
type RecordOf = (overrides?: Partial<NewTelemetryRecord>) => NewTelemetryRecord;

const T0 = Date.UTC(2026, 0, 10) * 1000;
const SECOND = 1_000_000;

function event(id: string, createdAtUs = T0, type: NewWebhookEvent['type'] = 'license.shared'): NewWebhookEvent {
  return { event_id: id, type, body: JSON.stringify({ id, type, data: {} }), created_at_us: createdAtUs };
}

async function endpoint(store: Store, url = 'http://127.0.0.1:9/hook', events: ('license.shared' | 'license.suspicious' | 'version.unreleased')[] = ['license.shared', 'license.suspicious', 'version.unreleased']) {
  return store.webhooks.createEndpoint({ url, events, secret: `whsec_${url}` });
}

/** The webhook part of the store contract (docs/webhooks.md): endpoints, outbox claims and leases, attempts, marks, the license aggregate. */
export function describeWebhookContract(test: StoreTest, record: RecordOf): void {
  test('endpoints are created with their secret, listed and read without it, and removed', async (store) => {
    const a = await endpoint(store, 'https://a.example/hook', ['license.shared']);
    const b = await endpoint(store, 'http://b.example/x');
    assert.equal(a.secret, 'whsec_https://a.example/hook');
    assert.match(a.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const listed = await store.webhooks.listEndpoints();
    assert.deepEqual(listed, [{ id: a.id, url: a.url, events: ['license.shared'], created_at: a.created_at }, { id: b.id, url: b.url, events: b.events, created_at: b.created_at }]);
    assert.equal('secret' in (listed[0] ?? {}), false);
    assert.deepEqual(await store.webhooks.getEndpoint(b.id), listed[1]);
    assert.equal(await store.webhooks.removeEndpoint(a.id), true);
    assert.equal(await store.webhooks.removeEndpoint(a.id), false);
    assert.equal(await store.webhooks.getEndpoint(a.id), null);
  });

  test('a claimed row carries its endpoint\'s URL, secret and body, and no one else claims it until the lease runs out', async (store) => {
    const hook = await endpoint(store);
    assert.equal(await store.webhooks.enqueue(event('e1'), [hook.id, 999_999]), 1);
    const [claimed, ...more] = await store.webhooks.claimDue({ nowUs: T0, leaseUs: 30 * SECOND, limit: 10 });
    assert.deepEqual(more, []);
    assert.ok(claimed);
    assert.deepEqual({ ...claimed, claim: '', outbox_id: 0 }, {
      outbox_id: 0, claim: '', event_id: 'e1', type: 'license.shared', endpoint_id: hook.id, url: hook.url, secret: hook.secret,
      body: event('e1').body, created_at_us: T0, attempts: 0,
    });
    assert.deepEqual(await store.webhooks.claimDue({ nowUs: T0 + 29 * SECOND, leaseUs: 30 * SECOND, limit: 10 }), []);
    const [again] = await store.webhooks.claimDue({ nowUs: T0 + 30 * SECOND, leaseUs: 30 * SECOND, limit: 10 });
    assert.equal(again?.event_id, 'e1');
    assert.notEqual(again?.claim, claimed.claim);
  });

  test('claims take due rows only, oldest due first, at most the limit; an event is queued once per endpoint', async (store) => {
    const hook = await endpoint(store);
    await store.webhooks.enqueue(event('late', T0 + 10 * SECOND), [hook.id]);
    await store.webhooks.enqueue(event('first', T0), [hook.id]);
    await store.webhooks.enqueue(event('second', T0 + SECOND), [hook.id]);
    assert.equal(await store.webhooks.enqueue(event('first', T0), [hook.id]), 0);
    const claims = await store.webhooks.claimDue({ nowUs: T0 + 5 * SECOND, leaseUs: SECOND, limit: 1 });
    assert.deepEqual(claims.map((c) => c.event_id), ['first']);
    const rest = await store.webhooks.claimDue({ nowUs: T0 + 5 * SECOND, leaseUs: SECOND, limit: 10 });
    assert.deepEqual(rest.map((c) => c.event_id), ['second']);
  });

  test('claims made at the same time never share a row', async (store) => {
    const hook = await endpoint(store);
    for (let i = 0; i < 40; i++) await store.webhooks.enqueue(event(`c${i}`), [hook.id]);
    const claims = await Promise.all(Array.from({ length: 8 }, () => store.webhooks.claimDue({ nowUs: T0, leaseUs: 60 * SECOND, limit: 7 })));
    const ids = claims.flat().map((c) => c.event_id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, 40);
  });

  test('a delivered attempt ends the row and is logged; a failed one is rescheduled with its status, error and count', async (store) => {
    const hook = await endpoint(store);
    await store.webhooks.enqueue(event('ok'), [hook.id]);
    await store.webhooks.enqueue(event('bad'), [hook.id]);
    const claims = await store.webhooks.claimDue({ nowUs: T0, leaseUs: 30 * SECOND, limit: 10 });
    const ok = claims.find((c) => c.event_id === 'ok');
    const bad = claims.find((c) => c.event_id === 'bad');
    assert.ok(ok && bad);
    await store.webhooks.recordAttempt({ outbox_id: ok.outbox_id, claim: ok.claim, attempted_at_us: T0 + 1, status: 204, error: null, duration_ms: 12, outcome: { kind: 'delivered' } });
    await store.webhooks.recordAttempt({
      outbox_id: bad.outbox_id, claim: bad.claim, attempted_at_us: T0 + 2, status: 503, error: null, duration_ms: 7, outcome: { kind: 'retry', next_attempt_at_us: T0 + 10 * SECOND },
    });
    // The failed row is free again (no lease), due at its retry time; the delivered one never again.
    assert.deepEqual(await store.webhooks.claimDue({ nowUs: T0 + 9 * SECOND, leaseUs: SECOND, limit: 10 }), []);
    const retried = await store.webhooks.claimDue({ nowUs: T0 + 10 * SECOND, leaseUs: SECOND, limit: 10 });
    assert.deepEqual(retried.map((c) => [c.event_id, c.attempts]), [['bad', 1]]);
    const log = await store.webhooks.deliveryLog(hook.id, 10);
    const byId = new Map(log.events.map((e) => [e.event_id, e]));
    assert.equal(byId.get('ok')?.state, 'delivered');
    assert.equal(byId.get('ok')?.last_status, 204);
    assert.equal(byId.get('ok')?.next_attempt_at, null);
    assert.equal(byId.get('ok')?.delivered_at, '2026-01-10T00:00:00.000001Z');
    assert.equal(byId.get('bad')?.state, 'pending');
    assert.equal(byId.get('bad')?.attempts, 1);
    assert.equal(byId.get('bad')?.next_attempt_at, '2026-01-10T00:00:10.000000Z');
    assert.deepEqual(log.attempts.map((a) => [a.event_id, a.status, a.duration_ms, a.attempted_at]), [
      ['bad', 503, 7, '2026-01-10T00:00:00.000002Z'], ['ok', 204, 12, '2026-01-10T00:00:00.000001Z'],
    ]);
  });

  test('a worker whose lease ran out only logs its failure; its success still marks the row delivered', async (store) => {
    const hook = await endpoint(store);
    await store.webhooks.enqueue(event('slow'), [hook.id]);
    const [first] = await store.webhooks.claimDue({ nowUs: T0, leaseUs: SECOND, limit: 1 });
    const [second] = await store.webhooks.claimDue({ nowUs: T0 + 2 * SECOND, leaseUs: 60 * SECOND, limit: 1 });
    assert.ok(first && second);
    await store.webhooks.recordAttempt({ outbox_id: first.outbox_id, claim: first.claim, attempted_at_us: T0, status: null, error: 'timed out', duration_ms: 1000, outcome: { kind: 'given_up' } });
    let [row] = (await store.webhooks.deliveryLog(hook.id, 10)).events;
    assert.equal(row?.state, 'pending');
    assert.equal(row?.attempts, 0);
    await store.webhooks.recordAttempt({ outbox_id: first.outbox_id, claim: first.claim, attempted_at_us: T0 + 3 * SECOND, status: 200, error: null, duration_ms: 5, outcome: { kind: 'delivered' } });
    [row] = (await store.webhooks.deliveryLog(hook.id, 10)).events;
    assert.equal(row?.state, 'delivered');
    assert.equal((await store.webhooks.deliveryLog(hook.id, 10)).attempts.length, 2);
  });

  test('a given-up row is never claimed again and shows when it was given up, with its last error', async (store) => {
    const hook = await endpoint(store);
    await store.webhooks.enqueue(event('dead'), [hook.id]);
    const [claim] = await store.webhooks.claimDue({ nowUs: T0 + DAY_US, leaseUs: SECOND, limit: 1 });
    assert.ok(claim);
    await store.webhooks.recordAttempt({ outbox_id: claim.outbox_id, claim: claim.claim, attempted_at_us: T0 + DAY_US, status: null, error: 'ECONNREFUSED', duration_ms: 1, outcome: { kind: 'given_up' } });
    assert.deepEqual(await store.webhooks.claimDue({ nowUs: T0 + 2 * DAY_US, leaseUs: SECOND, limit: 1 }), []);
    const [row] = (await store.webhooks.deliveryLog(hook.id, 10)).events;
    assert.deepEqual([row?.state, row?.last_error, row?.given_up_at, row?.next_attempt_at], ['given_up', 'ECONNREFUSED', '2026-01-11T00:00:00.000000Z', null]);
    assert.equal(await store.webhooks.pruneFinished(T0 + 1), 1);
    assert.deepEqual(await store.webhooks.deliveryLog(hook.id, 10), { events: [], attempts: [] });
  });

  test('removing an endpoint removes its outbox rows and log', async (store) => {
    const hook = await endpoint(store);
    const other = await endpoint(store, 'http://other.example/');
    await store.webhooks.enqueue(event('x'), [hook.id, other.id]);
    await store.webhooks.removeEndpoint(hook.id);
    const claims = await store.webhooks.claimDue({ nowUs: T0, leaseUs: SECOND, limit: 10 });
    assert.deepEqual(claims.map((c) => c.endpoint_id), [other.id]);
  });

  test('fireOnce marks once per (type, subject, period) and queues the event for the endpoints subscribed to its type only', async (store) => {
    const all = await endpoint(store, 'http://all.example/');
    const shared = await endpoint(store, 'http://shared.example/', ['license.shared']);
    await endpoint(store, 'http://versions.example/', ['version.unreleased']);
    const mark = { type: 'license.shared' as const, subject: '[1,"LIC"]', period: 7 };
    assert.equal(await store.webhooks.isMarked(mark), false);
    assert.equal(await store.webhooks.fireOnce(mark, event('f1')), true);
    assert.equal(await store.webhooks.fireOnce(mark, event('f2')), false);
    assert.equal(await store.webhooks.isMarked(mark), true);
    assert.equal(await store.webhooks.fireOnce({ ...mark, period: 8 }, event('f3')), true);
    assert.equal(await store.webhooks.fireOnce({ ...mark, type: 'license.suspicious' }, event('f4', T0, 'license.suspicious')), true);
    const claims = await store.webhooks.claimDue({ nowUs: T0, leaseUs: SECOND, limit: 100 });
    const pairs = claims.map((c) => `${c.event_id}@${c.endpoint_id}`).sort();
    assert.deepEqual(pairs, [`f1@${all.id}`, `f1@${shared.id}`, `f3@${all.id}`, `f3@${shared.id}`, `f4@${all.id}`].sort());
  });

  test('fireOnce racing on one mark fires exactly once', async (store) => {
    await endpoint(store);
    const mark = { type: 'version.unreleased' as const, subject: '[1,"9.9"]', period: 0 };
    const fired = await Promise.all(Array.from({ length: 10 }, (_, i) => store.webhooks.fireOnce(mark, event(`r${i}`, T0, 'version.unreleased'))));
    assert.equal(fired.filter(Boolean).length, 1);
    assert.equal((await store.webhooks.claimDue({ nowUs: T0, leaseUs: SECOND, limit: 100 })).length, 1);
  });

  test('licenseAlertCounts: distinct machines, flagged reports per flag, registration and default seats, over the window', async (store) => {
    const product = await store.registry.createProduct({ name: 'P', versions: ['1.0'] });
    await store.registry.createLicense({ product_id: product.id, key: 'SHARED', status: 'active', expires_at: null });
    const now = T0;
    const p = product.id;
    const base = { product_id: p, created_at_us: now - DAY_US };
    await store.telemetry.insertMany([
      ...['m1', 'm2', 'm3', 'm2'].map((m) => record({ ...base, license_key: 'SHARED', activation_identifier: m })),
      record({ ...base, license_key: 'SHARED', activation_identifier: 'old', created_at_us: now - 40 * DAY_US }),
      record({ ...base, license_key: 'FAKE', activation_identifier: 'x', license_key_exists: 0, activation_exists: 0, has_red_flags: 1 }),
      record({ ...base, license_key: 'FAKE', activation_identifier: 'x', license_key_exists: 0, has_red_flags: 1 }),
      record({ ...base, license_key: 'BUG', activation_identifier: 'y', is_correct_format: 0, has_red_flags: 1 }),
    ]);
    const answer = await store.webhooks.licenseAlertCounts({ fromUs: now - 30 * DAY_US, afterId: null, defaultSeats: 1 });
    const byKey = new Map(answer.licenses.map((l) => [l.license_key, l]));
    assert.deepEqual(byKey.get('SHARED'), {
      product_id: p, license_key: 'SHARED', registered: true, seats: 1, machines: 3, flagged_reports: 0,
      flags: { product_exists: 0, license_key_exists: 0, product_version_exists: 0, activation_exists: 0, license_active: 0 },
    });
    assert.deepEqual(byKey.get('FAKE'), {
      product_id: p, license_key: 'FAKE', registered: false, seats: 1, machines: 1, flagged_reports: 2,
      flags: { product_exists: 0, license_key_exists: 2, product_version_exists: 0, activation_exists: 1, license_active: 0 },
    });
    assert.equal(byKey.get('BUG')?.flagged_reports, 0);
    assert.ok(answer.lastId > 0);
    // Only licenses with a record after the id given are counted (over their whole window).
    assert.deepEqual(await store.webhooks.licenseAlertCounts({ fromUs: now - 30 * DAY_US, afterId: answer.lastId, defaultSeats: 1 }), { licenses: [], lastId: answer.lastId });
    await store.telemetry.insertMany([record({ ...base, license_key: 'SHARED', activation_identifier: 'm4', created_at_us: now })]);
    const next = await store.webhooks.licenseAlertCounts({ fromUs: now - 30 * DAY_US, afterId: answer.lastId, defaultSeats: 2 });
    assert.deepEqual(next.licenses.map((l) => [l.license_key, l.machines, l.seats]), [['SHARED', 4, 2]]);
  });
}
