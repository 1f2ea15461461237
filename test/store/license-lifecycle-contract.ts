import assert from 'node:assert/strict';
import type { Store } from '../../src/store/contract/store.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;
type RecordOf = (overrides?: Partial<NewTelemetryRecord>) => NewTelemetryRecord;

async function product(store: Store, name = 'App', versions: string[] = ['1.0.0']): Promise<number> {
  return (await store.registry.createProduct({ name, versions })).id;
}

/** The license lifecycle part of the store contract (src/store/contract/license-store.ts, docs/licenses.md). */
export function describeLicenseLifecycleContract(test: StoreTest, record: RecordOf): void {
  test('licenses are listed by id, filtered by product, status, expiry and text in the key or notes, and paged by id', async (store) => {
    const a = await product(store, 'A');
    const b = await product(store, 'B');
    const r = store.registry;
    const l1 = await r.createLicense({ product_id: a, key: 'ACME-1', status: 'active', expires_at: '2020-01-01T00:00:00.000Z' });
    const l2 = await r.createLicense({ product_id: a, key: 'acme-2', status: 'blocked', expires_at: '2031-01-01T00:00:00.000Z' });
    const l3 = await r.createLicense({ product_id: b, key: 'OTHER_%', status: 'active', expires_at: null });
    await r.updateLicense(l3.id, { notes: 'Bought by Acme Corp' });
    const ids = async (request: Parameters<Store['registry']['listLicenses']>[0]) => (await r.listLicenses(request)).map((l) => l.id);
    assert.deepEqual(await ids({ limit: 10 }), [l1.id, l2.id, l3.id]);
    assert.deepEqual(await ids({ limit: 10, productId: a }), [l1.id, l2.id]);
    assert.deepEqual(await ids({ limit: 10, status: 'blocked' }), [l2.id]);
    assert.deepEqual(await ids({ limit: 10, expiry: { kind: 'expired', now: '2026-01-01T00:00:00.000Z' } }), [l1.id]);
    assert.deepEqual(await ids({ limit: 10, expiry: { kind: 'before', at: '2035-01-01T00:00:00.000Z' } }), [l1.id, l2.id]);
    assert.deepEqual(await ids({ limit: 10, expiry: { kind: 'never' } }), [l3.id]);
    assert.deepEqual(await ids({ limit: 10, search: 'acme' }), [l1.id, l2.id, l3.id]);
    assert.deepEqual(await ids({ limit: 10, search: '_%' }), [l3.id]);
    assert.deepEqual(await ids({ limit: 10, search: 'corp', productId: b }), [l3.id]);
    assert.deepEqual(await ids({ limit: 2 }), [l1.id, l2.id]);
    assert.deepEqual(await ids({ limit: 2, afterId: l2.id }), [l3.id]);
    assert.deepEqual(await r.getLicense(l2.id), l2);
    assert.equal(await r.getLicense(999_999), null);
    assert.deepEqual((await r.findLicensesByKeys(['ACME-1', 'OTHER_%', 'nope', 'ACME-1'])).map((l) => l.id), [l1.id, l3.id]);
  });

  test('updateLicense changes the given fields only, sets updated_at, and can set revoked; null clears', async (store) => {
    const r = store.registry;
    const license = await r.createLicense({ product_id: await product(store), key: 'K', status: 'active', expires_at: '2030-01-01T00:00:00.000Z', max_activations: 2 });
    const noted = await r.updateLicense(license.id, { notes: 'n', max_activations: 5 });
    assert.deepEqual({ ...noted, updated_at: '' }, { ...license, notes: 'n', max_activations: 5, updated_at: '' });
    assert.ok((noted?.updated_at ?? '') >= license.updated_at);
    const revoked = await r.updateLicense(license.id, { status: 'revoked', expires_at: null, notes: null });
    assert.equal(revoked?.status, 'revoked');
    assert.equal(revoked?.expires_at, null);
    assert.equal(revoked?.notes, null);
    assert.equal(revoked?.max_activations, 5);
    assert.equal(await r.updateLicense(999_999, { notes: 'x' }), null);
  });

  test('an import over a revoked license leaves it revoked; with update false an existing pair is left untouched', async (store) => {
    const r = store.registry;
    const p = await product(store);
    const revoked = await r.createLicense({ product_id: p, key: 'R', status: 'active', expires_at: null });
    await r.updateLicense(revoked.id, { status: 'revoked' });
    const kept = await r.createLicense({ product_id: p, key: 'KEEP', status: 'blocked', expires_at: null });
    assert.equal(await r.importLicenses([{ product_id: p, key: 'R', status: 'active', expires_at: '2040-01-01T00:00:00.000Z' }]), 1);
    const [after] = await r.findLicenses('R');
    assert.equal(after?.status, 'revoked');
    assert.equal(after?.expires_at, '2040-01-01T00:00:00.000Z');
    const written = await r.importLicenses([
      { product_id: p, key: 'KEEP', status: 'active', expires_at: null },
      { product_id: p, key: 'NEW', status: 'active', expires_at: null },
    ], { update: false });
    assert.equal(written, 1);
    assert.deepEqual(await r.findLicenses('KEEP'), [kept]);
    assert.equal((await r.findLicenses('NEW')).length, 1);
  });

  test('deleteLicense removes the license with its activations; its reports stay', async (store) => {
    const r = store.registry;
    const p = await product(store);
    const license = await r.createLicense({ product_id: p, key: 'GONE', status: 'active', expires_at: null });
    const other = await r.createLicense({ product_id: p, key: 'STAYS', status: 'active', expires_at: null });
    await r.createActivation(license.id, 'm-1');
    const kept = await r.createActivation(other.id, 'm-1');
    await store.telemetry.insertMany([record({ product_id: p, license_key: 'GONE' })]);
    assert.equal(await r.deleteLicense(license.id), true);
    assert.equal(await r.deleteLicense(license.id), false);
    assert.equal(await r.getLicense(license.id), null);
    assert.deepEqual((await r.listActivations({ limit: 10 })).map((a) => a.id), [kept.id]);
    assert.equal(await store.telemetry.count(), 1);
  });

  test('activations are listed per license and per product with their key, paged, and deactivated once', async (store) => {
    const r = store.registry;
    const a = await product(store, 'A');
    const b = await product(store, 'B');
    const la = await r.createLicense({ product_id: a, key: 'LA', status: 'active', expires_at: null });
    const lb = await r.createLicense({ product_id: b, key: 'LB', status: 'active', expires_at: null });
    const a1 = await r.createActivation(la.id, 'm-1');
    const a2 = await r.createActivation(la.id, 'm-2');
    const b1 = await r.createActivation(lb.id, 'm-1');
    assert.equal(a1.deactivated_at, null);
    assert.deepEqual(await r.listActivations({ licenseId: la.id, limit: 10 }), [
      { ...a1, license_key: 'LA', product_id: a }, { ...a2, license_key: 'LA', product_id: a },
    ]);
    assert.deepEqual((await r.listActivations({ productId: b, limit: 10 })).map((x) => x.id), [b1.id]);
    assert.deepEqual((await r.listActivations({ limit: 1, afterId: a1.id })).map((x) => x.id), [a2.id]);
    const off = await r.deactivateActivation(a2.id);
    assert.match(off?.deactivated_at ?? '', /^\d{4}-\d{2}-\d{2}T/);
    assert.deepEqual(await r.deactivateActivation(a2.id), off);
    assert.equal(await r.deactivateActivation(999_999), null);
    assert.deepEqual(await r.getActivation(a2.id), off);
    const again = await r.createActivation(la.id, 'm-2');
    assert.equal(again.id, a2.id);
    assert.equal(again.deactivated_at, null);
  });

  test('importActivations records new pairs, activates deactivated ones again, leaves counting ones alone, in one call', async (store) => {
    const r = store.registry;
    const license = await r.createLicense({ product_id: await product(store), key: 'L', status: 'active', expires_at: null });
    const existing = await r.createActivation(license.id, 'old');
    const off = await r.createActivation(license.id, 'off');
    await r.deactivateActivation(off.id);
    const rows = Array.from({ length: 1000 }, (_, i) => ({ license_id: license.id, identifier: `m-${i}` }));
    assert.equal(await r.importActivations([...rows, { license_id: license.id, identifier: 'old' }, { license_id: license.id, identifier: 'off' }]), 1001);
    assert.equal(await r.importActivations(rows), 0);
    assert.equal((await r.listActivations({ licenseId: license.id, limit: 2000 })).length, 1002);
    assert.deepEqual(await r.getActivation(existing.id), { ...existing, license_key: 'L', product_id: license.product_id });
    assert.equal((await r.getActivation(off.id))?.deactivated_at, null);
    assert.equal(await r.importActivations([]), 0);
  });

  test('a license\'s report counts: all its key\'s reports for its product, the red-flagged ones, and the newest time', async (store) => {
    const r = store.registry;
    const p = await product(store);
    const license = await r.createLicense({ product_id: p, key: 'COUNTED', status: 'active', expires_at: null });
    assert.deepEqual(await r.licenseReportCounts(p, license.key), { total: 0, flagged: 0, last_report_us: null });
    const t = Date.UTC(2026, 0, 1) * 1000;
    await store.telemetry.insertMany([
      record({ product_id: p, license_key: 'COUNTED', created_at_us: t }),
      record({ product_id: p, license_key: 'COUNTED', created_at_us: t + 5, has_red_flags: 1, activation_exists: 0 }),
      record({ product_id: p + 1000, license_key: 'COUNTED', created_at_us: t + 9 }),
      record({ product_id: p, license_key: 'OTHER', created_at_us: t + 9 }),
    ]);
    assert.deepEqual(await r.licenseReportCounts(p, license.key), { total: 2, flagged: 1, last_report_us: t + 5 });
  });

  test('report facts: a revoked license is not active, a deactivated activation does not exist, a deleted license is unknown', async (store) => {
    const r = store.registry;
    const p = await product(store);
    const license = await r.createLicense({ product_id: p, key: 'F', status: 'active', expires_at: null });
    const activation = await r.createActivation(license.id, 'm-1');
    const lookup = { productId: p, licenseKey: 'F', productVersion: '1.0.0', activationIdentifier: 'm-1' };
    assert.deepEqual((await r.lookupReportFacts(lookup)).license, { status: 'active', expires_at: null });
    assert.equal((await r.lookupReportFacts(lookup)).activationExists, true);
    await r.deactivateActivation(activation.id);
    assert.equal((await r.lookupReportFacts(lookup)).activationExists, false);
    await r.updateLicense(license.id, { status: 'revoked' });
    assert.deepEqual((await r.lookupReportFacts(lookup)).license, { status: 'revoked', expires_at: null });
    await r.deleteLicense(license.id);
    assert.equal((await r.lookupReportFacts(lookup)).license, null);
  });
}
