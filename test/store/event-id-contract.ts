import assert from 'node:assert/strict';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { StoreTest } from './store-contract.js';

type MakeRecord = (overrides?: Partial<NewTelemetryRecord>) => NewTelemetryRecord;

const E1 = '0b9e3c1a-6f1d-4c4e-9a53-1f0c2d3e4a51';
const E2 = '7d2f6b8e-2c3a-4b1d-8e9f-0a1b2c3d4e52';

/** A distinct UUID per number. */
function eventId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** `TelemetryStore.insertUnique`: one stored record per event_id, all or nothing per call. */
export function describeEventIdContract(test: StoreTest, record: MakeRecord): void {
  test('insertUnique stores records without event_id every time and returns their ids in order', async (store) => {
    const ids = await store.telemetry.insertUnique([record({ data: 'a' }), record({ data: 'b' })]);
    assert.equal(ids.length, 2);
    assert.ok(ids[0] !== null && ids[1] !== null && ids[1] > ids[0]);
    assert.equal(await store.telemetry.count(), 2);
  });

  test('a repeated event_id is not stored again: its slot is null, in a later call or later in the same call', async (store) => {
    const [first] = await store.telemetry.insertUnique([record({ event_id: E1, data: 'first' })]);
    assert.equal(typeof first, 'number');
    const ids = await store.telemetry.insertUnique([
      record({ event_id: E1, data: 'again' }), record({ event_id: E2, data: 'new' }), record({ data: 'plain' }), record({ event_id: E2, data: 'twice' }),
    ]);
    assert.equal(ids[0], null);
    assert.equal(typeof ids[1], 'number');
    assert.equal(typeof ids[2], 'number');
    assert.equal(ids[3], null);
    const stored = await store.telemetry.list({ limit: 10 });
    assert.deepEqual(stored.map((r) => r.data), ['first', 'new', 'plain']);
    assert.deepEqual(stored.map((r) => r.id), [first, ids[1], ids[2]]);
  });

  test('in a call of many records, each slot holds the id of its own record, repeats null', async (store) => {
    // 37 records: several multi-row statements on SQLite and some single rows after them; every
    // fifth repeats an event_id used earlier in the call.
    const eventIdOf = (i: number): string | null => (i % 5 === 4 ? eventId(i - 4) : i % 5 === 0 ? eventId(i) : null);
    const records = Array.from({ length: 37 }, (_, i) => record({ data: `r${i}`, event_id: eventIdOf(i) }));
    const ids = await store.telemetry.insertUnique(records);
    assert.deepEqual(ids.map((id, i) => (id === null ? i : -1)).filter((i) => i >= 0), [4, 9, 14, 19, 24, 29, 34]);
    const stored = await store.telemetry.list({ limit: 100 });
    const dataById = new Map(stored.map((r) => [r.id, r.data]));
    for (const [i, id] of ids.entries()) if (id !== null) assert.equal(dataById.get(id), `r${i}`, `slot ${i}`);
    assert.equal(stored.length, 30);
  });

  test('insertMany honours event_id too and returns only the ids of stored records', async (store) => {
    await store.telemetry.insertMany([record({ event_id: E1 })]);
    assert.deepEqual(await store.telemetry.insertMany([record({ event_id: E1 })]), []);
    assert.equal(await store.telemetry.count(), 1);
  });

  test('concurrent calls with the same event_id store exactly one record', async (store) => {
    const calls = Array.from({ length: 8 }, (_, i) => store.telemetry.insertUnique([record({ event_id: E1, data: String(i) }), record({ event_id: i % 2 ? E2 : null })]));
    const results = await Promise.all(calls);
    assert.equal(results.filter(([id]) => id !== null).length, 1);
    assert.equal(await store.telemetry.count(), 1 + 1 + 4);
  });

  test('a call that cannot commit stores nothing and claims none of its event ids', async (store) => {
    const broken = record({ event_id: E2, is_correct_format: null as unknown as 0 });
    await assert.rejects(store.telemetry.insertUnique([record({ event_id: E1 }), record(), broken]));
    assert.equal(await store.telemetry.count(), 0);
    const ids = await store.telemetry.insertUnique([record({ event_id: E1 }), record({ event_id: E2 })]);
    assert.ok(ids.every((id) => id !== null), 'both event ids are still free');
    assert.equal(await store.telemetry.count(), 2);
  });
}
