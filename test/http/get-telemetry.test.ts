import assert from 'node:assert/strict';
import { NO_AUDIT } from '../audit-helpers.js';
import { after, before, describe, it } from 'node:test';
import { verifyEnvelope } from '../../src/envelope/verify.js';
import { publicKeyPem } from '../../src/envelope/signing-key.js';
import { PUBLIC_RECORD_KEYS } from '../../src/query/record-shape.js';
import { createApiKey } from '../../src/registry/api-keys.js';
import { FLAG_NAMES, type NewTelemetryRecord, type ReportFlags } from '../../src/model/record.js';
import { form, post, startTestServer, type Answer, type TestServer } from './test-server.js';

let server: TestServer;
/** A key with get_telemetry limited to product B. */
let keyForB: string;

before(async () => {
  server = await startTestServer();
  keyForB = (await createApiKey(server.store.registry, { name: 'reader-b', capabilities: ['get_telemetry'], products: [server.seed.productB] }, NO_AUDIT)).secret;
});
after(() => server.close());

const T0 = Date.UTC(2024, 1, 27, 1, 57, 24) * 1000;
let groupCounter = 0;

/** A data group no other test uses, so each test sees only its own records on the shared server. */
function freshGroup(): string {
  return `group-${++groupCounter}`;
}

function stored(overrides: Partial<NewTelemetryRecord> = {}, failed: (keyof ReportFlags)[] = []): NewTelemetryRecord {
  const flags = Object.fromEntries(FLAG_NAMES.map((name) => [name, failed.includes(name) ? 0 : 1])) as unknown as ReportFlags;
  flags.has_red_flags = failed.length > 0 ? 1 : 0;
  return {
    api_key_id: 1, product_id: server.seed.productA, user_identifier: 'user-1', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
    product_version: '1.0.1', data_type: 'numeric-single-value', data_group: 'g', data: '50', numeric_data_single_value: 50,
    numeric_data_x: null, numeric_data_y: null, text_data: null, ...flags, errors: {}, metadata: {}, client_ip: '127.0.0.1', blocked: 0,
    created_at_us: T0, reported_at_us: null, ...overrides,
  };
}

async function get(fields: Record<string, string>, path = '/api/v1/get-telemetry-data', headers: Record<string, string> = {}): Promise<Answer> {
  const query = new URLSearchParams({ api_key: server.seed.keys.full, ...fields }).toString();
  const res = await fetch(`${server.url}${path}?${query}`, { headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, response: (JSON.parse(text) as { response: Answer['response'] }).response };
}

interface Found {
  data: Record<string, unknown>[];
  next_after_id: number | null;
}

function found(answer: Answer): Found {
  assert.equal(answer.response.code, 970, answer.text.slice(0, 300));
  return answer.response as unknown as Found;
}

async function idsFor(fields: Record<string, string>): Promise<number[]> {
  const answer = await get(fields);
  if (answer.response.code === 971) return [];
  return found(answer).data.map((r) => r['id'] as number);
}

describe('get-telemetry-data: answers', () => {
  it('returns a report sent through send-telemetry-data exactly in the shape of CONTRACT §4, signed', async () => {
    const group = freshGroup();
    const sent = await post(`${server.url}/api/v1/send-telemetry-data`, form({
      api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: 'u-1', license_key: 'LIC-ACTIVE',
      activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'numeric-single-value', numeric_data_single_value: '50',
      data_group: group, os: 'linux',
    }), 'application/x-www-form-urlencoded');
    assert.equal(sent.response.code, 830);
    const answer = await get({ data_group: group });
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.response), ['code', 'message', 'data', 'next_after_id', 'timestamp']);
    assert.equal(answer.response.message, 'Telemetry data found');
    const { data, next_after_id } = found(answer);
    assert.equal(next_after_id, null);
    assert.equal(data.length, 1);
    const record = data[0]!;
    assert.deepEqual(Object.keys(record), [...PUBLIC_RECORD_KEYS]);
    // Tally's addition to the published shape comes right after has_red_flags (docs/query-behaviour.md).
    assert.equal(Object.keys(record)[Object.keys(record).indexOf('has_red_flags') + 1], 'blocked');
    const [storedRecord] = await server.store.telemetry.query({ productIds: null, dataGroup: group }, { afterId: 0, limit: 1 });
    assert.deepEqual(record, {
      id: storedRecord!.id, user_identifier: 'u-1', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1', product_id: server.seed.productA,
      product_version: '1.0.1', data_type: 'numeric-single-value', data_group: group, data: '50', numeric_data_single_value: 50,
      numeric_data_x: null, numeric_data_y: null, text_data: null, is_correct_format: 1, license_key_exists: 1, product_exists: 1,
      product_version_exists: 1, activation_exists: 1, license_active: 1, has_red_flags: 0, blocked: 0, errors: [],
      metadata: { os: 'linux' }, created_at: record['created_at'], updated_at: record['created_at'], reported_at: null,
    });
    assert.match(String(record['created_at']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const pem = await publicKeyPem(server.store.secrets, 'global');
    const verified = verifyEnvelope(answer.text, pem ?? '');
    assert.ok(verified.valid, JSON.stringify(verified));
  });

  it('shows errors as sent, xy data as its JSON text, and the stored microseconds', async () => {
    const group = freshGroup();
    await server.store.telemetry.insertMany([stored({
      data_group: group, data_type: 'numeric-xy-axis', data: '{"x":"1.5","y":"abc"}', numeric_data_single_value: null, numeric_data_x: 1.5,
      created_at_us: T0 + 123_456, errors: { numeric_data_y: ['The numeric data y field must be a number.'] }, metadata: { raw_numeric_data_y: 'abc' },
    }, ['is_correct_format'])]);
    const [record] = found(await get({ data_group: group })).data;
    assert.equal(record?.['data'], '{"x":"1.5","y":"abc"}');
    assert.equal(record?.['numeric_data_x'], 1.5);
    assert.equal(record?.['numeric_data_y'], null);
    assert.deepEqual(record?.['errors'], { numeric_data_y: ['The numeric data y field must be a number.'] });
    assert.equal(record?.['created_at'], '2024-02-27T01:57:24.123456Z');
    assert.equal(record?.['has_red_flags'], 1);
  });

  it('answers 971 with an empty data list when nothing matches', async () => {
    const answer = await get({ data_group: freshGroup() });
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.response), ['code', 'message', 'data', 'timestamp']);
    assert.equal(answer.response.code, 971);
    assert.equal(answer.response.message, 'No telemetry data found');
    assert.deepEqual(answer.response['data'], []);
  });
});

describe('get-telemetry-data: filters', () => {
  it('filters by each text field', async () => {
    const group = freshGroup();
    const cases: [string, keyof NewTelemetryRecord, string][] = [
      ['data_type', 'data_type', 'text'], ['user_identifier', 'user_identifier', 'Zoë, "x"'], ['license_key', 'license_key', 'LIC-OTHER'],
      ['activation_identifier', 'activation_identifier', 'act-9'], ['product_version', 'product_version', '1.1.0'],
    ];
    const ids = await server.store.telemetry.insertMany(cases.map(([, column, value]) => stored({ data_group: group, [column]: value })));
    for (const [index, [field, , value]] of cases.entries()) {
      assert.deepEqual(await idsFor({ data_group: group, [field]: value }), [ids[index]], field);
    }
    assert.deepEqual(await idsFor({ data_group: group }), ids);
  });

  it('filters by product_id', async () => {
    const group = freshGroup();
    const [a, b] = await server.store.telemetry.insertMany([stored({ data_group: group }), stored({ data_group: group, product_id: server.seed.productB })]);
    assert.deepEqual(await idsFor({ data_group: group, product_id: String(server.seed.productA) }), [a]);
    assert.deepEqual(await idsFor({ data_group: group, product_id: String(server.seed.productB) }), [b]);
    assert.deepEqual(await idsFor({ data_group: group, product_id: '424242' }), []);
  });

  it('filters by each flag, 1 and 0', async () => {
    const group = freshGroup();
    const flagged = FLAG_NAMES.filter((name) => name !== 'has_red_flags');
    const ids = await server.store.telemetry.insertMany([stored({ data_group: group }), ...flagged.map((flag) => stored({ data_group: group }, [flag]))]);
    for (const [index, flag] of flagged.entries()) {
      assert.deepEqual(await idsFor({ data_group: group, [flag]: '0' }), [ids[index + 1]], `${flag}=0`);
      assert.deepEqual(await idsFor({ data_group: group, [flag]: '1' }), ids.filter((_, i) => i !== index + 1), `${flag}=1`);
    }
    assert.deepEqual(await idsFor({ data_group: group, has_red_flags: '0' }), [ids[0]]);
    assert.deepEqual(await idsFor({ data_group: group, has_red_flags: '1' }), ids.slice(1));
  });

  it('filters by each flag and blocked as true and false too (the SDKs\' words), under /api/v1/ and /v1/', async () => {
    const group = freshGroup();
    const ids = await server.store.telemetry.insertMany([stored({ data_group: group }), stored({ data_group: group, blocked: 1 }, ['license_active'])]);
    for (const path of ['/api/v1/get-telemetry-data', '/v1/get-telemetry-data']) {
      const idsOf = async (fields: Record<string, string>): Promise<number[]> => found(await get({ data_group: group, ...fields }, path)).data.map((r) => r['id'] as number);
      assert.deepEqual(await idsOf({ has_red_flags: 'true' }), [ids[1]], path);
      assert.deepEqual(await idsOf({ has_red_flags: 'false' }), [ids[0]], path);
      assert.deepEqual(await idsOf({ license_active: 'false', blocked: 'true' }), [ids[1]], path);
      assert.deepEqual(await idsOf({ is_correct_format: 'true', blocked: 'false' }), [ids[0]], path);
    }
    const json = await post(`${server.url}/api/v1/get-telemetry-data`, JSON.stringify({ api_key: server.seed.keys.full, data_group: group, has_red_flags: true }), 'application/json');
    assert.deepEqual(found(json).data.map((r) => r['id']), [ids[1]], 'a JSON true');
  });

  it('filters by blocked, 1 and 0, apart from has_red_flags', async () => {
    const group = freshGroup();
    const ids = await server.store.telemetry.insertMany([stored({ data_group: group }), stored({ data_group: group, blocked: 1 })]);
    assert.deepEqual(await idsFor({ data_group: group, blocked: '1' }), [ids[1]]);
    assert.deepEqual(await idsFor({ data_group: group, blocked: '0' }), [ids[0]]);
    // blocked is not one of the checks: a blocked, otherwise clean record has no red flags.
    assert.deepEqual(await idsFor({ data_group: group, blocked: '1', has_red_flags: '0' }), [ids[1]]);
    const answer = await get({ data_group: group, blocked: 'yes' });
    assert.equal(answer.response.code, 972);
    assert.deepEqual(answer.response.errors, { blocked: ['The blocked field must be 1, 0, true or false.'] });
  });

  it('filters by from and to, inclusive, as ISO-8601 or Unix seconds', async () => {
    const group = freshGroup();
    const day = 86_400_000_000;
    const ids = await server.store.telemetry.insertMany([0, 1, 2, 3].map((d) => stored({ data_group: group, created_at_us: T0 + d * day })));
    assert.deepEqual(await idsFor({ data_group: group, from: '2024-02-28', to: '2024-02-29' }), ids.slice(1, 3));
    assert.deepEqual(await idsFor({ data_group: group, from: String(T0 / 1e6 + 86_400) }), ids.slice(1));
    assert.deepEqual(await idsFor({ data_group: group, to: '2024-02-27T01:57:24Z' }), ids.slice(0, 1));
    assert.deepEqual(await idsFor({ data_group: group, from: '2024-02-27T02:57:24.000001+01:00', to: '2024-02-28T01:57:24.000000Z' }), ids.slice(1, 2));
  });

  it('combines filters', async () => {
    const group = freshGroup();
    const ids = await server.store.telemetry.insertMany([
      stored({ data_group: group }, ['license_active']), stored({ data_group: group, user_identifier: 'other' }, ['license_active']), stored({ data_group: group }),
    ]);
    assert.deepEqual(await idsFor({ product_id: String(server.seed.productA), data_group: group, user_identifier: 'user-1', license_active: '0' }), [ids[0]]);
  });

  it('keeps the last of a repeated field, like form bodies', async () => {
    const group = freshGroup();
    const [id] = await server.store.telemetry.insertMany([stored({ data_group: group })]);
    const res = await fetch(`${server.url}/api/v1/get-telemetry-data?api_key=${server.seed.keys.full}&data_group=nothing&data_group=${group}&limit=x&limit=5`);
    const answer = (await res.json()) as { response: Found & { code: number } };
    assert.equal(answer.response.code, 970);
    assert.deepEqual(answer.response.data.map((r) => r['id']), [id]);
  });
});

describe('get-telemetry-data: every stored value is a filter', () => {
  for (const length of [300, 20_000]) {
    it(`stores a ${length}-character user_identifier whole and finds it through GET get-telemetry-data and the admin records`, async () => {
      const group = freshGroup();
      const long = `${length}-${'ü'.repeat(100)}${'x'.repeat(length - 101 - String(length).length)}`;
      assert.equal(long.length, length);
      const report = (userIdentifier: string) => form({
        api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: userIdentifier, license_key: 'LIC-ACTIVE',
        activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 'x', data_group: group,
      });
      const sent = await post(`${server.url}/api/v1/send-telemetry-data`, report(long), 'application/x-www-form-urlencoded');
      assert.equal(sent.response.code, 831, 'stored, with the over-long value as an error');
      assert.equal((await post(`${server.url}/api/v1/send-telemetry-data`, report(long.slice(0, -1)), 'application/x-www-form-urlencoded')).response.code, 831);

      const answer = found(await get({ user_identifier: long }));
      assert.equal(answer.data.length, 1);
      assert.equal(answer.data[0]?.['user_identifier'], long);
      assert.equal(answer.data[0]?.['data_group'], group);

      // An over-long value is a format error, so the record has red flags: asked for the SDKs' way.
      const res = await fetch(`${server.url}/admin/api/records?${new URLSearchParams({ user_identifier: long, data_group: group, has_red_flags: 'true' })}`, {
        headers: { authorization: `Bearer ${server.adminToken}` },
      });
      assert.equal(res.status, 200);
      const records = ((await res.json()) as { records: Record<string, unknown>[] }).records;
      assert.deepEqual(records.map((r) => r['user_identifier']), [long]);
    });
  }
});

describe('get-telemetry-data: paging', () => {
  it('pages through every record with next_after_id, null on the last page', async () => {
    const group = freshGroup();
    const ids = await server.store.telemetry.insertMany(Array.from({ length: 5 }, () => stored({ data_group: group })));
    const pages: number[][] = [];
    const cursors: (number | null)[] = [];
    let afterId = '0';
    for (let i = 0; i < 10; i++) {
      const page = found(await get({ data_group: group, limit: '2', after_id: afterId }));
      pages.push(page.data.map((r) => r['id'] as number));
      cursors.push(page.next_after_id);
      if (page.next_after_id === null) break;
      afterId = String(page.next_after_id);
    }
    assert.deepEqual(pages, [ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    assert.deepEqual(cursors, [ids[1], ids[3], null]);
  });

  it('gives next_after_id null when the matches fill exactly one page, and 971 after the last record', async () => {
    const group = freshGroup();
    const ids = await server.store.telemetry.insertMany(Array.from({ length: 3 }, () => stored({ data_group: group })));
    const page = found(await get({ data_group: group, limit: '3' }));
    assert.deepEqual(page.data.map((r) => r['id']), ids);
    assert.equal(page.next_after_id, null);
    assert.equal((await get({ data_group: group, after_id: String(ids[2]) })).response.code, 971);
  });

  it('returns 100 records by default and 1000 at most', async () => {
    const group = freshGroup();
    await server.store.telemetry.insertMany(Array.from({ length: 1001 }, () => stored({ data_group: group })));
    assert.equal(found(await get({ data_group: group })).data.length, 100);
    const largest = found(await get({ data_group: group, limit: '1000' }));
    assert.equal(largest.data.length, 1000);
    assert.equal(largest.next_after_id, largest.data[999]?.['id']);
  });
});

describe('get-telemetry-data: malformed filters', () => {
  const cases: [Record<string, string>, Record<string, string[]>][] = [
    [{ limit: 'abc' }, { limit: ['The limit field must be an integer.'] }],
    [{ limit: '5000' }, { limit: ['The limit field must be between 1 and 1000.'] }],
    [{ after_id: '-3' }, { after_id: ['The after id field must be at least 0.'] }],
    [{ product_id: 'abc' }, { product_id: ['The product id field must be an integer.'] }],
    [{ data_type: 'numbers' }, { data_type: ['The selected data type is invalid.'] }],
    [{ has_red_flags: 'yes' }, { has_red_flags: ['The has red flags field must be 1, 0, true or false.'] }],
    [{ has_red_flags: 'TRUE' }, { has_red_flags: ['The has red flags field must be 1, 0, true or false.'] }],
    [{ from: 'last week' }, { from: ['The from field must be a valid date.'] }],
    [{ from: '2024-03-01', to: '2024-02-01' }, { to: ['The to field must be a date after or equal to from.'] }],
    [{ 'user_identifier[]': 'u' }, { user_identifier: ['The user identifier field must be a string.'] }],
    [{ limit: '0', product_id: 'x', license_active: '2' }, {
      product_id: ['The product id field must be an integer.'], license_active: ['The license active field must be 1, 0, true or false.'],
      limit: ['The limit field must be between 1 and 1000.'],
    }],
  ];
  for (const [fields, errors] of cases) {
    it(`answers 972 for ${JSON.stringify(fields).slice(0, 70)}`, async () => {
      const answer = await get(fields);
      assert.equal(answer.status, 200);
      assert.deepEqual(Object.keys(answer.response), ['code', 'message', 'errors', 'timestamp']);
      assert.equal(answer.response.code, 972);
      assert.equal(answer.response.message, 'Incorrect data found');
      assert.equal(JSON.stringify(answer.response.errors), JSON.stringify(errors));
    });
  }

  it('answers a query string that does not decode with a signed 400', async () => {
    const res = await fetch(`${server.url}/api/v1/get-telemetry-data?api_key=${server.seed.keys.full}&data_group=%zz`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { response: { code: number }; signature: string };
    assert.equal(body.response.code, 400);
    assert.ok(body.signature.length > 0);
  });
});

describe('get-telemetry-data: product scope', () => {
  it('never shows a key for product B the records of product A, even when it asks for product A', async () => {
    const group = freshGroup();
    const [, ofB] = await server.store.telemetry.insertMany([stored({ data_group: group }), stored({ data_group: group, product_id: server.seed.productB })]);
    const asB = (fields: Record<string, string>) => get({ ...fields, api_key: keyForB });
    assert.deepEqual(found(await asB({ data_group: group })).data.map((r) => r['id']), [ofB]);
    assert.equal((await asB({ data_group: group, product_id: String(server.seed.productA) })).response.code, 971);
    assert.deepEqual(found(await asB({ data_group: group, product_id: String(server.seed.productB) })).data.map((r) => r['id']), [ofB]);
    const everything = found(await asB({ limit: '1000' })).data;
    assert.ok(everything.length > 0 && everything.every((r) => r['product_id'] === server.seed.productB));
  });
});

describe('get-telemetry-data: authentication and transports', () => {
  const cases: [string, () => string | null, number][] = [
    ['no key', () => null, 100],
    ['an unknown key', () => 'tly_unknown', 100],
    ['a revoked key', () => server.seed.keys.revoked, 100],
    ['an inactive key', () => server.seed.keys.inactive, 101],
    ['a key without get_telemetry', () => server.seed.keys.scopedToB, 102],
    ['a key limited to other addresses', () => server.seed.keys.otherIp, 103],
  ];
  for (const [name, key, code] of cases) {
    it(`answers ${code} to ${name}, with HTTP 401`, async () => {
      const secret = key();
      const query = secret === null ? '' : `?api_key=${encodeURIComponent(secret)}`;
      const res = await fetch(`${server.url}/api/v1/get-telemetry-data${query}`);
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { response: { code: number } }).response.code, code);
    });
  }

  it('accepts a key with only get_telemetry, and the key as a Bearer header', async () => {
    const group = freshGroup();
    const [id] = await server.store.telemetry.insertMany([stored({ data_group: group })]);
    const res = await fetch(`${server.url}/api/v1/get-telemetry-data?data_group=${group}`, { headers: { authorization: `Bearer ${server.seed.keys.getOnly}` } });
    const body = (await res.json()) as { response: Found & { code: number } };
    assert.equal(body.response.code, 970);
    assert.deepEqual(body.response.data.map((r) => r['id']), [id]);
  });

  it('answers a form POST and the alias paths the published docs and examples use', async () => {
    const group = freshGroup();
    const [id] = await server.store.telemetry.insertMany([stored({ data_group: group })]);
    for (const path of ['/api/v1/get-telemetry-data', '/api/v1/get-telemetry', '/api/v1/get-telemetry-date']) {
      const posted = await post(`${server.url}${path}`, form({ api_key: server.seed.keys.full, data_group: group }), 'application/x-www-form-urlencoded');
      assert.deepEqual(found(posted).data.map((r) => r['id']), [id], `POST ${path}`);
      assert.deepEqual(found(await get({ data_group: group }, path)).data.map((r) => r['id']), [id], `GET ${path}`);
    }
  });

  it('answers the published example request (its key and product swapped for real ones)', async () => {
    const group = 'test_group';
    const [id] = await server.store.telemetry.insertMany([stored({ data_group: group, user_identifier: '554dddsqfqs4dqd5qsd74q', license_key: '755aed85-409d-490b-a170-e40988c12f5c', activation_identifier: '12135644', product_version: '5.2.5' }, ['license_key_exists', 'product_version_exists'])]);
    const url = `${server.url}/api/v1/get-telemetry-date?api_key=${server.seed.keys.full}&data_type=numeric-single-value&data_group=test_group&product_id=${server.seed.productA}&user_identifier=554dddsqfqs4dqd5qsd74q&license_key=755aed85-409d-490b-a170-e40988c12f5c&activation_identifier=12135644&product_version=5.2.5&license_key_exists=0&product_exists=1&product_version_exists=0&is_correct_format=1&has_red_flags=1`;
    const body = (await (await fetch(url)).json()) as { response: Found & { code: number } };
    assert.equal(body.response.code, 970);
    assert.deepEqual(body.response.data.map((r) => r['id']), [id]);
  });
});
