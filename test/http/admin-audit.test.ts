import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PublicAuditEntry } from '../../src/query/audit-read.js';
import { DAY_US } from '../../src/model/clock.js';
import type { AuditActor, NewAuditEntry } from '../../src/model/audit.js';
import { startTestServer, type TestServer } from './test-server.js';

/** GET /admin/api/audit and /admin/api/audit/export (docs/audit.md): filters, keyset paging newest first, streamed exports. */

let server: TestServer;
const T0 = Date.UTC(2026, 0, 10) * 1000;
const ana: AuditActor = { kind: 'session', accountId: 7, name: 'ana@example.com', ip: '203.0.113.9' };

const entry = (action: string, targetId: string, actor = ana): NewAuditEntry => ({
  actor, action, targetType: action.split('.')[0] ?? '', targetId, changes: { note: { before: null, after: `=${targetId}` } },
});

before(async () => {
  server = await startTestServer();
  await server.store.audit.recordMany([entry('license.create', '1'), entry('license.import', '2')], T0);
  await server.store.audit.recordMany([entry('api_key.revoke', '3', { kind: 'cli', accountId: null, name: 'cli:ops', ip: null })], T0 + DAY_US);
});
after(() => server.close());

async function get(path: string): Promise<Response> {
  return fetch(`${server.url}/admin/api${path}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
}

async function page(query: string): Promise<{ entries: PublicAuditEntry[]; next_after: number | null }> {
  const res = await get(`/audit?${query}`);
  assert.equal(res.status, 200);
  return (await res.json()) as { entries: PublicAuditEntry[]; next_after: number | null };
}

const ids = (entries: readonly PublicAuditEntry[]): (string | null)[] => entries.map((e) => e.target_id);

describe('GET /admin/api/audit', () => {
  it('lists entries newest first with every field, and pages with next_after', async () => {
    const first = await page('limit=2');
    assert.deepEqual(ids(first.entries), ['3', '2']);
    assert.deepEqual(first.entries[1], {
      id: first.entries[1]?.id, at: '2026-01-10T00:00:00.000000Z', actor_kind: 'session', actor_account_id: 7, actor_name: 'ana@example.com',
      ip: '203.0.113.9', action: 'license.import', target_type: 'license', target_id: '2', changes: { note: { before: null, after: '=2' } },
    });
    assert.equal(first.next_after, first.entries[1]?.id);
    const second = await page(`limit=2&after=${first.next_after}`);
    assert.deepEqual(ids(second.entries), ['1']);
    assert.equal(second.next_after, null);
  });

  it('filters by actor, action or its subject, target and time (to covers the day it names)', async () => {
    assert.deepEqual(ids((await page('actor=cli:ops')).entries), ['3']);
    assert.deepEqual(ids((await page('actor=7')).entries), ['2', '1']);
    assert.deepEqual(ids((await page('action=license')).entries), ['2', '1']);
    assert.deepEqual(ids((await page('action=license.create')).entries), ['1']);
    assert.deepEqual(ids((await page('target_type=api_key&target_id=3')).entries), ['3']);
    assert.deepEqual(ids((await page('from=2026-01-11')).entries), ['3']);
    assert.deepEqual(ids((await page('from=2026-01-10&to=2026-01-10')).entries), ['2', '1']);
  });

  it('refuses bad parameters with a message per field', async () => {
    const res = await get('/audit?limit=0&from=yesterday&after=x');
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: string; errors: Record<string, string[]> };
    assert.equal(body.error, 'The audit log parameters are invalid.');
    assert.deepEqual(Object.keys(body.errors).sort(), ['after', 'from', 'limit']);
  });

  it('needs the admin token like every admin route', async () => {
    assert.equal((await fetch(`${server.url}/admin/api/audit`)).status, 401);
  });
});

describe('GET /admin/api/audit/export', () => {
  it('streams every matching entry as NDJSON', async () => {
    const res = await get('/audit/export?format=ndjson&action=license');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/x-ndjson/);
    assert.match(res.headers.get('content-disposition') ?? '', /tally-audit\.ndjson/);
    const lines = (await res.text()).trim().split('\n').map((line) => JSON.parse(line) as PublicAuditEntry);
    assert.deepEqual(ids(lines), ['2', '1']);
  });

  it('streams CSV with a header, the changes as JSON text and formula cells neutralised', async () => {
    const res = await get('/audit/export?format=csv&target_id=3');
    assert.equal(res.status, 200);
    const [header, row, end] = (await res.text()).split('\r\n');
    assert.equal(header, 'id,at,actor_kind,actor_account_id,actor_name,ip,action,target_type,target_id,changes');
    assert.match(row ?? '', /^\d+,"2026-01-11T00:00:00\.000000Z","cli",,"cli:ops",,"api_key\.revoke","api_key","3","\{""note"":\{""before"":null,""after"":""=3""\}\}"$/);
    assert.equal(end, '');
  });

  it('refuses an unknown format', async () => {
    assert.equal((await get('/audit/export?format=xml')).status, 400);
  });
});
