import assert from 'node:assert/strict';
import type { PageRequest, TelemetryFilter } from '../../src/model/filter.js';
import type { Store } from '../../src/store/contract/store.js';
import { FLAG_NAMES, type NewTelemetryRecord, type ReportFlags } from '../../src/model/record.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const T0 = Date.UTC(2024, 1, 27) * 1000;
const ALL: TelemetryFilter = { productIds: null };
const FIRST_PAGE: PageRequest = { afterId: 0, limit: 100 };

/** A correct report of product 1; flags stay consistent (has_red_flags = some other flag is 0). */
function report(overrides: Partial<NewTelemetryRecord> = {}, failed: (keyof ReportFlags)[] = []): NewTelemetryRecord {
  const flags = Object.fromEntries(FLAG_NAMES.map((name) => [name, failed.includes(name) ? 0 : 1])) as unknown as ReportFlags;
  flags.has_red_flags = failed.length > 0 ? 1 : 0;
  return {
    api_key_id: 1, product_id: 1, user_identifier: 'user', license_key: 'lic', activation_identifier: 'act', product_version: '1.0.0',
    data_type: 'numeric-single-value', data_group: 'g', data: '1', numeric_data_single_value: 1, numeric_data_x: null, numeric_data_y: null,
    text_data: null, ...flags, errors: {}, metadata: {}, client_ip: null, blocked: 0, created_at_us: T0, reported_at_us: null, ...overrides,
  };
}

async function ids(store: Store, filter: TelemetryFilter, page: PageRequest = FIRST_PAGE): Promise<number[]> {
  return (await store.telemetry.query(filter, page)).map((r) => r.id);
}

/** Inserts the reports and returns their ids, in order. */
async function insert(store: Store, reports: NewTelemetryRecord[]): Promise<number[]> {
  return store.telemetry.insertMany(reports);
}

/** `TelemetryStore.query` as behaviour; part of the store contract every backend runs. */
export function describeQueryContract(test: StoreTest): void {
  describeProducts(test);
  describeFieldFilters(test);
  describeDates(test);
  describePaging(test);
  describeByteBound(test);
  describeValueOnce(test);
}

function describeValueOnce(test: StoreTest): void {
  test('a text report\'s data reads back as its text (stored once), through list and query', async (store) => {
    const text = 'a text value, é€😀';
    const [id] = await insert(store, [bigText(0, { data: text, text_data: text })]);
    const [listed] = await store.telemetry.list({ limit: 10 });
    const [queried] = await store.telemetry.query(ALL, FIRST_PAGE);
    for (const record of [listed, queried]) {
      assert.equal(record?.id, id);
      assert.equal(record?.data, text);
      assert.equal(record?.text_data, text);
    }
  });

  test('every other data reads back as stored: numbers, xy, a text report\'s own differing data, and none', async (store) => {
    const reports = [
      report({ data: '2e3', numeric_data_single_value: 2000 }),
      report({ data_type: 'numeric-xy-axis', data: '{"x":"1","y":"2"}', numeric_data_single_value: null, numeric_data_x: 1, numeric_data_y: 2 }),
      bigText(0, { data: 'as sent', text_data: 'as stored' }),
      bigText(0, { data: null, text_data: null }),
      report({ data_type: null, data: 'abc', text_data: 'abc', numeric_data_single_value: null }),
    ];
    await insert(store, reports);
    const read = await store.telemetry.query(ALL, FIRST_PAGE);
    assert.deepEqual(read.map((r) => [r.data, r.text_data]), reports.map((r) => [r.data, r.text_data]));
  });
}

/** A text report whose value takes `chars` characters (in data and text_data). */
function bigText(chars: number, overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord {
  const text = 'x'.repeat(chars);
  return report({ data_type: 'text', data: text, text_data: text, numeric_data_single_value: null, ...overrides });
}

function describeByteBound(test: StoreTest): void {
  test('query with maxBytes stops reading once the records reach it, with one record past it', async (store) => {
    // Each weighs a little over 20,000 (two 10,000-character texts): under 25,000 after one, past it after two.
    const stored = await insert(store, Array.from({ length: 10 }, () => bigText(10_000)));
    assert.deepEqual(await ids(store, ALL, { afterId: 0, limit: 100, maxBytes: 25_000 }), stored.slice(0, 3));
    assert.deepEqual(await ids(store, ALL, { afterId: stored[1]!, limit: 100, maxBytes: 25_000 }), stored.slice(2, 5));
    assert.deepEqual(await ids(store, { productIds: [1] }, { afterId: 0, limit: 100, maxBytes: 25_000 }), stored.slice(0, 3));
    assert.deepEqual(await ids(store, ALL, { afterId: 0, limit: 2, maxBytes: 25_000 }), stored.slice(0, 2));
    assert.deepEqual(await ids(store, ALL, { afterId: 0, limit: 100, maxBytes: 10_000_000 }), stored);
  });

  test('query with maxBytes below one record still returns it, and the lookahead after it', async (store) => {
    const stored = await insert(store, [bigText(50_000), bigText(10), bigText(10)]);
    assert.deepEqual(await ids(store, ALL, { afterId: 0, limit: 100, maxBytes: 1 }), stored.slice(0, 2));
    assert.deepEqual(await ids(store, ALL, { afterId: stored[2]!, limit: 100, maxBytes: 1 }), []);
  });

  test('query with maxBytes over several products bounds the merged page', async (store) => {
    const stored = await insert(store, [1, 2, 3, 1, 2, 3].map((product_id) => bigText(10_000, { product_id })));
    const ofOneAndTwo = stored.filter((_, i) => [0, 1, 3, 4].includes(i));
    assert.deepEqual(await ids(store, { productIds: [2, 1] }, { afterId: 0, limit: 100, maxBytes: 25_000 }), ofOneAndTwo.slice(0, 3));
  });

  test('query with maxBytes counts metadata and errors too', async (store) => {
    const heavy = report({ metadata: { note: 'y'.repeat(30_000) } });
    const stored = await insert(store, [heavy, heavy, heavy, heavy]);
    assert.deepEqual(await ids(store, ALL, { afterId: 0, limit: 100, maxBytes: 25_000 }), stored.slice(0, 2));
  });
}

function describeProducts(test: StoreTest): void {
  test('query with productIds null returns records of every product, the unknown one too', async (store) => {
    const all = await insert(store, [report({ product_id: 1 }), report({ product_id: 2 }), report({ product_id: null })]);
    assert.deepEqual(await ids(store, ALL), all);
  });

  test('query with productIds [] returns nothing', async (store) => {
    await insert(store, [report(), report({ product_id: 2 })]);
    assert.deepEqual(await ids(store, { productIds: [] }), []);
  });

  test('query with one product returns only its records', async (store) => {
    const [a1, , a2] = await insert(store, [report({ product_id: 1 }), report({ product_id: 2 }), report({ product_id: 1 })]);
    assert.deepEqual(await ids(store, { productIds: [1] }), [a1, a2]);
    assert.deepEqual(await ids(store, { productIds: [3] }), []);
  });

  test('query with several products merges them in id order and honours the limit across them', async (store) => {
    const stored = await insert(store, [1, 2, 3, 1, 2, 3, 1].map((product_id) => report({ product_id })));
    const ofOneAndTwo = stored.filter((_, i) => [0, 1, 3, 4, 6].includes(i));
    assert.deepEqual(await ids(store, { productIds: [2, 1] }), ofOneAndTwo);
    assert.deepEqual(await ids(store, { productIds: [2, 1] }, { afterId: ofOneAndTwo[1]!, limit: 2 }), ofOneAndTwo.slice(2, 4));
  });
}

function describeFieldFilters(test: StoreTest): void {
  const textCases: [keyof TelemetryFilter, keyof NewTelemetryRecord][] = [
    ['dataType', 'data_type'], ['dataGroup', 'data_group'], ['userIdentifier', 'user_identifier'],
    ['licenseKey', 'license_key'], ['activationIdentifier', 'activation_identifier'], ['productVersion', 'product_version'],
  ];
  for (const [key, column] of textCases) {
    test(`query by ${key} returns exactly the records whose ${column} equals it`, async (store) => {
      const [, wanted, , wanted2] = await insert(store, [
        report({ [column]: 'other' }), report({ [column]: 'Zoë "x"' }), report({ [column]: null }), report({ [column]: 'Zoë "x"' }),
      ]);
      assert.deepEqual(await ids(store, { productIds: null, [key]: 'Zoë "x"' }), [wanted, wanted2]);
      assert.deepEqual(await ids(store, { productIds: null, [key]: 'zoë "x"' }), [], 'case-sensitive');
    });
  }

  for (const flag of FLAG_NAMES.filter((name) => name !== 'has_red_flags')) {
    test(`query by ${flag} = 0 or 1 returns the records with that flag`, async (store) => {
      const [clean, failed, otherFailed] = await insert(store, [report(), report({}, [flag]), report({}, [flag === 'license_active' ? 'product_exists' : 'license_active'])]);
      assert.deepEqual(await ids(store, { productIds: null, flags: { [flag]: 0 } }), [failed]);
      assert.deepEqual(await ids(store, { productIds: null, flags: { [flag]: 1 } }), [clean, otherFailed]);
    });
  }

  test('query by has_red_flags returns flagged or clean records, alone or with other flags', async (store) => {
    const [clean, red, red2] = await insert(store, [report(), report({}, ['license_active']), report({}, ['activation_exists', 'product_version_exists'])]);
    assert.deepEqual(await ids(store, { productIds: null, flags: { has_red_flags: 1 } }), [red, red2]);
    assert.deepEqual(await ids(store, { productIds: null, flags: { has_red_flags: 0 } }), [clean]);
    assert.deepEqual(await ids(store, { productIds: null, flags: { has_red_flags: 1, license_active: 1 } }), [red2]);
    assert.deepEqual(await ids(store, { productIds: null, flags: { has_red_flags: 0, license_active: 0 } }), []);
  });

  test('query combines every filter given with AND', async (store) => {
    const base = { product_id: 2, data_group: 'grp', user_identifier: 'u9', data_type: 'text' };
    const stored = await insert(store, [
      report(base, ['license_active']), report({ ...base, data_group: 'other' }, ['license_active']), report(base),
      report({ ...base, product_id: 3 }, ['license_active']), report({ ...base, user_identifier: 'u8' }, ['license_active']),
    ]);
    const filter: TelemetryFilter = { productIds: [2], dataGroup: 'grp', userIdentifier: 'u9', dataType: 'text', flags: { license_active: 0 } };
    assert.deepEqual(await ids(store, filter), [stored[0]]);
  });
}

function describeDates(test: StoreTest): void {
  test('query by created_at includes both bounds to the microsecond', async (store) => {
    const stored = await insert(store, [0, 1, 2, 3, 4].map((i) => report({ created_at_us: T0 + i })));
    assert.deepEqual(await ids(store, { productIds: null, fromUs: T0 + 1, toUs: T0 + 3 }), stored.slice(1, 4));
    assert.deepEqual(await ids(store, { productIds: null, fromUs: T0 + 3 }), stored.slice(3));
    assert.deepEqual(await ids(store, { productIds: null, toUs: T0 + 1 }), stored.slice(0, 2));
    assert.deepEqual(await ids(store, { productIds: null, fromUs: T0 + 5 }), []);
    assert.deepEqual(await ids(store, { productIds: null, toUs: T0 - 1 }), []);
  });

  test('query by created_at finds records stored out of time order, thousands of ids apart', async (store) => {
    const hour = 3_600_000_000;
    const reports = Array.from({ length: 9000 }, (_, i) => report({ created_at_us: T0 + i * 1000 }));
    // Written late, dated early (a clock that stepped back), and one dated far ahead.
    reports[8500] = report({ created_at_us: T0 + 5, data_group: 'late' });
    reports[3] = report({ created_at_us: T0 + 10 * hour, data_group: 'early' });
    const stored = await insert(store, reports.slice(0, 4000));
    stored.push(...(await insert(store, reports.slice(4000))));
    assert.deepEqual(await ids(store, { productIds: null, fromUs: T0, toUs: T0 + 2000 }), [stored[0], stored[1], stored[2], stored[8500]]);
    assert.deepEqual(await ids(store, { productIds: null, fromUs: T0 + hour }), [stored[3]]);
    assert.deepEqual(await ids(store, { productIds: null, fromUs: T0 + 8_000_000, toUs: T0 + 8_001_000 }), [stored[8000], stored[8001]]);
  });

  test('query by created_at combines with other filters and with paging', async (store) => {
    const stored = await insert(store, [0, 1, 2, 3, 4, 5].map((i) => report({ created_at_us: T0 + i, product_id: i % 2 === 0 ? 1 : 2 })));
    const filter: TelemetryFilter = { productIds: [1], fromUs: T0 + 1, toUs: T0 + 5 };
    assert.deepEqual(await ids(store, filter), [stored[2], stored[4]]);
    assert.deepEqual(await ids(store, filter, { afterId: stored[2]!, limit: 10 }), [stored[4]]);
  });
}

function describePaging(test: StoreTest): void {
  test('query of an empty store returns nothing', async (store) => {
    assert.deepEqual(await ids(store, ALL), []);
    assert.deepEqual(await ids(store, { productIds: [1], dataGroup: 'g', flags: { has_red_flags: 1 }, fromUs: T0 }), []);
  });

  test('query pages by id: full pages, then the last partial page, then nothing', async (store) => {
    const stored = await insert(store, Array.from({ length: 7 }, () => report()));
    const pages: number[][] = [];
    let afterId = 0;
    for (;;) {
      const page = await ids(store, ALL, { afterId, limit: 3 });
      if (page.length === 0) break;
      pages.push(page);
      afterId = page[page.length - 1]!;
    }
    assert.deepEqual(pages, [stored.slice(0, 3), stored.slice(3, 6), stored.slice(6)]);
  });

  test('query with exactly one page of matches returns them all, and nothing after the last', async (store) => {
    const stored = await insert(store, Array.from({ length: 4 }, () => report()));
    assert.deepEqual(await ids(store, ALL, { afterId: 0, limit: 4 }), stored);
    assert.deepEqual(await ids(store, ALL, { afterId: stored[3]!, limit: 4 }), []);
  });

  test('query skips non-matching records between pages', async (store) => {
    const stored = await insert(store, ['a', 'b', 'a', 'b', 'b', 'a'].map((data_group) => report({ data_group })));
    const filter: TelemetryFilter = { productIds: null, dataGroup: 'a' };
    assert.deepEqual(await ids(store, filter, { afterId: 0, limit: 2 }), [stored[0], stored[2]]);
    assert.deepEqual(await ids(store, filter, { afterId: stored[2]!, limit: 2 }), [stored[5]]);
  });

  test('query returns whole records, as list does', async (store) => {
    await insert(store, [report({ errors: { data_group: ['x'] }, metadata: { os: 'linux' }, client_ip: '2001:db8::1' })]);
    assert.deepEqual(await store.telemetry.query(ALL, FIRST_PAGE), await store.telemetry.list({ limit: 10 }));
  });
}
