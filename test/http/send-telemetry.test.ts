import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { form, post, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
let endpoint: string;

function report(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    api_key: server.seed.keys.full,
    product_id: String(server.seed.productA),
    user_identifier: 'user-1',
    license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1',
    product_version: '1.0.1',
    data_type: 'numeric-single-value',
    numeric_data_single_value: '50',
    data_group: 'test_group',
    ...overrides,
  };
}

async function lastRecord() {
  const count = await server.store.telemetry.count();
  const [record] = await server.store.telemetry.list({ afterId: count - 1, limit: 1 });
  assert.ok(record, 'a record was stored');
  return record;
}

before(async () => {
  server = await startTestServer();
  endpoint = `${server.url}/api/v1/send-telemetry-data`;
});
after(() => server.close());

describe('POST /api/v1/send-telemetry-data: correct reports', () => {
  it('stores a numeric-single-value report and answers 830 with no errors', async () => {
    const answer = await post(endpoint, form(report({ user_identifier: 'single' })), 'application/x-www-form-urlencoded');
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.response), ['code', 'message', 'errors', 'timestamp']);
    assert.equal(answer.response.code, 830);
    assert.equal(answer.response.message, 'Correct format data saved');
    assert.deepEqual(answer.response.errors, []);
    const record = await lastRecord();
    assert.equal(record.user_identifier, 'single');
    assert.equal(record.numeric_data_single_value, 50);
    assert.equal(record.data, '50');
    assert.equal(record.has_red_flags, 0);
  });

  it('stores a numeric-xy-axis report with data as {"x","y"}', async () => {
    const body = report({ data_type: 'numeric-xy-axis', numeric_data_x: '1.5', numeric_data_y: '-2', numeric_data_single_value: '' });
    const answer = await post(endpoint, form(body), 'application/x-www-form-urlencoded');
    assert.equal(answer.response.code, 830);
    const record = await lastRecord();
    assert.equal(record.data, '{"x":"1.5","y":"-2"}');
    assert.equal(record.numeric_data_x, 1.5);
    assert.equal(record.numeric_data_y, -2);
  });

  it('stores a text report with unicode intact', async () => {
    const answer = await post(endpoint, form(report({ data_type: 'text', text_data: 'héllo, 世界 😀', numeric_data_single_value: '' })), 'application/x-www-form-urlencoded');
    assert.equal(answer.response.code, 830);
    assert.equal((await lastRecord()).text_data, 'héllo, 世界 😀');
  });

  it('accepts a JSON body with the same field names', async () => {
    const body = { ...report({ user_identifier: 'json' }), numeric_data_single_value: 12.5 };
    const answer = await post(endpoint, JSON.stringify(body), 'application/json');
    assert.equal(answer.response.code, 830);
    const record = await lastRecord();
    assert.equal(record.user_identifier, 'json');
    assert.equal(record.numeric_data_single_value, 12.5);
  });

  it('accepts a multipart body with the same field names', async () => {
    const body = new FormData();
    for (const [k, v] of Object.entries(report({ user_identifier: 'multipart' }))) body.append(k, v);
    const answer = await post(endpoint, body);
    assert.equal(answer.response.code, 830);
    assert.equal((await lastRecord()).user_identifier, 'multipart');
  });

  it('takes the key from an Authorization Bearer header', async () => {
    const { api_key: key, ...rest } = report({ user_identifier: 'bearer' });
    const answer = await post(endpoint, form(rest), 'application/x-www-form-urlencoded', { authorization: `Bearer ${key}` });
    assert.equal(answer.response.code, 830);
  });

  it('takes the key (and fields) from the query string', async () => {
    const { api_key: key, ...rest } = report({ user_identifier: 'query' });
    const answer = await post(`${endpoint}?api_key=${encodeURIComponent(key!)}`, form(rest), 'application/x-www-form-urlencoded');
    assert.equal(answer.response.code, 830);
    assert.equal((await lastRecord()).user_identifier, 'query');
  });

  it('keeps unknown fields as metadata and never stores the api key', async () => {
    const answer = await post(endpoint, form(report({ os: 'linux', locale: 'fr_FR' })), 'application/x-www-form-urlencoded');
    assert.equal(answer.response.code, 830);
    const record = await lastRecord();
    assert.deepEqual({ ...record.metadata }, { os: 'linux', locale: 'fr_FR' });
    assert.ok(!JSON.stringify(record).includes(server.seed.keys.full));
  });

  it('reads the query string like a form: the last repeated value wins', async () => {
    const fields = report();
    delete fields['user_identifier'];
    const answer = await post(`${endpoint}?user_identifier=first&user_identifier=last`, form(fields), 'application/x-www-form-urlencoded');
    assert.equal(answer.response.code, 830);
    assert.equal((await lastRecord()).user_identifier, 'last');
  });

  it('keeps the last value of a repeated field', async () => {
    const body = `${form(report())}&user_identifier=first&user_identifier=last`;
    const answer = await post(endpoint, body, 'application/x-www-form-urlencoded');
    assert.equal(answer.response.code, 830);
    assert.equal((await lastRecord()).user_identifier, 'last');
  });
});

describe('POST /api/v1/send-telemetry-data: incorrect reports are stored and answered 831', () => {
  const cases: [string, Record<string, string>, Record<string, string[]>][] = [
    ['a missing user identifier', { user_identifier: '' }, { user_identifier: ['The user identifier field is required.'] }],
    ['an unknown data type', { data_type: 'binary' }, { data_type: ['The selected data type is invalid.'] }],
    ['a value that is not a number', { numeric_data_single_value: 'fifty' }, { numeric_data_single_value: ['The numeric data single value field must be a number.'] }],
    ['an unknown product', { product_id: '999' }, { product_id: ['The selected product id is invalid.'] }],
    ['an over-long data group', { data_group: 'g'.repeat(300) }, { data_group: ['The data group field must not be greater than 255 characters.'] }],
    ['a missing text for a text report', { data_type: 'text' }, { text_data: ['The text data field is required when data type is text.'] }],
  ];
  for (const [name, overrides, errors] of cases) {
    it(`answers 831 for ${name} and still stores the report`, async () => {
      const before = await server.store.telemetry.count();
      const answer = await post(endpoint, form(report(overrides)), 'application/x-www-form-urlencoded');
      assert.equal(answer.status, 200);
      assert.equal(answer.response.code, 831);
      assert.equal(answer.response.message, 'Incorrect format data saved');
      assert.deepEqual(answer.response.errors, errors);
      assert.equal(await server.store.telemetry.count(), before + 1);
      const record = await lastRecord();
      assert.equal(record.is_correct_format, 0);
      assert.deepEqual(record.errors, errors);
    });
  }

  it('answers "must be a string" for a field sent as an array, keeping the values as metadata', async () => {
    const body = `${form(report({ user_identifier: '' }))}&user_identifier[]=a&user_identifier[]=b`;
    const answer = await post(endpoint, body, 'application/x-www-form-urlencoded');
    assert.deepEqual(answer.response.errors, { user_identifier: ['The user identifier field must be a string.'] });
    assert.deepEqual((await lastRecord()).metadata['raw_user_identifier'], ['a', 'b']);
  });

  it('rejects a product of another product scope as invalid', async () => {
    const answer = await post(endpoint, form(report({ api_key: server.seed.keys.scopedToB })), 'application/x-www-form-urlencoded');
    assert.deepEqual(answer.response.errors, { product_id: ['The selected product id is invalid.'] });
  });
});

describe('POST /api/v1/send-telemetry-data: flags', () => {
  const flagsFor = async (overrides: Record<string, string>) => {
    const answer = await post(endpoint, form(report(overrides)), 'application/x-www-form-urlencoded');
    assert.ok([830, 831].includes(answer.response.code));
    const r = await lastRecord();
    return {
      product_exists: r.product_exists, license_key_exists: r.license_key_exists, product_version_exists: r.product_version_exists,
      activation_exists: r.activation_exists, license_active: r.license_active, has_red_flags: r.has_red_flags,
    };
  };
  const clean = { product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1, license_active: 1, has_red_flags: 0 };

  it('raises none for an active, activated license on a released version', async () => {
    assert.deepEqual(await flagsFor({}), clean);
  });
  it('marks a blocked license inactive', async () => {
    assert.deepEqual(await flagsFor({ license_key: 'LIC-BLOCKED' }), { ...clean, license_active: 0, has_red_flags: 1 });
  });
  it('marks an expired license inactive', async () => {
    assert.deepEqual(await flagsFor({ license_key: 'LIC-EXPIRED' }), { ...clean, license_active: 0, has_red_flags: 1 });
  });
  it('marks a made-up license as missing, inactive and not activated', async () => {
    assert.deepEqual(await flagsFor({ license_key: 'MADE-UP' }), { ...clean, license_key_exists: 0, activation_exists: 0, license_active: 0, has_red_flags: 1 });
  });
  it("marks another product's license as missing for this product", async () => {
    assert.deepEqual(await flagsFor({ license_key: 'LIC-B' }), { ...clean, license_key_exists: 0, activation_exists: 0, license_active: 0, has_red_flags: 1 });
  });
  it('marks a skipped activation', async () => {
    assert.deepEqual(await flagsFor({ activation_identifier: 'never-activated' }), { ...clean, activation_exists: 0, has_red_flags: 1 });
  });
  it('marks a deactivated product as not existing, with everything that hangs off it', async () => {
    const r = server.store.registry;
    const product = await r.createProduct({ name: 'Retired', versions: ['1.0.1'] });
    const license = await r.createLicense({ product_id: product.id, key: 'LIC-RETIRED', status: 'active', expires_at: null });
    await r.createActivation(license.id, 'act-1');
    await r.setProductStatus(product.id, 'inactive');
    const flags = await flagsFor({ product_id: String(product.id), license_key: 'LIC-RETIRED' });
    assert.deepEqual(flags, { product_exists: 0, license_key_exists: 0, product_version_exists: 0, activation_exists: 0, license_active: 0, has_red_flags: 1 });
  });
  it('marks an unreleased version', async () => {
    assert.deepEqual(await flagsFor({ product_version: '9.9.9' }), { ...clean, product_version_exists: 0, has_red_flags: 1 });
  });
});
