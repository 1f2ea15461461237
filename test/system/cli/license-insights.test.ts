import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { nowMicros } from '../../../src/model/clock.js';
import type { NewTelemetryRecord } from '../../../src/model/record.js';
import { tempTally, type TempTally } from './cli-helper.js';

async function withProduct(t: TestContext): Promise<TempTally> {
  const tally = await tempTally(t);
  await tally.json(['product', 'create', '--name', 'Desk App']);
  return tally;
}

function report(overrides: Partial<NewTelemetryRecord>): NewTelemetryRecord {
  return {
    api_key_id: 1, product_id: 1, user_identifier: 'alice', license_key: 'K-SEATS', activation_identifier: 'm1', product_version: '1.0.0',
    data_type: 'numeric-single-value', data_group: 'g', data: '1', numeric_data_single_value: 1, numeric_data_x: null, numeric_data_y: null,
    text_data: null, is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1,
    license_active: 1, has_red_flags: 0, blocked: 0, errors: {}, metadata: {}, client_ip: '192.0.2.1', created_at_us: nowMicros() - 60_000_000, reported_at_us: null, ...overrides,
  };
}

describe('tally license create --max-activations', () => {
  it('stores the seats and prints them; none by default', async (t) => {
    const tally = await withProduct(t);
    const seats = await tally.json<Record<string, unknown>>(['license', 'create', '--product', '1', '--key', 'K-2', '--max-activations', '2']);
    assert.equal(seats['max_activations'], 2);
    const none = await tally.json<Record<string, unknown>>(['license', 'create', '--product', '1', '--key', 'K-0']);
    assert.equal(none['max_activations'], null);
    const text = await tally.run(['license', 'create', '--product', '1', '--key', 'K-5', '--max-activations', '5']);
    assert.match(text.stdout, /5 seat\(s\)/);
  });

  it('exits 1 for seats that are not a whole number from 1', async (t) => {
    const tally = await withProduct(t);
    for (const bad of ['0', '-2', '2.5', 'many']) {
      const result = await tally.run(['license', 'create', '--product', '1', '--key', `K-${bad}`, '--max-activations', bad]);
      assert.equal(result.code, 1, bad);
      assert.match(result.stderr, /max activations must be a whole number/, bad);
    }
  });
});

describe('tally license import with max_activations', () => {
  it('reads the column (an empty cell is none) and names the line of a bad value', async (t) => {
    const tally = await withProduct(t);
    const good = path.join(tally.dataDir, 'seats.csv');
    await writeFile(good, 'product_id,key,max_activations\n1,S-1,3\n1,S-2,\n');
    assert.equal((await tally.run(['license', 'import', good])).code, 0);
    const ndjson = path.join(tally.dataDir, 'seats.ndjson');
    await writeFile(ndjson, '{"product_id": 1, "key": "S-3", "max_activations": 4}\n{"product_id": 1, "key": "S-4", "max_activations": null}\n');
    assert.equal((await tally.run(['license', 'import', ndjson])).code, 0);
    await tally.withStore(async (store) => {
      const seats = async (key: string) => (await store.registry.findLicenses(key))[0]?.max_activations;
      assert.deepEqual([await seats('S-1'), await seats('S-2'), await seats('S-3'), await seats('S-4')], [3, null, 4, null]);
    });
    const bad = path.join(tally.dataDir, 'bad.csv');
    await writeFile(bad, 'product_id,key,max_activations\n1,B-1,2\n1,B-2,lots\n');
    const result = await tally.run(['license', 'import', bad]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /line 3: The max activations must be a whole number from 1 .*"lots"/);
    assert.doesNotMatch(result.stderr, /line 2:/);
  });
});

describe('tally license insights', () => {
  it('prints the shared and suspicious keys as a table, and the admin API answer with --json', async (t) => {
    const tally = await withProduct(t);
    await tally.json(['license', 'create', '--product', '1', '--key', 'K-SEATS', '--max-activations', '2']);
    await tally.withStore((store) => store.telemetry.insertMany([
      report({ activation_identifier: 'm1' }), report({ activation_identifier: 'm2' }), report({ activation_identifier: 'm3', client_ip: '192.0.3.1' }),
      report({ license_key: 'MADE-UP', activation_identifier: 'p1', license_key_exists: 0, activation_exists: 0, has_red_flags: 1 }),
    ]));
    const table = await tally.run(['license', 'insights']);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^KEY\s+PRODUCT\s+SEATS\s+MACHINES/);
    assert.match(lines[1] ?? '', /^K-SEATS\s+1\s+2\s+3\s+1\s+2\s+3\s+0\s+0\s+shared\s+no/);
    assert.match(lines[2] ?? '', /^MADE-UP\s+1\s+-\s+1\s+.*suspicious\s+no/);
    const answer = await tally.json<{ data: { license_key: string; class: string[] }[]; next: string | null }>(['license', 'insights', '--class', 'shared']);
    assert.deepEqual(answer.data.map((row) => [row.license_key, row.class]), [['K-SEATS', ['shared']]]);
    assert.equal(answer.next, null);
    const paged = await tally.json<{ data: unknown[]; next: string | null }>(['license', 'insights', '--limit', '1']);
    assert.equal(paged.data.length, 1);
    assert.ok(paged.next !== null);
    const rest = await tally.json<{ data: { license_key: string }[] }>(['license', 'insights', '--limit', '1', '--after', paged.next]);
    assert.deepEqual(rest.data.map((row) => row.license_key), ['MADE-UP']);
    const users = await tally.json<{ data: { user_identifier: string; machines: number }[] }>(['license', 'insights', '--users']);
    assert.deepEqual(users.data.map((row) => [row.user_identifier, row.machines]), [['alice', 4]]);
  });

  it('exits 1 for a bad class, sort, window or cursor', async (t) => {
    const tally = await withProduct(t);
    for (const args of [['--class', 'pirates'], ['--sort', 'licenses'], ['--window-days', '0'], ['--limit', '501'], ['--after', 'nonsense']]) {
      const result = await tally.run(['license', 'insights', ...args]);
      assert.notEqual(result.code, 0, args.join(' '));
      assert.ok(result.stderr.length > 0, args.join(' '));
    }
  });
});
