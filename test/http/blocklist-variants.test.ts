import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { BlockEntry } from '../../src/model/blocklist.js';
import type { TelemetryRecord } from '../../src/model/record.js';
import { runCli } from './cli-runner.js';
import { form, post, startTestServer, type Answer, type TestServer } from './test-server.js';

/** Issue 16 item 9: other spellings of a blocked IP, user identifier or license key must not escape the blocklist. */
let server: TestServer;

before(async () => {
  // 127.0.0.1 is a trusted proxy, so a test picks its client IP with X-Forwarded-For.
  server = await startTestServer({ trustedProxies: '127.0.0.1', registryCacheMs: 200 });
  await block({ kind: 'ip', value: '9.9.9.9' });
  await block({ kind: 'user_identifier', value: 'pirate', ignore_case: true });
  await block({ kind: 'license_key', value: 'LIC-LEAKED' });
});
after(() => server.close());

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${server.adminToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}/admin/api${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function block(entry: Record<string, unknown>): Promise<BlockEntry> {
  const { status, json } = await admin('POST', '/blocklist', entry);
  assert.equal(status, 201, JSON.stringify(json));
  return json as unknown as BlockEntry;
}

function report(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: 'u-ok', license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 'hello', data_group: 'g',
    marker: randomUUID(), ...overrides,
  };
}

async function sendFrom(ip: string): Promise<Answer> {
  return post(`${server.url}/api/v1/send-telemetry-data`, form(report()), 'application/x-www-form-urlencoded', { 'x-forwarded-for': ip });
}

/** Sent as JSON, so a value may carry U+0000 as it is. */
async function sendJson(fields: Record<string, string>): Promise<Answer> {
  return post(`${server.url}/api/v1/send-telemetry-data`, JSON.stringify(fields), 'application/json');
}

async function readFrom(ip: string): Promise<number> {
  const res = await fetch(`${server.url}/api/v1/get-telemetry-data?api_key=${server.seed.keys.full}&data_group=none`, { headers: { 'x-forwarded-for': ip } });
  return ((await res.json()) as { response: { code: number } }).response.code;
}

async function storedWith(marker: string): Promise<TelemetryRecord | undefined> {
  for (let afterId = 0; ;) {
    const page = await server.store.telemetry.list({ afterId, limit: 500 });
    const found = page.find((r) => r.metadata['marker'] === marker);
    if (found !== undefined || page.length < 500) return found;
    afterId = page[page.length - 1]!.id;
  }
}

describe('a blocked IP behind a trusted proxy, however X-Forwarded-For spells it', () => {
  const spellings = [
    '9.9.9.9', '::FFFF:9.9.9.9', '::ffff:9.9.9.9', '0:0:0:0:0:ffff:9.9.9.9', '::ffff:909:909', '0000:0000:0000:0000:0000:FFFF:0909:0909',
    '9.9.9.9:1234', '[::ffff:9.9.9.9]:443', '009.009.009.009', ' 9.9.9.9 ',
  ];

  it('answers 150 to a report from every spelling of the address', async () => {
    for (const ip of spellings) assert.equal((await sendFrom(ip)).response.code, 150, ip);
  });

  it('answers 150 to a query from every spelling of the address', async () => {
    for (const ip of spellings) assert.equal(await readFrom(ip), 150, ip);
  });

  it('counts an address that cannot be read as an IP as blocked while IP entries exist, and lets other addresses through', async () => {
    for (const ip of ['not-an-ip', '9.9.9', '0x9.9.9.9', '151587081', '9.9.9.9.9', '999.9.9.9']) assert.equal((await sendFrom(ip)).response.code, 150, ip);
    for (const ip of ['9.9.9.8', '::ffff:9.9.9.8', '8.8.8.8:1234', '2001:db8::9']) assert.equal((await sendFrom(ip)).response.code, 830, ip);
  });
});

describe('blocked user identifiers and license keys, in trivial variants', () => {
  it('a case-insensitive user_identifier entry blocks Pirate, PIRATE and a trailing NUL, and the report is stored blocked', async () => {
    for (const variant of ['pirate', 'Pirate', 'PIRATE', 'pirate\u0000', 'Pirate\u0000', '\u200Bpirate', ' PiRaTe\u0000 ']) {
      const marker = randomUUID();
      const answer = await sendJson(report({ user_identifier: variant, marker }));
      assert.equal(answer.response.code, 150, JSON.stringify(variant));
      assert.equal((await storedWith(marker))?.blocked, 1, JSON.stringify(variant));
    }
  });

  it('an exact license_key entry blocks its NUL and zero-width variants but not another case', async () => {
    for (const variant of ['LIC-LEAKED\u0000', 'LIC-LEAKED\u0000\u0000', '\u0000LIC-LEAKED', 'LIC-\u200DLEAKED', 'LIC-LEAKED\uFEFF']) {
      assert.equal((await sendJson(report({ license_key: variant }))).response.code, 150, JSON.stringify(variant));
    }
    assert.notEqual((await sendJson(report({ license_key: 'lic-leaked' }))).response.code, 150);
    assert.notEqual((await sendJson(report({ user_identifier: 'pirates' }))).response.code, 150);
  });

  it('the admin API stores ignore_case, refuses it for an IP or when it is not a boolean, and refuses an invisible value', async () => {
    const entry = await block({ kind: 'license_key', value: 'Any-Case', ignore_case: true });
    assert.equal(entry.ignore_case, true);
    assert.equal((await block({ kind: 'license_key', value: 'Exact-Case' })).ignore_case, false);
    const listed = (await admin('GET', '/blocklist')).json['entries'] as BlockEntry[];
    assert.equal(listed.find((e) => e.id === entry.id)?.ignore_case, true);
    for (const body of [{ kind: 'ip', value: '10.9.9.9', ignore_case: true }, { kind: 'license_key', value: 'K', ignore_case: 'yes' }, { kind: 'user_identifier', value: '\u200B' }]) {
      const { status, json } = await admin('POST', '/blocklist', body);
      assert.equal(status, 400, `${JSON.stringify(body)} → ${JSON.stringify(json)}`);
    }
    assert.equal((await sendJson(report({ license_key: 'ANY-CASE' }))).response.code, 150);
  });

  it('tally block add --ignore-case (the built CLI) adds a case-insensitive entry', async () => {
    const added = await runCli(['block', 'add', '--user-identifier', 'CLI-Pirate', '--ignore-case', '--json', ...server.cliStoreArgs]);
    assert.equal(added.code, 0, added.stderr);
    assert.equal((JSON.parse(added.stdout) as BlockEntry).ignore_case, true);
    const refused = await runCli(['block', 'add', '--ip', '10.9.9.9', '--ignore-case', ...server.cliStoreArgs]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /ignore_case applies to user_identifier and license_key entries only/);
    await eventually(async () => (await sendJson(report({ user_identifier: 'cli-pirate' }))).response.code === 150);
  });
});

/** Polls until `check` holds, for at most 5 s (the server's registry cache TTL is 200 ms here). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail('the change did not reach the server in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
