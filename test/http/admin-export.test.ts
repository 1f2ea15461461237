import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { ADMIN_RECORD_KEYS } from '../../src/query/record-shape.js';
import { AWKWARD_TEXT, awkwardRecord, exportRecord } from '../query/export-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
let ids: number[];

before(async () => {
  server = await startTestServer();
  ids = await server.store.telemetry.insertMany([
    ...Array.from({ length: 1200 }, (_, i) => exportRecord(i, { data_group: 'export-g' })),
    { ...awkwardRecord(1200), data_group: 'export-g' },
  ]);
});
after(() => server.close());

function exportUrl(query: string): string {
  return `${server.url}/admin/api/export?${query}`;
}

function asAdmin(): RequestInit {
  return { headers: { authorization: `Bearer ${server.adminToken}` } };
}

describe('GET /admin/api/export', () => {
  it('streams NDJSON of the matching records, one admin record (public record and client_ip) per line', async () => {
    const res = await fetch(exportUrl('format=ndjson&data_group=export-g'), asAdmin());
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-ndjson');
    const lines = (await res.text()).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(lines.map((r) => r['id']), ids);
    assert.deepEqual(Object.keys(lines[0]!), [...ADMIN_RECORD_KEYS]);
    assert.equal(lines[1200]?.['text_data'], AWKWARD_TEXT);
  });

  it('streams CSV that csv-parse reads back exactly', async () => {
    const res = await fetch(exportUrl('format=csv&data_group=export-g&has_red_flags=1'), asAdmin());
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => Number(r['id'])), [ids[1200]]);
    assert.equal(rows[0]?.['text_data'], AWKWARD_TEXT);
  });

  it('filters on flags written true or false as well as 1 or 0', async () => {
    const res = await fetch(exportUrl('format=ndjson&data_group=export-g&has_red_flags=true'), asAdmin());
    const lines = (await res.text()).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(lines.map((r) => r['id']), [ids[1200]]);
    const bad = await fetch(exportUrl('format=ndjson&has_red_flags=yes'), asAdmin());
    assert.deepEqual(((await bad.json()) as { errors: unknown }).errors, { has_red_flags: ['The has red flags field must be 1, 0, true or false.'] });
  });

  it('answers 400 with the query API messages for bad parameters', async () => {
    const res = await fetch(exportUrl('format=xml&limit=abc&from=never'), asAdmin());
    assert.equal(res.status, 400);
    const body = (await res.json()) as { errors: Record<string, string[]> };
    assert.deepEqual(body.errors, {
      format: ['The selected format is invalid.'], from: ['The from field must be a valid date.'], limit: ['The limit field must be an integer.'],
    });
  });

  it('answers 401 JSON without the admin token or with an API key instead', async () => {
    for (const init of [{}, { headers: { authorization: `Bearer ${server.seed.keys.full}` } }]) {
      const res = await fetch(exportUrl('format=ndjson'), init);
      assert.equal(res.status, 401);
      assert.ok(typeof ((await res.json()) as { error?: unknown }).error === 'string');
    }
  });
});
