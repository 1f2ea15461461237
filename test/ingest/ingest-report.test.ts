import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ingestReport } from '../../src/ingest/ingest-report.js';
import { ingestFixture, type IngestFixture } from './ingest-fixture.js';

let f: IngestFixture;
before(async () => {
  f = await ingestFixture();
});
after(() => f.close());

async function lastRecord(): Promise<Awaited<ReturnType<IngestFixture['store']['telemetry']['list']>>[number] | undefined> {
  const all = await f.store.telemetry.list({ limit: 1000 });
  return all.at(-1);
}

describe('ingestReport, the single-report use case', () => {
  it('answers 830 only once a correct report is stored, with every check passed and the key and address noted', async () => {
    const before = await f.store.telemetry.count();
    const answer = await ingestReport(f.deps, f.correct, f.key, '203.0.113.7');
    assert.deepEqual(answer, { code: 830, fields: { errors: [] } });
    assert.equal(await f.store.telemetry.count(), before + 1);
    const record = await lastRecord();
    assert.equal(record?.has_red_flags, 0);
    assert.equal(record?.numeric_data_single_value, 42);
    assert.equal(record?.api_key_id, f.key.id);
    assert.equal(record?.client_ip, '203.0.113.7');
  });

  it('stores an incorrect report too, flagged, and answers 831 with its field errors', async () => {
    const answer = await ingestReport(f.deps, { ...f.correct, data_group: '', license_key: 'MADE-UP' }, f.key, '203.0.113.7');
    assert.deepEqual(answer, { code: 831, fields: { errors: { data_group: ['The data group field is required.'] } } });
    const record = await lastRecord();
    assert.equal(record?.is_correct_format, 0);
    assert.equal(record?.license_key_exists, 0);
    assert.equal(record?.has_red_flags, 1);
  });

  it('stores a report with a known event_id once: the repeat answers 832 and writes nothing', async () => {
    const report = { ...f.correct, event_id: '0b6f3c9e-2f41-4d0c-9a57-3f1c2d4e5f60' };
    assert.equal((await ingestReport(f.deps, report, f.key, '203.0.113.7')).code, 830);
    const count = await f.store.telemetry.count();
    assert.deepEqual(await ingestReport(f.deps, report, f.key, '203.0.113.7'), { code: 832, fields: { errors: [] } });
    assert.equal(await f.store.telemetry.count(), count);
  });

  it('stores a report from a blocked license key flagged blocked and answers 150, nothing more', async () => {
    await f.store.blocklist.add({ kind: 'license_key', value: 'LIC-BLOCKED-HERE', product_id: null, reason: null, ignore_case: false });
    const answer = await ingestReport(f.deps, { ...f.correct, license_key: 'LIC-BLOCKED-HERE' }, f.key, '203.0.113.7');
    assert.deepEqual(answer, { code: 150 });
    const record = await lastRecord();
    assert.equal(record?.license_key, 'LIC-BLOCKED-HERE');
    assert.equal(record?.blocked, 1);
  });

  it('answers 503 with Retry-After when the commit fails, and the report is not stored', async () => {
    const other = await ingestFixture();
    await other.store.close();
    const before = await f.store.telemetry.count();
    const answer = await ingestReport({ ...f.deps, committer: other.deps.committer }, f.correct, f.key, '203.0.113.7');
    assert.deepEqual(answer, { code: 503, headers: { 'retry-after': '1' } });
    assert.equal(await f.store.telemetry.count(), before);
    await other.close();
  });
});
