import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ingestBodies } from '../../bench/ingest-requests.js';
import type { TallyFixture } from '../../bench/tally-fixture.js';

const FIXTURE: TallyFixture = {
  dataDir: '/nowhere',
  apiKey: 'tly_test_key',
  productId: 7,
  licenseKey: 'LIC-1',
  activationIdentifier: 'act-1',
  productVersion: '2.0.0',
};

const fieldsOf = (body: string): Record<string, string> => Object.fromEntries(new URLSearchParams(body));

describe('the single-report bench bodies', () => {
  it('published: the published example ten times, values 45 to 54', () => {
    const bodies = ingestBodies(FIXTURE).map(fieldsOf);
    assert.deepEqual(bodies.map((fields) => Number(fields['numeric_data_single_value'])), [45, 46, 47, 48, 49, 50, 51, 52, 53, 54]);
    assert.ok(bodies.every((fields) => fields['data_group'] === 'test_group' && fields['api_key'] === FIXTURE.apiKey));
  });

  it("fleet: 1,000 reports naming the fixture's registry rows, values spread over decades, eight groups, many users", () => {
    const bodies = ingestBodies(FIXTURE, 'fleet');
    assert.equal(bodies.length, 1000);
    assert.deepEqual(ingestBodies(FIXTURE, 'fleet'), bodies, 'seeded: the same bodies every run');
    const reports = bodies.map(fieldsOf);
    for (const fields of reports) {
      assert.deepEqual(Object.keys(fields), ['api_key', 'data_type', 'numeric_data_single_value', 'product_id', 'user_identifier', 'license_key', 'activation_identifier', 'product_version', 'data_group']);
      assert.equal(fields['product_id'], '7');
      assert.equal(fields['license_key'], 'LIC-1');
      assert.equal(fields['activation_identifier'], 'act-1');
      assert.equal(fields['product_version'], '2.0.0');
      assert.match(fields['numeric_data_single_value'] ?? '', /^\d+\.\d{2}$/);
    }
    const values = reports.map((fields) => Number(fields['numeric_data_single_value']));
    assert.ok(Math.max(...values) / Math.min(...values) > 1000, 'values spread over more than three decades');
    assert.ok(new Set(values).size > 950, 'values nearly all distinct');
    assert.equal(new Set(reports.map((fields) => fields['data_group'])).size, 8);
    assert.ok(new Set(reports.map((fields) => fields['user_identifier'])).size > 900);
  });
});
