import assert from 'node:assert/strict';
import type { PrivacySubject } from '../../src/model/privacy-subject.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { Store } from '../../src/store/contract/store.js';
import { reportAt } from './retention-contract.js';

export type PrivacyTest = (name: string, body: (store: Store) => Promise<void>) => void;

/** Months the records are spread over: several PostgreSQL partitions, and 2031 lands in DEFAULT. */
export const MONTHS_US = [Date.UTC(2024, 0, 10), Date.UTC(2024, 2, 3), Date.UTC(2024, 5, 14), Date.UTC(2031, 6, 1)].map((ms) => ms * 1000);

const eventId = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function subject(userIdentifier: string, narrow: Partial<PrivacySubject> = {}): PrivacySubject {
  return { userIdentifier, licenseKey: null, activationIdentifier: null, productId: null, ...narrow };
}

function report(user: string, createdAtUs: number, overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord {
  return { ...reportAt(createdAtUs), user_identifier: user, client_ip: '203.0.113.7', ...overrides };
}

/**
 * alice: one record per month (each with an event id), one on another license, one of product 2;
 * then people who must be untouched: `Alice` and `alice ` (exact match), bob (with event ids).
 */
export async function seedPeople(store: Store): Promise<void> {
  let n = 0;
  const next = (): string => eventId(++n);
  await store.telemetry.insertUnique([
    ...MONTHS_US.map((at) => report('alice', at, { event_id: next() })),
    report('alice', MONTHS_US[1]!, { license_key: 'lic-2', event_id: next() }),
    report('alice', MONTHS_US[2]!, { product_id: 2 }),
    report('Alice', MONTHS_US[0]!, { event_id: next() }),
    report('alice ', MONTHS_US[3]!),
    ...MONTHS_US.map((at) => report('bob', at, { event_id: next() })),
  ]);
}

async function usersStored(store: Store): Promise<string[]> {
  return (await store.telemetry.list({ limit: 1000 })).map((r) => `${r.user_identifier ?? ''}|${r.license_key ?? ''}|${r.product_id ?? ''}`).sort();
}

/** `PrivacyStore`: erasure across months (partitions), event ids, exact matching, narrowing; settings set once. */
export function describePrivacyContract(test: PrivacyTest): void {
  test('erase deletes every record of the user identifier in every month, and their event ids', async (store) => {
    await seedPeople(store);
    const counts = await store.privacy.erase(subject('alice'), { stepIds: 3 });
    assert.deepEqual(counts, { records: 6, eventIds: 5 });
    assert.deepEqual(await store.telemetry.query({ productIds: null, userIdentifier: 'alice' }, { afterId: 0, limit: 100 }), []);
    assert.deepEqual(await usersStored(store), ['Alice|lic|1', 'alice |lic|1', 'bob|lic|1', 'bob|lic|1', 'bob|lic|1', 'bob|lic|1']);
  });

  test('an erased report\'s event id is stored again when sent later; other event ids still are duplicates', async (store) => {
    await seedPeople(store);
    await store.privacy.erase(subject('alice'));
    const [again] = await store.telemetry.insertUnique([report('alice', MONTHS_US[0]!, { event_id: eventId(1) })]);
    assert.equal(typeof again, 'number', 'the erased record\'s event id no longer blocks it');
    const [bobAgain] = await store.telemetry.insertUnique([report('bob', MONTHS_US[0]!, { event_id: eventId(7) })]);
    assert.equal(bobAgain, null, 'bob\'s event id is still known');
    const [aliceUpper] = await store.telemetry.insertUnique([report('Alice', MONTHS_US[0]!, { event_id: eventId(6) })]);
    assert.equal(aliceUpper, null, 'Alice (another person) keeps hers');
  });

  test('a later report of the same user is stored normally after the erasure', async (store) => {
    await seedPeople(store);
    await store.privacy.erase(subject('alice'));
    const [id] = await store.telemetry.insertMany([report('alice', MONTHS_US[2]! + 5, { data: 'later' })]);
    const found = await store.telemetry.query({ productIds: null, userIdentifier: 'alice' }, { afterId: 0, limit: 10 });
    assert.deepEqual(found.map((r) => [r.id, r.data]), [[id, 'later']]);
  });

  test('erase narrowed by license key, activation or product deletes only those records', async (store) => {
    await seedPeople(store);
    assert.deepEqual(await store.privacy.erase(subject('alice', { licenseKey: 'lic-2' })), { records: 1, eventIds: 1 });
    assert.deepEqual(await store.privacy.erase(subject('alice', { productId: 2 })), { records: 1, eventIds: 0 });
    assert.deepEqual(await store.privacy.erase(subject('alice', { activationIdentifier: 'other' })), { records: 0, eventIds: 0 });
    const left = await store.telemetry.query({ productIds: null, userIdentifier: 'alice' }, { afterId: 0, limit: 100 });
    assert.deepEqual(left.map((r) => r.created_at_us), MONTHS_US);
  });

  test('erase on an empty store or of an unknown user deletes nothing', async (store) => {
    assert.deepEqual(await store.privacy.erase(subject('nobody')), { records: 0, eventIds: 0 });
    await seedPeople(store);
    assert.deepEqual(await store.privacy.erase(subject('nobody')), { records: 0, eventIds: 0 });
    assert.equal(await store.telemetry.count(), 12);
  });

  test('settingIfAbsent stores the first value and then keeps it', async (store) => {
    assert.equal(await store.privacy.settingIfAbsent('privacy_test', 'one'), 'one');
    assert.equal(await store.privacy.settingIfAbsent('privacy_test', 'two'), 'one');
    assert.equal(await store.secrets.getSetting('privacy_test'), 'one');
    const raced = await Promise.all(['a', 'b', 'c'].map((value) => store.privacy.settingIfAbsent('privacy_race', value)));
    assert.equal(new Set(raced).size, 1);
  });
}
