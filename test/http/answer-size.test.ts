import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FLAG_NAMES, type NewTelemetryRecord, type ReportFlags } from '../../src/model/record.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * Issue 16 item 7: reports near the body limit, read back 1,000 at a time, made one answer of
 * 176 MiB. Here 200 reports of ~30 KiB (stored twice: data and text_data) would make a 28 MiB
 * answer; with `--max-answer-bytes` 1 MiB every answer must stay within it, and paging with
 * next_after_id must still return every record exactly once.
 */
const MAX_ANSWER_BYTES = 1024 * 1024;
const REPORTS = 200;
const GROUP = 'big-texts';

let server: TestServer;
let stored: number[];

function textReport(i: number): NewTelemetryRecord {
  const flags = Object.fromEntries(FLAG_NAMES.map((name) => [name, 1])) as unknown as ReportFlags;
  flags.has_red_flags = 0;
  // Every fifth text is quotes and control characters, which JSON writes two to six times as long.
  const text = i % 5 === 0 ? `${i}${'"\u0001'.repeat(5_000)}` : `${i}${'x'.repeat(30_000)}`;
  return {
    api_key_id: 1, product_id: server.seed.productA, user_identifier: `user-${i}`, license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
    product_version: '1.0.1', data_type: 'text', data_group: GROUP, data: text, numeric_data_single_value: null,
    numeric_data_x: null, numeric_data_y: null, text_data: text, ...flags, errors: {}, metadata: {}, client_ip: '127.0.0.1', blocked: 0,
    created_at_us: Date.now() * 1000, reported_at_us: null,
  };
}

before(async () => {
  server = await startTestServer({ maxAnswerBytes: MAX_ANSWER_BYTES });
  stored = [];
  for (let from = 0; from < REPORTS; from += 50) {
    stored.push(...(await server.store.telemetry.insertMany(Array.from({ length: 50 }, (_, i) => textReport(from + i)))));
  }
});
after(() => server.close());

interface Page {
  bytes: number;
  ids: number[];
  next: number | null;
}

async function apiPage(afterId: number): Promise<Page> {
  const query = new URLSearchParams({ api_key: server.seed.keys.full, data_group: GROUP, limit: '1000', after_id: String(afterId) });
  const res = await fetch(`${server.url}/api/v1/get-telemetry-data?${query}`);
  const body = Buffer.from(await res.arrayBuffer());
  const response = JSON.parse(Buffer.from((JSON.parse(body.toString()) as { response_base64: string }).response_base64, 'base64').toString()) as {
    code: number; data: { id: number }[]; next_after_id: number | null;
  };
  assert.equal(response.code, 970);
  return { bytes: body.length, ids: response.data.map((r) => r.id), next: response.next_after_id };
}

async function adminPage(afterId: number): Promise<Page> {
  const query = new URLSearchParams({ data_group: GROUP, limit: '500', after_id: String(afterId) });
  const res = await fetch(`${server.url}/admin/api/records?${query}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  assert.equal(res.status, 200);
  const body = Buffer.from(await res.arrayBuffer());
  const answer = JSON.parse(body.toString()) as { records: { id: number }[]; next_after_id: number | null };
  return { bytes: body.length, ids: answer.records.map((r) => r.id), next: answer.next_after_id };
}

/** Every page from the start, following next_after_id until it is null. */
async function allPages(read: (afterId: number) => Promise<Page>): Promise<Page[]> {
  const pages: Page[] = [];
  let afterId = 0;
  for (;;) {
    const page = await read(afterId);
    pages.push(page);
    if (page.next === null) return pages;
    assert.equal(page.next, page.ids[page.ids.length - 1], 'next_after_id is the id of the page\'s last record');
    afterId = page.next;
  }
}

describe('answer size (issue 16 item 7)', () => {
  it('get-telemetry-data?limit=1000 over huge reports answers pages within --max-answer-bytes, and paging returns every record once', async () => {
    const pages = await allPages(apiPage);
    for (const page of pages) assert.ok(page.bytes <= MAX_ANSWER_BYTES, `an answer of ${page.bytes} bytes`);
    assert.ok(pages.length > 5, `the records came in ${pages.length} pages`);
    assert.deepEqual(pages.flatMap((page) => page.ids), stored);
    assert.equal(pages[pages.length - 1]!.next, null);
  });

  it('an admin records page of 500 (what Live polls) stays within --max-answer-bytes, and paging returns every record once', async () => {
    const pages = await allPages(adminPage);
    for (const page of pages) assert.ok(page.bytes <= MAX_ANSWER_BYTES, `a page of ${page.bytes} bytes`);
    assert.ok(pages.length > 2, `the records came in ${pages.length} pages`);
    assert.deepEqual(pages.flatMap((page) => page.ids), stored);
  });

  it('a record larger than the bound is answered alone, so paging still moves on', async () => {
    const huge = { ...textReport(0), data_group: 'huge', data: 'h'.repeat(600_000), text_data: 'h'.repeat(600_000) };
    const ids = await server.store.telemetry.insertMany([huge, huge]);
    const query = new URLSearchParams({ api_key: server.seed.keys.full, data_group: 'huge', limit: '10' });
    const first = await fetch(`${server.url}/api/v1/get-telemetry-data?${query}`).then((res) => res.json()) as { response: { data: { id: number }[]; next_after_id: number | null } };
    assert.deepEqual(first.response.data.map((r) => r.id), [ids[0]]);
    assert.equal(first.response.next_after_id, ids[0]);
  });
});
