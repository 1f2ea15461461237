import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/contract/store.js';
import { exportRecord, awkwardRecord } from '../../query/export-fixtures.js';
import { createScratchDatabase, describeWithPostgres, dropScratchDatabase, randomName } from '../../postgres-helpers.js';
import { runCli, tempTally, type CliResult } from './cli-helper.js';

/** Where records are imported to: a command line for the CLI and the same store opened here. */
interface Target {
  args: readonly string[];
  withStore<T>(use: (store: Store) => Promise<T>): Promise<T>;
}

type ImportReportJson = { records: number; imported: number; already_imported: number; rejected: number; errors: { line: number; error: string }[] };

/** 300 records over two days (one with errors, metadata and awkward text; one late with a record far older than its neighbours). */
function sourceRecords(): ReturnType<typeof exportRecord>[] {
  return [
    ...Array.from({ length: 298 }, (_, i) => exportRecord(i, {
      created_at_us: Date.UTC(2024, 1, 27 + (i % 2), 3) * 1000 + i,
      // Every third came from an offline queue: the client's time, days before it arrived.
      reported_at_us: i % 3 === 0 ? Date.UTC(2024, 1, 20, 3) * 1000 + i : null,
    })),
    awkwardRecord(298),
    exportRecord(299, { created_at_us: Date.UTC(2023, 11, 31, 23, 59, 59) * 1000 + 123_456, data_group: 'old', client_ip: null }),
  ];
}

/** The NDJSON `tally export` writes for the source records, from a SQLite data dir. */
async function exportedSource(t: TestContext): Promise<string> {
  const source = await tempTally(t);
  await source.withStore((store) => store.telemetry.insertMany(sourceRecords()));
  const result = await source.run(['export', '--format', 'ndjson']);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

function withoutIds(ndjson: string): unknown[] {
  return ndjson.trimEnd().split('\n').map((line) => {
    const record = JSON.parse(line) as Record<string, unknown>;
    delete record['id'];
    return record;
  });
}

async function importInto(target: Target, stdin: string): Promise<{ result: CliResult; report: ImportReportJson }> {
  const result = await runCli(['import', '-', '--json', ...target.args], { stdin });
  return { result, report: JSON.parse(result.stdout) as ImportReportJson };
}

function importTests(makeTarget: (t: TestContext) => Promise<Target>): void {
  it('loads an export back record for record, times, checks, errors and metadata kept; new ids', async (t) => {
    const ndjson = await exportedSource(t);
    const target = await makeTarget(t);
    const { result, report } = await importInto(target, ndjson);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(report, { records: 300, imported: 300, already_imported: 0, rejected: 0, errors: [] });
    const again = await runCli(['export', '--format', 'ndjson', ...target.args]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(withoutIds(again.stdout), withoutIds(ndjson));
    const old = await target.withStore((store) => store.telemetry.query({ productIds: null, dataGroup: 'old' }, { afterId: 0, limit: 5 }));
    assert.equal(old.length, 1);
    assert.equal(old[0]?.created_at_us, Date.UTC(2023, 11, 31, 23, 59, 59) * 1000 + 123_456);
    assert.equal(old[0]?.client_ip, null, 'a record exported without a client address is imported without one');
    const [first] = await target.withStore((store) => store.telemetry.list({ limit: 1 }));
    assert.equal(first?.client_ip, '203.0.113.9', 'the client address of the export is kept');
    const late = await target.withStore((store) => store.telemetry.query({ productIds: null, reportedToUs: Date.UTC(2024, 1, 21) * 1000 }, { afterId: 0, limit: 500 }));
    assert.equal(late.length, 100, 'the client times are kept and filter as they did');
  });

  it('keeps a reported_at that ingest would have refused beside its created_at as ingest does: in metadata', async (t) => {
    const record = JSON.parse((await exportedSource(t)).split('\n')[1] ?? '') as Record<string, unknown>;
    const target = await makeTarget(t);
    const tooOld = { ...record, reported_at: '2023-01-01T00:00:00.000000Z' };
    const ahead = { ...record, reported_at: '2024-02-28T03:10:00.000000Z' };
    const { report } = await importInto(target, `${JSON.stringify(tooOld)}\n${JSON.stringify(ahead)}\n`);
    assert.equal(report.imported, 2);
    const stored = await target.withStore((store) => store.telemetry.list({ limit: 5 }));
    assert.deepEqual(stored.map((r) => [r.reported_at_us, r.metadata]), [
      [null, { raw_reported_at: '2023-01-01T00:00:00.000000Z' }],
      [null, { raw_reported_at: '2024-02-28T03:10:00.000000Z' }],
    ]);
  });

  it('stores nothing twice when the same file is imported again', async (t) => {
    const ndjson = await exportedSource(t);
    const target = await makeTarget(t);
    await importInto(target, ndjson);
    const { result, report } = await importInto(target, ndjson);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(report, { records: 300, imported: 0, already_imported: 300, rejected: 0, errors: [] });
    assert.equal(await target.withStore((store) => store.telemetry.count()), 300);
  });

  it('reads saved get-telemetry answers (a page per line) as their records', async (t) => {
    const lines = (await exportedSource(t)).trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
    const page = (data: unknown[], next: number | null): string =>
      JSON.stringify({ response: { code: 970, message: 'Telemetry data found', data, next_after_id: next, timestamp: 1 }, signature: 'x' });
    const target = await makeTarget(t);
    const { report } = await importInto(target, `${page(lines.slice(0, 100), 100)}\n${page(lines.slice(100), null)}\n${page([], null)}\n`);
    assert.deepEqual(report, { records: 300, imported: 300, already_imported: 0, rejected: 0, errors: [] });
  });

  it('lists lines that are not records, exits 1 and imports the rest', async (t) => {
    const [first, second] = (await exportedSource(t)).split('\n');
    const record = JSON.parse(first ?? '') as Record<string, unknown>;
    const bad = [
      'not json at all',
      JSON.stringify({ ...record, created_at: 'yesterday' }),
      JSON.stringify({ ...record, has_red_flags: 2 }),
      JSON.stringify({ ...record, numeric_data_single_value: '50' }),
      JSON.stringify({ ...record, created_at: undefined }),
      '[1, 2]',
    ];
    const target = await makeTarget(t);
    const { result, report } = await importInto(target, [first, '', ...bad, second].join('\n'));
    assert.equal(result.code, 1);
    assert.equal(report.imported, 2);
    assert.equal(report.rejected, 6);
    assert.deepEqual(report.errors.map((e) => e.line), [3, 4, 5, 6, 7, 8]);
    assert.deepEqual(report.errors.map((e) => e.error), [
      'not JSON',
      '"created_at" must be an ISO-8601 time',
      '"has_red_flags" must be 0 or 1',
      '"numeric_data_single_value" must be a number',
      '"created_at" is required',
      'a record must be a JSON object',
    ]);
  });
}

describe('tally import on SQLite', () => {
  importTests(async (t) => {
    const tally = await tempTally(t);
    return { args: ['--data-dir', tally.dataDir], withStore: tally.withStore };
  });

  it('says how many records it read and imported, for people', async (t) => {
    const tally = await tempTally(t);
    const result = await tally.run(['import', '-'], { stdin: `${JSON.stringify({ nope: 1 })}\n` });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, 'Imported 0 of 1 record(s); 0 already imported, 1 rejected.\n');
    assert.equal(result.stderr, 'line 1: "is_correct_format" is required\n');
  });

  it('fails with the reason when the file cannot be read', async (t) => {
    const tally = await tempTally(t);
    const result = await tally.run(['import', '/nonexistent/records.ndjson']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: ENOENT/);
  });
});

await describeWithPostgres('tally import', () => {
  importTests(async (t) => {
    const name = randomName('tally_import');
    const url = await createScratchDatabase(name);
    t.after(() => dropScratchDatabase(name));
    return {
      args: ['--database-url', url],
      async withStore(use) {
        const store = await openStore({ databaseUrl: url, dataDir: '.', sqliteSynchronous: 'FULL' });
        try {
          return await use(store);
        } finally {
          await store.close();
        }
      },
    };
  });
});
