import assert from 'node:assert/strict';
import { NO_AUDIT } from '../audit-helpers.js';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { readiness } from '../../src/observability/readiness.js';
import { createApiKey } from '../../src/registry/api-keys.js';
import { GroupCommitter } from '../../src/ingest/group-commit.js';
import { openStore } from '../../src/store/open-store.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import { CLI } from './cli-runner.js';
import { form, post, SQLITE_ONLY, startTestServer, type TestServer } from './test-server.js';

function report(server: TestServer, overrides: Record<string, string> = {}): string {
  return form({
    api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: 'u1', license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 'x', data_group: 'g', ...overrides,
  });
}

/** The value of one sample line of a Prometheus exposition, or null when absent. */
function sample(text: string, name: string, labels = ''): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('health and readiness', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('GET /healthz answers 200 {"status":"ok"} with no key', async () => {
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('GET /readyz answers 200 with every check ok while the store answers and commits succeed', async () => {
    const res = await fetch(`${server.url}/readyz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ready: true, checks: { store: 'ok', writer: 'ok', shutdown: 'ok' } });
  });
});

describe('readiness of a store that went away', { skip: SQLITE_ONLY }, () => {
  it('reports the store unreachable and the writer failing once a commit failed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-ready-'));
    const config = loadConfig({ dataDir }, {});
    const store = await openStore(config);
    const committer = new GroupCommitter(store.telemetry, { maxBatch: 10, windowMs: 0 });
    assert.equal((await readiness({ store, committer, config }, false)).ready, true);
    await store.close();
    await assert.rejects(committer.append({} as NewTelemetryRecord));
    const report = await readiness({ store, committer, config }, false);
    assert.equal(report.ready, false);
    assert.match(report.checks.store, /^unreachable: /);
    assert.equal(report.checks.writer, 'the last commit failed');
    assert.equal((await readiness({ store, committer, config }, true)).checks.shutdown, 'shutting down');
  });
});

describe('request ids', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('echoes a plain X-Request-Id from the caller, on API answers too', async () => {
    const answer = await post(`${server.url}/api/v1/send-telemetry-data`, report(server), 'application/x-www-form-urlencoded', { 'x-request-id': 'lb-1234.abc' });
    assert.equal(answer.response.code, 830);
    assert.equal(answer.headers.get('x-request-id'), 'lb-1234.abc');
  });

  it('replaces a missing or unsafe X-Request-Id with a fresh id of its own, on every path', async () => {
    const ids = new Set<string>();
    for (const header of [undefined, 'has spaces and "quotes"', 'x'.repeat(65)]) {
      const headers: Record<string, string> = header === undefined ? {} : { 'x-request-id': header };
      const health = await fetch(`${server.url}/healthz`, { headers });
      const ingest = await post(`${server.url}/api/v1/send-telemetry-data`, report(server), 'application/x-www-form-urlencoded', headers);
      for (const res of [health, ingest]) {
        const id = res.headers.get('x-request-id') ?? '';
        // A process prefix and a count, both plain tokens that the SAFE_ID rule would accept back.
        assert.match(id, /^[A-Za-z0-9_-]{8}-[0-9a-z]+$/);
        ids.add(id);
      }
    }
    assert.equal(ids.size, 6);
  });
});

describe('Prometheus metrics at /metrics', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('counts answers by route, status and code, stored reports by flag and format, and commits', async () => {
    const route = '{route="/api/v1/send-telemetry-data",status="200",code="';
    const before = await (await fetch(`${server.url}/metrics`)).text();
    assert.equal(sample(before, 'tally_http_answers_total', `${route}830"}`), null);
    for (let i = 0; i < 3; i++) assert.equal((await post(`${server.url}/api/v1/send-telemetry-data`, report(server), 'application/x-www-form-urlencoded')).response.code, 830);
    const flagged = await post(`${server.url}/api/v1/send-telemetry-data`, report(server, { license_key: 'MADE-UP', data_type: 'nope' }), 'application/x-www-form-urlencoded');
    assert.equal(flagged.response.code, 831);
    const bad = await post(`${server.url}/api/v1/send-telemetry-data`, report(server, { api_key: 'tly_wrong' }), 'application/x-www-form-urlencoded');
    assert.equal(bad.response.code, 100);

    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.equal(sample(text, 'tally_http_answers_total', `${route}830"}`), 3);
    assert.equal(sample(text, 'tally_http_answers_total', `${route}831"}`), 1);
    assert.equal(sample(text, 'tally_http_answers_total', '{route="/api/v1/send-telemetry-data",status="401",code="100"}'), 1);
    assert.equal(sample(text, 'tally_reports_stored_total', '{flagged="false",format="correct"}'), 3);
    assert.equal(sample(text, 'tally_reports_stored_total', '{flagged="true",format="incorrect"}'), 1);
    assert.equal(sample(text, 'tally_ingest_duration_seconds_count'), 5);
    const commits = sample(text, 'tally_commit_batch_records_count') ?? 0;
    assert.ok(commits >= 1 && commits <= 4, `commits ${commits}`);
    assert.equal(sample(text, 'tally_commit_batch_records_sum'), 4);
    assert.equal(sample(text, 'tally_commit_queue_depth'), 0);
    assert.equal(sample(text, 'tally_commit_failures_total'), 0);
    assert.ok((sample(text, 'tally_process_resident_memory_bytes') ?? 0) > 0, 'process metrics are there');
    assert.ok(sample(text, 'tally_nodejs_eventloop_lag_p99_seconds') !== null, 'event-loop delay is there');
  });

  it('is absent with --metrics false', async () => {
    const quiet = await startTestServer({ metrics: false });
    try {
      assert.equal((await fetch(`${quiet.url}/metrics`)).status, 404);
    } finally {
      await quiet.close();
    }
  });
});

/** Starts `tally serve` with per-request logs and collects its stdout. */
async function serveWithLogs(dataDir: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--log-level', 'info', '--log-requests', 'true'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += String(chunk);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const check = (): void => {
      const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
      else setTimeout(check, 20);
    };
    check();
    child.once('exit', () => reject(new Error(`tally serve exited early: ${output}`)));
  });
  return { child, url, output: () => output };
}

describe('structured request logs', { skip: SQLITE_ONLY }, () => {
  it('logs JSON lines with the request id, and no API key from the query, the header or the body', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-logs-'));
    const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'FULL' });
    const { secret } = await createApiKey(store.registry, { name: 'logs', capabilities: ['send_telemetry', 'get_telemetry'] }, NO_AUDIT);
    await store.close();
    const { child, url, output } = await serveWithLogs(dataDir);
    try {
      await fetch(`${url}/api/v1/get-telemetry-data?api_key=${secret}&limit=1`, { headers: { 'x-request-id': 'req-query' } });
      await fetch(`${url}/api/v1/get-telemetry-data?limit=1`, { headers: { authorization: `Bearer ${secret}`, 'x-request-id': 'req-header' } });
      await fetch(`${url}/api/v1/send-telemetry-data`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'req-body' }, body: form({ api_key: secret, data_type: 'text' }),
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    const lines = output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const id of ['req-query', 'req-header', 'req-body']) {
      assert.ok(lines.some((l) => l['reqId'] === id && l['msg'] === 'request completed'), `a completed line for ${id}`);
    }
    const queryLine = lines.find((l) => l['reqId'] === 'req-query' && l['msg'] === 'incoming request');
    assert.deepEqual(queryLine?.['req'], { method: 'GET', path: '/api/v1/get-telemetry-data', remoteAddress: '127.0.0.1' }, 'no query string, headers or body');
    assert.ok(!output().includes(secret), 'the secret appears nowhere in the log');
  });
});
