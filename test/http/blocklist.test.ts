import assert from 'node:assert/strict';
import { NO_AUDIT } from '../audit-helpers.js';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { publicKeyPem } from '../../src/envelope/signing-key.js';
import { verifyEnvelope } from '../../src/envelope/verify.js';
import { createApiKey } from '../../src/registry/api-keys.js';
import type { BlockEntry } from '../../src/model/blocklist.js';
import type { TelemetryRecord } from '../../src/model/record.js';
import { runCli } from './cli-runner.js';
import { form, post, startTestServer, type Answer, type TestServer } from './test-server.js';

const BLOCKED_MESSAGE = 'Access denied (the IP, user identifier or license key is blocked)';

let server: TestServer;

before(async () => {
  // 127.0.0.1 is a trusted proxy, so a test picks its client IP with X-Forwarded-For.
  server = await startTestServer({ trustedProxies: '127.0.0.1', registryCacheMs: 200, clientIpMode: 'full' });
});
after(() => server.close());

function asAdmin(init: RequestInit = {}): RequestInit {
  const headers: Record<string, string> = { authorization: `Bearer ${server.adminToken}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return { ...init, headers };
}

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const init: RequestInit = body === undefined ? { method } : { method, body: typeof body === 'string' ? body : JSON.stringify(body) };
  const res = await fetch(`${server.url}/admin/api${path}`, asAdmin(init));
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

async function send(fields: Record<string, string>, ip: string | null = null): Promise<Answer> {
  const headers: Record<string, string> = ip === null ? {} : { 'x-forwarded-for': ip };
  return post(`${server.url}/api/v1/send-telemetry-data`, form(fields), 'application/x-www-form-urlencoded', headers);
}

async function storedWith(marker: string): Promise<TelemetryRecord[]> {
  const found: TelemetryRecord[] = [];
  for (let afterId = 0; ;) {
    const page = await server.store.telemetry.list({ afterId, limit: 500 });
    found.push(...page.filter((r) => r.metadata['marker'] === marker));
    if (page.length < 500) return found;
    afterId = page[page.length - 1]!.id;
  }
}

/** A 150 answer: HTTP 403, the contract's message, nothing else said, signed with the global key. */
async function assertBlockedAnswer(answer: Answer): Promise<void> {
  assert.equal(answer.status, 403, answer.text);
  assert.equal(answer.response.code, 150);
  assert.equal(answer.response.message, BLOCKED_MESSAGE);
  assert.deepEqual(Object.keys(answer.response), ['code', 'message', 'timestamp']);
  const verified = verifyEnvelope(answer.text, (await publicKeyPem(server.store.secrets, 'global')) ?? '');
  assert.ok(verified.valid, JSON.stringify(verified));
}

async function getTelemetry(apiKey: string, ip: string): Promise<Answer> {
  const res = await fetch(`${server.url}/api/v1/get-telemetry-data?api_key=${apiKey}&data_group=none`, { headers: { 'x-forwarded-for': ip } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, response: (JSON.parse(text) as { response: Answer['response'] }).response };
}

describe('send-telemetry-data from a blocked sender', () => {
  it('a blocked IP (CIDR via X-Forwarded-For) gets a signed 150 and its report is stored exactly as sent, blocked=1', async () => {
    await block({ kind: 'ip', value: '10.9.0.0/16', reason: 'test' });
    const fields = report();
    const answer = await send(fields, '10.9.1.2');
    await assertBlockedAnswer(answer);
    const [record] = await storedWith(fields['marker']!);
    assert.ok(record, 'the blocked report is stored');
    assert.equal(record.blocked, 1);
    assert.equal(record.client_ip, '10.9.1.2');
    assert.deepEqual(
      { product_id: record.product_id, user_identifier: record.user_identifier, license_key: record.license_key,
        activation_identifier: record.activation_identifier, product_version: record.product_version, data_type: record.data_type,
        text_data: record.text_data, data_group: record.data_group, metadata: record.metadata },
      { product_id: server.seed.productA, user_identifier: 'u-ok', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
        product_version: '1.0.1', data_type: 'text', text_data: 'hello', data_group: 'g', metadata: { marker: fields['marker'] } },
    );
    // blocked is not one of the contract's checks: the clean report has no red flags.
    assert.equal(record.is_correct_format, 1);
    assert.equal(record.has_red_flags, 0);
  });

  it('an address outside the blocked range is answered 830 and stored with blocked=0', async () => {
    const fields = report();
    const answer = await send(fields, '10.8.1.2');
    assert.equal(answer.response.code, 830);
    assert.equal((await storedWith(fields['marker']!))[0]?.blocked, 0);
  });

  it('an IPv6 range blocks IPv6 clients', async () => {
    await block({ kind: 'ip', value: '2001:db8:bad::/48' });
    const fields = report();
    await assertBlockedAnswer(await send(fields, '2001:db8:bad::5'));
    assert.equal((await storedWith(fields['marker']!))[0]?.blocked, 1);
    assert.equal((await send(report(), '2001:db8:900d::5')).response.code, 830);
  });

  it('a blocked user identifier matches after trimming; an incorrect report of it is stored with its errors', async () => {
    await block({ kind: 'user_identifier', value: '  cracked-user ' });
    const fields = report({ user_identifier: ' cracked-user  ', text_data: '' });
    await assertBlockedAnswer(await send(fields));
    const [record] = await storedWith(fields['marker']!);
    assert.equal(record?.blocked, 1);
    assert.equal(record?.user_identifier, 'cracked-user');
    assert.equal(record?.is_correct_format, 0);
    assert.deepEqual(record?.errors, { text_data: ['The text data field is required when data type is text.'] });
    assert.equal((await send(report({ user_identifier: 'cracked-user-2' }))).response.code, 830);
  });

  it('a license key entry for one product blocks that product only', async () => {
    const entry = await block({ kind: 'license_key', value: 'LIC-LEAKED', product_id: server.seed.productA });
    assert.equal(entry.product_id, server.seed.productA);
    const ofA = report({ license_key: 'LIC-LEAKED' });
    await assertBlockedAnswer(await send(ofA));
    assert.equal((await storedWith(ofA['marker']!))[0]?.blocked, 1);
    const ofB = report({ license_key: 'LIC-LEAKED', product_id: String(server.seed.productB), product_version: '2.0.0' });
    const answer = await send(ofB);
    assert.equal(answer.status, 200);
    assert.equal(answer.response.code, 830);
    assert.equal((await storedWith(ofB['marker']!))[0]?.blocked, 0);
  });

  it('a request without a usable key from a blocked IP gets the key code and nothing is stored', async () => {
    await block({ kind: 'ip', value: '10.10.10.10' });
    const fields = report({ api_key: 'no-such-key' });
    const answer = await send(fields, '10.10.10.10');
    assert.equal(answer.response.code, 100);
    assert.deepEqual(await storedWith(fields['marker']!), []);
  });

  it('removing an entry through the admin API unblocks at once', async () => {
    const entry = await block({ kind: 'ip', value: '10.11.0.1' });
    await assertBlockedAnswer(await send(report(), '10.11.0.1'));
    assert.equal((await admin('DELETE', `/blocklist/${entry.id}`)).status, 200);
    assert.equal((await send(report(), '10.11.0.1')).response.code, 830);
  });
});

describe('other endpoints from a blocked IP', () => {
  it('get-telemetry-data answers a signed 150', async () => {
    await block({ kind: 'ip', value: '10.20.0.0/16' });
    await assertBlockedAnswer(await getTelemetry(server.seed.keys.full, '10.20.3.4'));
    assert.equal((await getTelemetry(server.seed.keys.full, '10.21.3.4')).response.code, 971);
  });

  it('an IP entry for one product refuses keys that may read that product, not keys scoped elsewhere', async () => {
    await block({ kind: 'ip', value: '10.30.0.1', product_id: server.seed.productB });
    const reader = async (name: string, products: number[]) =>
      (await createApiKey(server.store.registry, { name, capabilities: ['get_telemetry'], products }, NO_AUDIT)).secret;
    const onlyA = await reader('only-a', [server.seed.productA]);
    const onlyB = await reader('only-b', [server.seed.productB]);
    await assertBlockedAnswer(await getTelemetry(server.seed.keys.full, '10.30.0.1'));
    await assertBlockedAnswer(await getTelemetry(onlyB, '10.30.0.1'));
    assert.equal((await getTelemetry(onlyA, '10.30.0.1')).response.code, 971);
  });

  it('get-public-key stays open', async () => {
    await block({ kind: 'ip', value: '10.40.0.1' });
    const res = await fetch(`${server.url}/api/v1/get-public-key`, { headers: { 'x-forwarded-for': '10.40.0.1' } });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { response: { code: number } }).response.code, 990);
  });
});

describe('admin API /admin/api/blocklist', () => {
  it('lists, adds (201, trimmed) and removes entries', async () => {
    const added = await block({ kind: 'user_identifier', value: ' admin-listed ', reason: ' chargeback ' });
    assert.deepEqual(added, { id: added.id, kind: 'user_identifier', value: 'admin-listed', product_id: null, reason: 'chargeback', ignore_case: false, created_at: added.created_at });
    const listed = await admin('GET', '/blocklist');
    assert.equal(listed.status, 200);
    assert.ok((listed.json['entries'] as BlockEntry[]).some((e) => e.id === added.id && e.value === 'admin-listed'));
    assert.deepEqual(await admin('DELETE', `/blocklist/${added.id}`), { status: 200, json: { id: added.id, removed: true } });
    assert.equal((await admin('DELETE', `/blocklist/${added.id}`)).status, 404);
    assert.ok(!((await admin('GET', '/blocklist')).json['entries'] as BlockEntry[]).some((e) => e.id === added.id));
  });

  it('refuses bad input with 400 and an error, a duplicate with 409', async () => {
    const bad: unknown[] = [
      { kind: 'email', value: 'x' },
      { value: 'x' },
      { kind: 'ip', value: 'not-an-ip' },
      { kind: 'ip', value: '10.0.0.0/33' },
      { kind: 'license_key', value: '   ' },
      { kind: 'license_key', value: 42 },
      { kind: 'license_key', value: 'x'.repeat(256) },
      { kind: 'license_key', value: 'K', product_id: 'abc' },
      { kind: 'license_key', value: 'K', product_id: 424242 },
      { kind: 'license_key', value: 'K', reason: 7 },
      ['kind', 'ip'],
      'null',
      '{"kind": ',
    ];
    for (const body of bad) {
      const { status, json } = await admin('POST', '/blocklist', body);
      assert.equal(status, 400, `${JSON.stringify(body)} → ${status} ${JSON.stringify(json)}`);
      assert.equal(typeof json['error'], 'string');
    }
    await block({ kind: 'license_key', value: 'DUP' });
    const duplicate = await admin('POST', '/blocklist', { kind: 'license_key', value: ' DUP' });
    assert.equal(duplicate.status, 409);
    assert.equal(typeof duplicate.json['error'], 'string');
    for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999']) {
      assert.equal((await admin('DELETE', `/blocklist/${id}`)).status, 400, id);
    }
  });

  it('needs the admin token', async () => {
    const res = await fetch(`${server.url}/admin/api/blocklist`);
    assert.equal(res.status, 401);
  });
});

describe('tally block (the built CLI) on the server\'s store', () => {
  it('adds, lists and removes entries; the running server sees them within the registry cache TTL', async () => {
    const added = await runCli(['block', 'add', '--ip', '10.50.0.0/24', '--reason', 'cli', '--json', ...server.cliStoreArgs]);
    assert.equal(added.code, 0, added.stderr);
    const entry = JSON.parse(added.stdout) as BlockEntry;
    assert.deepEqual({ ...entry, id: 0, created_at: '' }, { id: 0, kind: 'ip', value: '10.50.0.0/24', product_id: null, reason: 'cli', ignore_case: false, created_at: '' });
    await eventually(async () => (await send(report(), '10.50.0.9')).response.code === 150);

    const listed = await runCli(['block', 'list', '--json', ...server.cliStoreArgs]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok((JSON.parse(listed.stdout) as { entries: BlockEntry[] }).entries.some((e) => e.id === entry.id));
    const text = await runCli(['block', 'list', ...server.cliStoreArgs]);
    assert.match(text.stdout, new RegExp(`^${entry.id}\\tip\\t10\\.50\\.0\\.0/24\\texact\\tevery product\\t`, 'm'));

    const removed = await runCli(['block', 'remove', String(entry.id), ...server.cliStoreArgs]);
    assert.equal(removed.code, 0, removed.stderr);
    await eventually(async () => (await send(report(), '10.50.0.9')).response.code === 830);
  });

  it('scopes --user-identifier and --license-key to --product, and says what it did', async () => {
    const user = await runCli(['block', 'add', '--user-identifier', 'cli-user', '--product', String(server.seed.productB), ...server.cliStoreArgs]);
    assert.equal(user.code, 0, user.stderr);
    assert.match(user.stdout, new RegExp(`Blocked user_identifier "cli-user" for product ${server.seed.productB} \\(entry \\d+\\)\\.`));
    const license = await runCli(['block', 'add', '--license-key', 'CLI-LIC', '--json', ...server.cliStoreArgs]);
    assert.equal((JSON.parse(license.stdout) as BlockEntry).kind, 'license_key');
  });

  it('refuses bad input with exit code 1 (or 2 for usage) and a message', async () => {
    const cases: [string[], RegExp][] = [
      [['block', 'add', '--ip', 'nope'], /not an IP address or CIDR/],
      [['block', 'add'], /exactly one of --ip, --user-identifier, --license-key/],
      [['block', 'add', '--ip', '10.0.0.1', '--license-key', 'K'], /exactly one of/],
      [['block', 'add', '--license-key', 'K', '--product', '424242'], /Product 424242 does not exist/],
      [['block', 'remove', '999999'], /No blocklist entry 999999/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli([...args, ...server.cliStoreArgs]);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
      assert.match(result.stderr, message);
    }
    const twice = await runCli(['block', 'add', '--license-key', 'CLI-TWICE', ...server.cliStoreArgs]);
    assert.equal(twice.code, 0);
    const again = await runCli(['block', 'add', '--license-key', 'CLI-TWICE', ...server.cliStoreArgs]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
    assert.equal((await runCli(['block', 'remove', 'abc', ...server.cliStoreArgs])).code, 2);
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
