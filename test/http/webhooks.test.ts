import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import * as schemas from '../../src/http/schemas/webhooks.js';
import { startLicenseAlertJob } from '../../src/jobs/license-alert-job.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import { form, post, startTestServer, TEST_BACKEND, type TestServer } from './test-server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${server.adminToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}/admin/api${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function fits(schema: TSchema, value: unknown): void {
  assert.ok(Value.Check(schema, value), JSON.stringify([...Value.Errors(schema, value)].slice(0, 3)));
}

function report(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: 'user-1', license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'numeric-single-value', numeric_data_single_value: '50',
    data_group: 'g', ...overrides,
  };
}

/** The outbox rows of one endpoint, as its delivery log lists them. */
async function eventsOf(id: number): Promise<{ type: string; event_id: string }[]> {
  return (await server.store.webhooks.deliveryLog(id, 1000)).events;
}

describe(`admin API /admin/api/webhooks (${TEST_BACKEND})`, () => {
  it('creates an endpoint with all three events by default and shows its secret only in that answer', async () => {
    const created = await admin('POST', '/webhooks', { url: 'https://hooks.example.com/tally?token=abc' });
    assert.equal(created.status, 201);
    fits(schemas.CreatedWebhook, created.json);
    assert.deepEqual(created.json['events'], ['license.shared', 'license.suspicious', 'version.unreleased']);
    assert.match(String(created.json['secret']), /^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await admin('GET', '/webhooks');
    fits(schemas.listSchema.response[200] as TSchema, listed.json);
    assert.equal(JSON.stringify(listed.json).includes(String(created.json['secret'])), false);
  });

  it('refuses a URL that is not http(s), a list of unknown events, and other shapes, with 400 and a message', async () => {
    const cases: [unknown, string][] = [
      [{ url: 'ftp://example.com/x' }, 'url must be an http:// or https:// URL.'],
      [{ url: 'not a url' }, 'url must be an http:// or https:// URL.'],
      [{ url: 'https://user:pw@example.com/' }, 'url must not carry a user name or password; put a token in its path or query instead.'],
      [{ url: 'https://example.com/', events: ['license.stolen'] }, '"license.stolen" is not an event type; use license.shared, license.suspicious, version.unreleased.'],
      [{ url: 'https://example.com/', events: [] }, 'events must be a list of license.shared, license.suspicious, version.unreleased.'],
      [{ url: 42 }, 'url must be an http:// or https:// URL.'],
    ];
    for (const [body, error] of cases) assert.deepEqual(await admin('POST', '/webhooks', body), { status: 400, json: { error } }, JSON.stringify(body));
  });

  it('queues a webhook.test event, lists it in the delivery log, and removes an endpoint (404 after)', async () => {
    const { json } = await admin('POST', '/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['version.unreleased'] });
    const id = Number(json['id']);
    const test = await admin('POST', `/webhooks/${id}/test`);
    assert.equal(test.status, 202);
    const log = await admin('GET', `/webhooks/${id}/deliveries`);
    assert.equal(log.status, 200);
    fits(schemas.deliveriesSchema.response[200] as TSchema, log.json);
    const events = log.json['events'] as { event_id: string; type: string; state: string }[];
    assert.deepEqual(events.map((e) => [e.event_id, e.type, e.state]), [[test.json['event_id'], 'webhook.test', 'pending']]);
    assert.deepEqual(await admin('DELETE', `/webhooks/${id}`), { status: 200, json: { id, removed: true } });
    assert.deepEqual(await admin('DELETE', `/webhooks/${id}`), { status: 404, json: { error: `No webhook endpoint ${id}.` } });
    assert.deepEqual(await admin('GET', `/webhooks/${id}/deliveries`), { status: 404, json: { error: `No webhook endpoint ${id}.` } });
    assert.deepEqual(await admin('POST', '/webhooks/abc/test'), { status: 404, json: { error: 'No webhook endpoint abc.' } });
  });
});

describe(`alerts fire once per subject per window (${TEST_BACKEND})`, () => {
  it('version.unreleased: a flood of reports naming an unregistered version, single and batched, queues one event per endpoint', async () => {
    const { json } = await admin('POST', '/webhooks', { url: 'http://127.0.0.1:9/versions', events: ['version.unreleased'] });
    const id = Number(json['id']);
    const endpoint = `${server.url}/api/v1/send-telemetry-data`;
    await Promise.all(Array.from({ length: 60 }, () => post(endpoint, form(report({ product_version: '2.1.0-beta' })), 'application/x-www-form-urlencoded')));
    const batch = Array.from({ length: 40 }, () => ({ ...report({ product_version: '2.1.0-beta' }), api_key: undefined }));
    const batchAnswer = await post(`${server.url}/api/v1/send-telemetry-data-batch`, JSON.stringify(batch), 'application/json', { authorization: `Bearer ${server.seed.keys.full}` });
    assert.equal(batchAnswer.status, 200, batchAnswer.text);
    // Registered versions, and versions of products that do not exist, are not alerts.
    await post(endpoint, form(report({ product_version: '1.1.0' })), 'application/x-www-form-urlencoded');
    await post(endpoint, form(report({ product_id: '424242', product_version: '7.7.7' })), 'application/x-www-form-urlencoded');
    await server.alertsIdle();
    const events = await eventsOf(id);
    assert.deepEqual(events.map((e) => e.type), ['version.unreleased']);
    const [claim] = (await server.store.webhooks.claimDue({ nowUs: Date.now() * 1000 + 1, leaseUs: 1_000_000, limit: 100 })).filter((c) => c.endpoint_id === id);
    const data = (JSON.parse(claim?.body ?? '{}') as { data: Record<string, unknown> }).data;
    assert.deepEqual(Object.keys(data), ['product_id', 'product_version', 'first_seen']);
    assert.equal(data['product_id'], server.seed.productA);
    assert.equal(data['product_version'], '2.1.0-beta');
  });

  it('license.shared and license.suspicious: passes of two jobs (two instances) over many reports fire each once in a window', async () => {
    const { json } = await admin('POST', '/webhooks', { url: 'http://127.0.0.1:9/licenses', events: ['license.shared', 'license.suspicious'] });
    const id = Number(json['id']);
    const now = Date.now() * 1000;
    const base = (await server.store.telemetry.list({ limit: 1 }))[0];
    assert.ok(base);
    const rows: NewTelemetryRecord[] = [];
    // Product B (product A's reports above are flagged too): LIC-B (registered, default 1 seat) on 5 machines,
    // LIC-FAKE (not registered) 12 flagged reports on one machine.
    const clean = { is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1, license_active: 1, has_red_flags: 0 } as const;
    const b = { ...base, ...clean, product_id: server.seed.productB, product_version: '2.0.0' };
    for (let i = 0; i < 200; i++) rows.push({ ...b, license_key: 'LIC-B', activation_identifier: `m${i % 5}`, created_at_us: now - i });
    for (let i = 0; i < 12; i++) rows.push({ ...b, license_key: 'LIC-FAKE', activation_identifier: 'x', license_key_exists: 0, activation_exists: 0, has_red_flags: 1, created_at_us: now - i });
    await server.store.telemetry.insertMany(rows);
    const options = { windowDays: 30, defaultSeats: 1, suspiciousReports: 10, intervalMs: 3_600_000, log: (line: string) => assert.fail(line), nowUs: () => now };
    const jobs = [startLicenseAlertJob(server.store.webhooks, options), startLicenseAlertJob(server.store.webhooks, options)];
    for (let pass = 0; pass < 3; pass++) {
      await Promise.all(jobs.map((job) => job.runNow()));
      await server.store.telemetry.insertMany(rows.slice(0, 20));
    }
    await Promise.all(jobs.map((job) => job.stop()));
    const bodies = (await server.store.webhooks.claimDue({ nowUs: now + 1, leaseUs: 1_000_000, limit: 100 }))
      .filter((c) => c.endpoint_id === id).map((c) => JSON.parse(c.body) as { type: string; data: Record<string, unknown> })
      .filter((body) => body.data['product_id'] === server.seed.productB);
    assert.deepEqual(bodies.map((body) => `${body.type} ${String(body.data['license_key'])}`).sort(), ['license.shared LIC-B', 'license.suspicious LIC-FAKE']);
    const shared = bodies.find((body) => body.type === 'license.shared');
    assert.deepEqual(shared?.data, { product_id: server.seed.productB, license_key: 'LIC-B', machines: 5, seats: 1, window_days: 30 });
    const suspicious = bodies.find((body) => body.type === 'license.suspicious');
    assert.equal(suspicious?.data['license_key'], 'LIC-FAKE');
    assert.equal(suspicious?.data['flagged_reports'], 12);
    assert.deepEqual(suspicious?.data['flags'], { product_exists: 0, license_key_exists: 12, product_version_exists: 0, activation_exists: 12, license_active: 0 });
    const before = (await eventsOf(id)).length;
    // In the next window the records above are older than the window: nothing crosses, nothing fires.
    const later = startLicenseAlertJob(server.store.webhooks, { ...options, nowUs: () => now + 30 * 86_400_000_000 });
    await later.runNow();
    await later.stop();
    assert.equal((await eventsOf(id)).length, before);
  });
});
