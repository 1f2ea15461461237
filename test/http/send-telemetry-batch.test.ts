import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TelemetryRecord } from '../../src/model/record.js';
import { runCli } from './cli-runner.js';
import { post, startTestServer, type Answer, type TestServer } from './test-server.js';

let server: TestServer;
let batchUrl: string;
let singleUrl: string;

function report(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    product_id: server.seed.productA,
    user_identifier: 'user-1',
    license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1',
    product_version: '1.0.1',
    data_type: 'numeric-single-value',
    numeric_data_single_value: 50,
    data_group: 'batch',
    ...overrides,
  };
}

const bearer = (): Record<string, string> => ({ authorization: `Bearer ${server.seed.keys.full}` });

function sendBatch(items: unknown, contentType = 'application/json', headers = bearer()): Promise<Answer> {
  return post(batchUrl, typeof items === 'string' ? items : JSON.stringify(items), contentType, headers);
}

function sendSingle(fields: Record<string, unknown>): Promise<Answer> {
  return post(singleUrl, JSON.stringify(fields), 'application/json', bearer());
}

async function recordsAfter(id: number): Promise<TelemetryRecord[]> {
  return server.store.telemetry.list({ afterId: id, limit: 1000 });
}

async function lastId(): Promise<number> {
  const all = await server.store.telemetry.list({ limit: 100_000 });
  return all.at(-1)?.id ?? 0;
}

/** A stored record without what differs between two stores of the same report. */
function comparable(record: TelemetryRecord): Partial<TelemetryRecord> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'id' && key !== 'created_at_us'));
}

function uuid(): string {
  return crypto.randomUUID();
}

before(async () => {
  server = await startTestServer({ batchMaxReports: 5, batchBodyLimit: 8192, registryCacheMs: 0 });
  batchUrl = `${server.url}/api/v1/send-telemetry-data-batch`;
  singleUrl = `${server.url}/api/v1/send-telemetry-data`;
});
after(() => server.close());

describe('POST /api/v1/send-telemetry-data-batch: storing', () => {
  it('stores each item exactly as the single endpoint stores the same report, and answers 840 with one result per item', async () => {
    const items = [
      report({ user_identifier: 'same-1' }),
      report({ user_identifier: 'same-2', product_version: '9.9.9', extra: { a: 1 } }),
      report({ user_identifier: 'same-3', numeric_data_single_value: 'abc', data_group: '' }),
      report({ user_identifier: 'same-4', data_type: 'text', text_data: 'hello', numeric_data_single_value: undefined }),
    ];
    const before = await lastId();
    for (const item of items) await sendSingle(item);
    const singles = await recordsAfter(before);
    const answer = await sendBatch(items);
    const batched = await recordsAfter(singles.at(-1)!.id);
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.response), ['code', 'message', 'results', 'stored', 'duplicates', 'timestamp']);
    assert.equal(answer.response.code, 840);
    assert.equal(answer.response.message, 'Batch data saved');
    assert.deepEqual(answer.response.results, [
      { code: 830, errors: [] },
      { code: 830, errors: [] },
      { code: 831, errors: singles[2]!.errors },
      { code: 830, errors: [] },
    ]);
    assert.equal(answer.response.stored, 4);
    assert.equal(answer.response.duplicates, 0);
    assert.deepEqual(batched.map(comparable), singles.map(comparable));
    assert.equal(batched[1]!.product_version_exists, 0, 'flags are computed per item');
  });

  it('stores an item that is not an object as an incorrect report with an item error, its value kept as metadata.raw_item', async () => {
    const before = await lastId();
    const answer = await sendBatch([report(), 42, 'text', [1]]);
    assert.equal(answer.response.code, 840);
    const results = answer.response.results as { code: number; errors: Record<string, string[]> }[];
    assert.deepEqual(results.map((r) => r.code), [830, 831, 831, 831]);
    assert.deepEqual(Object.keys(results[1]!.errors).slice(0, 2), ['item', 'product_id']);
    assert.deepEqual(results[1]!.errors['item'], ['The report must be a JSON object.']);
    const stored = await recordsAfter(before);
    assert.equal(stored.length, 4);
    assert.deepEqual(stored.slice(1).map((r) => r.metadata['raw_item']), [42, 'text', [1]]);
    assert.ok(stored.slice(1).every((r) => r.is_correct_format === 0 && r.has_red_flags === 1));
  });

  it('reads NDJSON: one report per line, blank lines and CRLF ignored', async () => {
    const before = await lastId();
    const body = `${JSON.stringify(report({ user_identifier: 'nd-1' }))}\r\n\n  \n${JSON.stringify(report({ user_identifier: 'nd-2' }))}\n`;
    const answer = await sendBatch(body, 'application/x-ndjson');
    assert.equal(answer.response.code, 840);
    assert.equal(answer.response.stored, 2);
    assert.deepEqual((await recordsAfter(before)).map((r) => r.user_identifier), ['nd-1', 'nd-2']);
  });

  it('takes the key from ?api_key= as well, ignores an api_key inside an item and keeps it out of metadata', async () => {
    const before = await lastId();
    const answer = await post(`${batchUrl}?api_key=${server.seed.keys.full}`, JSON.stringify([report({ api_key: 'whatever' })]), 'application/json');
    assert.equal(answer.response.code, 840);
    const [record] = await recordsAfter(before);
    assert.deepEqual(record!.metadata, {});
    const onlyInItem = await sendBatch([report({ api_key: server.seed.keys.full })], 'application/json', {});
    assert.equal(onlyInItem.status, 401);
    assert.equal(onlyInItem.response.code, 100);
  });

  it('answers a key without send_telemetry 401 (102) and stores nothing', async () => {
    const before = await lastId();
    const answer = await sendBatch([report()], 'application/json', { authorization: `Bearer ${server.seed.keys.getOnly}` });
    assert.equal(answer.response.code, 102);
    assert.equal(await lastId(), before);
  });

  it('stores an item the blocklist matches flagged blocked, with result 150, beside the others', async () => {
    await server.store.blocklist.add({ kind: 'user_identifier', value: 'blocked-in-batch', product_id: null, reason: null, ignore_case: false });
    const before = await lastId();
    const answer = await sendBatch([report({ user_identifier: 'blocked-in-batch' }), report({ user_identifier: 'not-blocked' })]);
    assert.deepEqual(answer.response.results, [{ code: 150, errors: [] }, { code: 830, errors: [] }]);
    const stored = await recordsAfter(before);
    assert.deepEqual(stored.map((r) => [r.user_identifier, r.blocked]), [['blocked-in-batch', 1], ['not-blocked', 0]]);
  });

  it('commits the batch whole: when the store cannot commit it answers 503 with Retry-After and nothing is stored', async () => {
    const telemetry = server.store.telemetry as { insertUnique: typeof server.store.telemetry.insertUnique };
    const original = telemetry.insertUnique;
    telemetry.insertUnique = async () => {
      throw new Error('disk full');
    };
    const before = await lastId();
    try {
      const answer = await sendBatch([report(), report()]);
      assert.equal(answer.status, 503);
      assert.equal(answer.headers.get('retry-after'), '1');
    } finally {
      telemetry.insertUnique = original;
    }
    assert.equal(await lastId(), before);
  });
});

describe('POST /api/v1/send-telemetry-data-batch: refused bodies store nothing', () => {
  const cases: [string, string, string, RegExp][] = [
    ['broken JSON', '[{"a":1},', 'application/json', /not valid JSON/],
    ['a JSON object instead of an array', '{"product_id":1}', 'application/json', /must be a JSON array/],
    ['an empty array', '[]', 'application/json', /holds no reports/],
    ['an empty body', '', 'application/json', /holds no reports/],
    ['a bad NDJSON line', '{"a":1}\n{oops\n', 'application/x-ndjson', /Line 2 of the NDJSON body/],
    ['more items than batchMaxReports', JSON.stringify(Array.from({ length: 6 }, () => ({}))), 'application/json', /holds 6 reports; at most 5/],
  ];
  for (const [name, body, type, message] of cases) {
    it(`answers ${name} with 400 and a clear message`, async () => {
      const before = await lastId();
      const answer = await sendBatch(body, type);
      assert.equal(answer.status, 400);
      assert.equal(answer.response.code, 400);
      assert.match((answer.response.errors as { body: string[] }).body[0]!, message);
      assert.equal(await lastId(), before);
    });
  }

  it('answers a body over batchBodyLimit with 413 naming that limit', async () => {
    const before = await lastId();
    const answer = await sendBatch([report({ text_data: 'x'.repeat(9000) })]);
    assert.equal(answer.status, 413);
    assert.match((answer.response.errors as { body: string[] }).body[0]!, /larger than 8192 bytes/);
    assert.equal(await lastId(), before);
  });

  it('answers another content type with 415', async () => {
    const answer = await sendBatch('product_id=1', 'application/x-www-form-urlencoded');
    assert.equal(answer.status, 415);
    assert.match((answer.response.errors as { body: string[] }).body[0]!, /application\/x-ndjson/);
  });
});

describe('event_id: idempotent reports', () => {
  it('the single endpoint stores a report once per event_id and answers a repeat 832 "Data already saved" with no errors', async () => {
    const eventId = uuid();
    const before = await lastId();
    const first = await sendSingle(report({ event_id: eventId }));
    const again = await sendSingle(report({ event_id: eventId.toUpperCase(), user_identifier: 'other' }));
    assert.equal(first.response.code, 830);
    assert.equal(again.status, 200);
    assert.deepEqual(Object.keys(again.response), ['code', 'message', 'errors', 'timestamp']);
    assert.equal(again.response.code, 832);
    assert.equal(again.response.message, 'Data already saved');
    assert.deepEqual(again.response.errors, []);
    const stored = await recordsAfter(before);
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.user_identifier, 'user-1');
    assert.deepEqual(stored[0]!.metadata, {}, 'event_id is not metadata');
  });

  it('an event_id that is not a UUID is an error: stored as 831 (kept as metadata.raw_event_id), never deduplicated', async () => {
    const before = await lastId();
    const first = await sendSingle(report({ event_id: 'not-a-uuid' }));
    const again = await sendSingle(report({ event_id: 'not-a-uuid' }));
    for (const answer of [first, again]) {
      assert.equal(answer.response.code, 831);
      assert.deepEqual(answer.response.errors, { event_id: ['The event id field must be a valid UUID.'] });
    }
    const stored = await recordsAfter(before);
    assert.equal(stored.length, 2);
    assert.equal(stored[0]!.metadata['raw_event_id'], 'not-a-uuid');
  });

  it('in a batch, a repeat of a stored event_id and a second item with the same event_id are 832 and not stored', async () => {
    const [stored, fresh] = [uuid(), uuid()];
    await sendSingle(report({ event_id: stored }));
    const before = await lastId();
    const answer = await sendBatch([report({ event_id: stored }), report({ event_id: fresh.toUpperCase() }), report({ event_id: fresh }), report()]);
    assert.deepEqual(answer.response.results, [
      { code: 832, errors: [], event_id: stored },
      { code: 830, errors: [], event_id: fresh },
      { code: 832, errors: [], event_id: fresh },
      { code: 830, errors: [] },
    ]);
    assert.equal(answer.response.stored, 2);
    assert.equal(answer.response.duplicates, 2);
    assert.equal((await recordsAfter(before)).length, 2);
  });

  it('a retried batch is stored once: every item of the second send is 832', async () => {
    const items = Array.from({ length: 5 }, (_, i) => report({ event_id: uuid(), user_identifier: `retry-${i}` }));
    const before = await lastId();
    const first = await sendBatch(items);
    const second = await sendBatch(items);
    assert.equal(first.response.stored, 5);
    assert.equal(second.response.stored, 0);
    assert.equal(second.response.duplicates, 5);
    assert.equal((await recordsAfter(before)).length, 5);
  });

  it('many concurrent requests with one event_id (single and batch, same or separate group commits) store exactly one record', async () => {
    const eventId = uuid();
    const before = await lastId();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0 ? sendBatch([report({ event_id: eventId })]) : sendSingle(report({ event_id: eventId }))));
    const codes = answers.map((a) => (a.response.code === 840 ? (a.response.results as { code: number }[])[0]!.code : a.response.code));
    assert.equal(codes.filter((c) => c === 830).length, 1);
    assert.equal(codes.filter((c) => c === 832).length, 29);
    assert.equal((await recordsAfter(before)).length, 1);
  });
});

describe('POST /api/v1/send-telemetry-data-batch: signing key', () => {
  it('signs with the global key, or with the own key of the product that ?product_id= names when the API key is scoped to it alone', async () => {
    const made = await runCli(['keys', 'create', '--product', String(server.seed.productB), '--json', ...server.cliStoreArgs]);
    assert.equal(made.code, 0, made.stderr);
    const envelopeOf = async (query: string, key = server.seed.keys.scopedToB): Promise<Record<string, unknown>> => {
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      const res = await fetch(`${batchUrl}${query}`, { method: 'POST', headers, body: JSON.stringify([report()]) });
      return (await res.json()) as Record<string, unknown>;
    };
    let own = await envelopeOf(`?product_id=${server.seed.productB}`);
    for (let i = 0; i < 30 && own['private_key_used'] !== 'product'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      own = await envelopeOf(`?product_id=${server.seed.productB}`);
    }
    assert.equal(own['private_key_used'], 'product');
    assert.equal((await envelopeOf(''))['private_key_used'], 'global');
    // An unscoped key may name any product, so its answers never carry a product's signature (docs/security.md §4).
    assert.equal((await envelopeOf(`?product_id=${server.seed.productB}`, server.seed.keys.full))['private_key_used'], 'global');
  });
});
