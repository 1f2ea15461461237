import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PUBLIC_RECORD_KEYS } from '../../src/query/record-shape.js';
import { form, post, startTestServer, type Answer, type TestServer } from './test-server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ maxReportAgeDays: 30 });
});
after(() => server.close());

const DAY_MS = 86_400_000;
let groups = 0;
/** A data group no other test uses: each test reads only its own records on the shared server. */
const freshGroup = (): string => `reported-${++groups}`;

function report(group: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    product_id: String(server.seed.productA), user_identifier: 'u-1', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
    product_version: '1.0.1', data_type: 'numeric-single-value', numeric_data_single_value: '5', data_group: group, ...extra,
  };
}

function sendForm(fields: Record<string, string>): Promise<Answer> {
  return post(`${server.url}/api/v1/send-telemetry-data`, form({ api_key: server.seed.keys.full, ...fields }), 'application/x-www-form-urlencoded');
}

function sendBatch(items: unknown[]): Promise<Answer> {
  return post(`${server.url}/api/v1/send-telemetry-data-batch`, JSON.stringify(items), 'application/json', { authorization: `Bearer ${server.seed.keys.full}` });
}

async function getTelemetry(fields: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${server.url}/api/v1/get-telemetry-data?${new URLSearchParams({ api_key: server.seed.keys.full, ...fields }).toString()}`);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, response: (JSON.parse(text) as { response: Answer['response'] }).response };
}

async function admin<T>(path: string, query: Record<string, string>): Promise<{ status: number; body: T; text: string }> {
  const res = await fetch(`${server.url}/admin/api/${path}?${new URLSearchParams(query).toString()}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  const text = await res.text();
  return { status: res.status, body: (path === 'export' ? null : JSON.parse(text)) as T, text };
}

type PublicRow = Record<string, unknown>;

async function recordsOf(group: string): Promise<PublicRow[]> {
  const answer = await getTelemetry({ data_group: group });
  return answer.response.code === 971 ? [] : (answer.response['data'] as PublicRow[]);
}

/** ISO with milliseconds, as @tally/client sends it. */
const iso = (ms: number): string => new Date(ms).toISOString();
/** The public record's form of a time sent with milliseconds. */
const shown = (ms: number): string => iso(ms).replace('Z', '000Z');

describe('reported_at on send-telemetry-data and the batch endpoint', () => {
  it('stores a valid reported_at and shows it right after updated_at, null when none was sent', async () => {
    const group = freshGroup();
    const at = Date.now() - 3 * DAY_MS;
    assert.equal((await sendForm(report(group, { reported_at: iso(at) }))).response.code, 830);
    assert.equal((await sendForm(report(group))).response.code, 830);
    const [withTime, without] = await recordsOf(group);
    assert.deepEqual(Object.keys(withTime!), [...PUBLIC_RECORD_KEYS]);
    assert.deepEqual(Object.keys(withTime!).slice(-4), ['metadata', 'created_at', 'updated_at', 'reported_at']);
    assert.equal(withTime!['reported_at'], shown(at));
    assert.deepEqual(withTime!['metadata'], {}, 'a valid reported_at is not metadata');
    assert.equal(without!['reported_at'], null);
  });

  it('takes Unix seconds, and treats an empty value as absent', async () => {
    const group = freshGroup();
    const seconds = Math.floor(Date.now() / 1000) - 600;
    assert.equal((await sendForm(report(group, { reported_at: String(seconds) }))).response.code, 830);
    assert.equal((await sendForm(report(group, { reported_at: '' }))).response.code, 830);
    const [unix, empty] = await recordsOf(group);
    assert.equal(unix!['reported_at'], new Date(seconds * 1000).toISOString().replace('.000Z', '.000000Z'));
    assert.equal(empty!['reported_at'], null);
  });

  it('stores a report whose reported_at is garbage, an array, too far ahead or too old, answering 831 with the field error', async () => {
    const group = freshGroup();
    const cases: [string, string, RegExp][] = [
      ['reported_at=yesterday', 'yesterday', /^The reported at field must be a valid date\.$/],
      ['reported_at[]=x', 'x', /^The reported at field must be a string\.$/],
      ['future', iso(Date.now() + 10 * 60_000), /^The reported at field must be a date between \S+Z and \S+Z\.$/],
      ['too old', iso(Date.now() - 31 * DAY_MS), /^The reported at field must be a date between \S+Z and \S+Z\.$/],
    ];
    for (const [name, value, message] of cases) {
      const fields = new URLSearchParams({ api_key: server.seed.keys.full, ...report(group, { data_group: '', user_identifier: group }) });
      fields.append(name === 'reported_at[]=x' ? 'reported_at[]' : 'reported_at', value);
      const answer = await post(`${server.url}/api/v1/send-telemetry-data`, fields.toString(), 'application/x-www-form-urlencoded');
      assert.equal(answer.response.code, 831, name);
      const errors = answer.response['errors'] as Record<string, string[]>;
      assert.deepEqual(Object.keys(errors), ['data_group', 'reported_at'], name);
      assert.match(errors['reported_at']![0]!, message, name);
    }
    const mine = await server.store.telemetry.query({ productIds: null, userIdentifier: group }, { afterId: 0, limit: 1000 });
    assert.deepEqual(mine.map((r) => r.reported_at_us), [null, null, null, null]);
    assert.deepEqual(mine.map((r) => r.metadata['raw_reported_at']), [cases[0]![1], [cases[1]![1]], cases[2]![1], cases[3]![1]]);
  });

  it('checks each report of a batch on its own and stores every one', async () => {
    const group = freshGroup();
    const at = Date.now() - DAY_MS;
    const ahead = iso(Date.now() + DAY_MS);
    const base = { ...report(group), numeric_data_single_value: 1 };
    const answer = await sendBatch([
      { ...base, reported_at: iso(at) }, { ...base, reported_at: Math.floor(at / 1000) }, { ...base, reported_at: 'nope' },
      { ...base, reported_at: [iso(at)] }, { ...base, reported_at: ahead }, { ...base, reported_at: '' }, base,
    ]);
    assert.equal(answer.response.code, 840);
    const results = answer.response['results'] as { code: number; errors: Record<string, string[]> | [] }[];
    assert.deepEqual(results.map((r) => r.code), [830, 830, 831, 831, 831, 830, 830]);
    assert.deepEqual(Object.keys(results[2]!.errors), ['reported_at']);
    const records = await recordsOf(group);
    assert.equal(records.length, 7);
    assert.deepEqual(records.map((r) => r['reported_at']), [
      shown(at), new Date(Math.floor(at / 1000) * 1000).toISOString().replace('Z', '000Z'), null, null, null, null, null,
    ]);
    assert.deepEqual(records.map((r) => (r['metadata'] as Record<string, unknown>)['raw_reported_at'] ?? null), [null, null, 'nope', [iso(at)], ahead, null, null]);
  });
});

describe('reported_from and reported_to', () => {
  it('select on reported_at in get-telemetry-data, the admin records and the export; from/to stay on created_at', async () => {
    const group = freshGroup();
    const now = Date.now();
    for (const daysAgo of [10, 5, 1]) assert.equal((await sendForm(report(group, { reported_at: iso(now - daysAgo * DAY_MS) }))).response.code, 830);
    assert.equal((await sendForm(report(group))).response.code, 830);
    const window = { data_group: group, reported_from: iso(now - 6 * DAY_MS), reported_to: iso(now - 2 * DAY_MS) };
    const found = (await getTelemetry(window)).response['data'] as PublicRow[];
    assert.deepEqual(found.map((r) => r['reported_at']), [shown(now - 5 * DAY_MS)]);
    const since = (await getTelemetry({ data_group: group, reported_from: iso(now - 6 * DAY_MS) })).response['data'] as PublicRow[];
    assert.equal(since.length, 2, 'a record without reported_at is not in a reported_at range');
    const created = (await getTelemetry({ data_group: group, from: iso(now - 60_000) })).response['data'] as PublicRow[];
    assert.equal(created.length, 4, 'from is on created_at: every one arrived just now');

    const page = await admin<{ records: PublicRow[] }>('records', window);
    assert.equal(page.status, 200);
    assert.deepEqual(page.body.records.map((r) => r['reported_at']), [shown(now - 5 * DAY_MS)]);
    const exported = await admin<null>('export', { format: 'ndjson', ...window });
    assert.equal(exported.status, 200);
    assert.deepEqual(exported.text.trim().split('\n').map((line) => (JSON.parse(line) as PublicRow)['reported_at']), [shown(now - 5 * DAY_MS)]);
    const csv = await admin<null>('export', { format: 'csv', ...window });
    const [header, row] = csv.text.trim().split('\r\n');
    assert.deepEqual(header!.split(',').slice(-4), ['created_at', 'updated_at', 'reported_at', 'client_ip']);
    assert.ok(row!.endsWith(`,"${shown(now - 5 * DAY_MS)}","127.0.0.0"`), row);
  });

  it('refuse a malformed value or a reversed range with 972 and field errors, in field order', async () => {
    const answer = await getTelemetry({ reported_from: 'soon', reported_to: 'later', to: 'x' });
    assert.equal(answer.response.code, 972);
    assert.deepEqual(answer.response['errors'], {
      to: ['The to field must be a valid date.'],
      reported_from: ['The reported from field must be a valid date.'],
      reported_to: ['The reported to field must be a valid date.'],
    });
    const reversed = await getTelemetry({ reported_from: '2026-01-02', reported_to: '2026-01-01' });
    assert.deepEqual(reversed.response['errors'], { reported_to: ['The reported to field must be a date after or equal to reported from.'] });
    const refused = await admin<{ errors: Record<string, string[]> }>('records', { reported_from: 'soon' });
    assert.equal(refused.status, 400);
  });
});

describe('a report sent late lands on the day it happened', () => {
  it('in the summary per-day series, its piracy alert and the overview activity', async () => {
    const group = freshGroup();
    const now = Date.now();
    const late = now - 3 * DAY_MS;
    assert.equal((await sendForm(report(group, { reported_at: iso(late) }))).response.code, 830);
    assert.equal((await sendForm(report(group, { license_key: 'LIC-MADE-UP', reported_at: iso(late) }))).response.code, 830);
    assert.equal((await sendForm(report(group))).response.code, 830);
    const lateDay = iso(late).slice(0, 10);
    const today = iso(now).slice(0, 10);

    const summary = await admin<{ days: { day: string; clean: number; flagged: number }[]; total: number; piracy_alerts: { license_keys: { license_key: string; first_seen: string }[] } }>(
      'summary', { product_id: String(server.seed.productA), data_group: group, from: iso(now - 7 * DAY_MS) },
    );
    assert.equal(summary.status, 200, summary.text);
    const days = summary.body.days;
    assert.deepEqual(days[0], { day: lateDay, clean: 1, flagged: 1 });
    assert.deepEqual(days.at(-1), { day: today, clean: 1, flagged: 0 });
    assert.equal(days.length, 4);
    assert.equal(summary.body.piracy_alerts.license_keys[0]?.first_seen, shown(late));
    const before = await admin<{ total: number }>('summary', { product_id: String(server.seed.productA), data_group: group, to: iso(late - 1000) });
    assert.equal(before.body.total, 0, 'a range that ends before the reported time does not count it');

    const overview = await admin<{ bucket: string; groups: { data_group: string; total: number }[]; series: { start: string; clean: number; flagged: number }[] }>(
      'overview', { product_id: String(server.seed.productA), from: `${lateDay}T00:00:00Z`, to: `${lateDay}T23:59:59Z` },
    );
    assert.equal(overview.status, 200, overview.text);
    assert.equal(overview.body.groups.find((g) => g.data_group === group)?.total, 2, 'only the two reported that day');
  });
});
