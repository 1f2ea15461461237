import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ingestBatch, NOT_AN_OBJECT } from '../../src/ingest/ingest-batch.js';
import { ingestReport } from '../../src/ingest/ingest-report.js';
import { ingestFixture, type IngestFixture } from './ingest-fixture.js';

let f: IngestFixture;
before(async () => {
  f = await ingestFixture();
});
after(() => f.close());

describe('ingestBatch, the batch use case', () => {
  it('checks every item as a single report would be checked, stores them all, and answers 840 with a result per item', async () => {
    const before = await f.store.telemetry.count();
    const items = [f.correct, { ...f.correct, numeric_data_single_value: 'lots' }, 'not a report'];
    const answer = await ingestBatch(f.deps, items, f.key, '198.51.100.1');
    assert.equal(answer.code, 840);
    assert.deepEqual(answer.fields, {
      results: [
        { code: 830, errors: [] },
        { code: 831, errors: { numeric_data_single_value: ['The numeric data single value field must be a number.'] } },
        { code: 831, errors: { item: [NOT_AN_OBJECT], product_id: ['The product id field is required.'], user_identifier: ['The user identifier field is required.'], license_key: ['The license key field is required.'], activation_identifier: ['The activation identifier field is required.'], product_version: ['The product version field is required.'], data_type: ['The data type field is required.'], data_group: ['The data group field is required.'] } },
      ],
      stored: 3,
      duplicates: 0,
    });
    const stored = (await f.store.telemetry.list({ afterId: 0, limit: 1000 })).slice(before);
    assert.equal(stored.length, 3);
    assert.deepEqual(stored[2]?.metadata, { raw_item: 'not a report' });
    const single = await ingestReport(f.deps, { ...f.correct, numeric_data_single_value: 'lots' }, f.key, '198.51.100.1');
    assert.deepEqual(single, { code: 831, fields: { errors: (answer.fields?.['results'] as { errors: unknown }[])[1]?.errors } });
  });

  it('answers 832 for an item whose event_id is already stored, in the batch or before it, and counts it a duplicate', async () => {
    const eventId = '7d1e2c3b-4a59-4687-a9b0-c1d2e3f40516';
    const item = { ...f.correct, event_id: eventId };
    const answer = await ingestBatch(f.deps, [item, item], f.key, '198.51.100.1');
    assert.deepEqual(answer.fields, {
      results: [{ code: 830, errors: [], event_id: eventId }, { code: 832, errors: [], event_id: eventId }],
      stored: 1,
      duplicates: 1,
    });
  });
});
