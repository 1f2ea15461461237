import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { ReadinessReport } from '../../src/observability/readiness.js';
import type { ReadReplicaStatus } from '../../src/store/contract/read-replicas.js';
import { replicaLabel } from '../../src/store/postgres/replica-link.js';
import { form, post, startTestServer, type TestServer } from '../http/test-server.js';
import { makeStreamingReplica, type StreamingReplica } from '../pg-replica.js';
import { POSTGRES_REQUIRED, postgresUnreachableReason } from '../postgres-helpers.js';
import { describeWhenReachable } from '../service-gate.js';

/*
 * Read replicas end to end: a real streaming standby of the test PostgreSQL (made and removed
 * here), Tally servers over real HTTP reading from it. Reports are sent to the primary through
 * send-telemetry-data and read back through get-telemetry-data and /admin/api/records.
 */

let replica: StreamingReplica | undefined;

/** Null once the replica runs; otherwise why it could not be made (a failure in CI). */
async function replicaUnavailable(): Promise<string | null> {
  const reason = await postgresUnreachableReason();
  if (reason !== null) return reason;
  try {
    replica = await makeStreamingReplica();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function theReplica(): StreamingReplica {
  if (replica === undefined) throw new Error('no replica');
  return replica;
}

let groups = 0;
function freshGroup(): string {
  return `replica-group-${++groups}`;
}

async function send(server: TestServer, group: string): Promise<void> {
  const body = form({
    api_key: server.seed.keys.full, product_id: String(server.seed.productA), user_identifier: 'u1', license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 'x', data_group: group,
  });
  const answer = await post(`${server.url}/api/v1/send-telemetry-data`, body, 'application/x-www-form-urlencoded');
  assert.equal(answer.response.code, 830, answer.text);
}

/** How many records of the group get-telemetry-data, /admin/api/records and /admin/api/summary see; all must answer 200. */
async function visible(server: TestServer, group: string): Promise<{ api: number; admin: number; summary: number }> {
  const query = new URLSearchParams({ api_key: server.seed.keys.full, data_group: group }).toString();
  const api = await fetch(`${server.url}/api/v1/get-telemetry-data?${query}`);
  assert.equal(api.status, 200);
  const apiBody = (await api.json()) as { response: { code: number; data: unknown[] } };
  const admin = await fetch(`${server.url}/admin/api/records?data_group=${group}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  assert.equal(admin.status, 200);
  const adminBody = (await admin.json()) as { records: unknown[] };
  const summary = await fetch(`${server.url}/admin/api/summary?product_id=${server.seed.productA}&data_group=${group}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  assert.equal(summary.status, 200);
  const summaryBody = (await summary.json()) as { text: { count: number } };
  return { api: apiBody.response.data.length, admin: adminBody.records.length, summary: summaryBody.text.count };
}

async function readyz(server: TestServer): Promise<{ status: number; report: ReadinessReport; replica: ReadReplicaStatus }> {
  const res = await fetch(`${server.url}/readyz`);
  const report = (await res.json()) as ReadinessReport;
  const status = report.replicas?.[0];
  assert.ok(status !== undefined, 'readyz lists the replica');
  return { status: res.status, report, replica: status };
}

/** One gauge of /metrics for the replica, or null when absent. */
async function replicaGauge(server: TestServer, name: string): Promise<number | null> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const prefix = `${name}{replica="${replicaLabel(theReplica().url)}"} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? null : Number(line.slice(prefix.length));
}

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const inUse = (server: TestServer): Promise<unknown> => until('the replica in use', () => readyz(server), (r) => r.replica.state === 'in-use');

await describeWhenReachable(
  'read replicas on PostgreSQL',
  replicaUnavailable(),
  POSTGRES_REQUIRED,
  'set TEST_DATABASE_URL, and allow replication connections from 127.0.0.1 in pg_hba.conf as .ci/run does (TALLY_TEST_REQUIRE_POSTGRES=1 makes this a failure)',
  () => {
    /** Bound of a minute: reads stay on the replica however far behind it is. */
    let patient: TestServer;
    /** Bound of 300 ms: a replica that stops replaying is soon left out. */
    let strict: TestServer;
    /** Lag checked only once, at start: only a failing read can take the replica out. */
    let unchecked: TestServer;

    before(async () => {
      const readDatabaseUrl = [theReplica().url];
      patient = await startTestServer({ readDatabaseUrl, readMaxLagMs: 60_000 }, { backend: 'postgres', store: { readCheckIntervalMs: 100 } });
      strict = await startTestServer({ readDatabaseUrl, readMaxLagMs: 300 }, { backend: 'postgres', store: { readCheckIntervalMs: 100 } });
      unchecked = await startTestServer({ readDatabaseUrl }, { backend: 'postgres', store: { readCheckIntervalMs: 600_000 } });
      await Promise.all([inUse(patient), inUse(strict), inUse(unchecked)]);
    });
    after(async () => {
      await replica?.resumeReplay().catch(() => undefined);
      for (const server of [patient, strict, unchecked]) await server?.close();
      await replica?.remove();
    });

    it('reads a report acknowledged on the primary from the replica once it has replayed it', async () => {
      const group = freshGroup();
      await send(patient, group);
      await until('the report on the replica', () => visible(patient, group), (v) => v.api === 1 && v.admin === 1 && v.summary === 1);
      const { status, report, replica: shown } = await readyz(patient);
      assert.equal(status, 200);
      assert.equal(report.ready, true);
      assert.equal(shown.state, 'in-use');
      assert.ok(shown.lag_ms !== null && shown.lag_ms < 1000, `lag ${String(shown.lag_ms)} ms`);
      assert.doesNotMatch(shown.replica, /password|:[^/@]*@/);
      assert.equal(await replicaGauge(patient, 'tally_replica_up'), 1);
      assert.equal(await replicaGauge(patient, 'tally_replica_in_use'), 1);
    });

    it('with replay paused, reads go to the lagging replica within the bound, and to the primary past it', async () => {
      await theReplica().pauseReplay();
      try {
        const onPatient = freshGroup();
        const onStrict = freshGroup();
        await send(patient, onPatient);
        await send(strict, onStrict);
        // The patient server reads the replica, which has not replayed the report: it is not there.
        assert.deepEqual(await visible(patient, onPatient), { api: 0, admin: 0, summary: 0 });
        const lagging = await until('the lag to grow', () => readyz(patient), (r) => (r.replica.lag_ms ?? 0) > 500);
        assert.equal(lagging.status, 200);
        assert.equal(lagging.replica.state, 'in-use');
        assert.ok(((await replicaGauge(patient, 'tally_replica_lag_seconds')) ?? 0) > 0.5);
        assert.deepEqual(await visible(patient, onPatient), { api: 0, admin: 0, summary: 0 });
        // The strict server leaves the replica out past 300 ms and reads the primary: the report is there.
        const behind = await until('the replica behind', () => readyz(strict), (r) => r.replica.state === 'behind');
        assert.equal(behind.status, 200);
        assert.equal(behind.report.ready, true);
        assert.equal(await replicaGauge(strict, 'tally_replica_in_use'), 0);
        assert.equal(await replicaGauge(strict, 'tally_replica_up'), 1);
        assert.deepEqual(await visible(strict, onStrict), { api: 1, admin: 1, summary: 1 });
        await theReplica().resumeReplay();
        await until('the report replayed', () => visible(patient, onPatient), (v) => v.api === 1 && v.admin === 1 && v.summary === 1);
        await inUse(strict);
        const caughtUp = await readyz(patient);
        assert.ok(caughtUp.replica.lag_ms !== null && caughtUp.replica.lag_ms < 1000, `lag ${String(caughtUp.replica.lag_ms)} ms`);
      } finally {
        await theReplica().resumeReplay();
      }
    });

    it('a replica that dies: reads fall back to the primary with no error, /readyz stays ready and shows it down, and it is used again once back', async () => {
      const group = freshGroup();
      await send(unchecked, group);
      await send(patient, group);
      await theReplica().stop('immediate');
      try {
        // No check runs on this server after its first: only the failed read took the replica out,
        // and the read itself was answered from the primary.
        assert.deepEqual(await visible(unchecked, group), { api: 1, admin: 1, summary: 1 });
        const marked = await readyz(unchecked);
        assert.equal(marked.status, 200);
        assert.equal(marked.replica.state, 'down');
        assert.equal(marked.replica.lag_ms, null);
        const down = await until('the replica down', () => readyz(patient), (r) => r.replica.state === 'down');
        assert.equal(down.status, 200);
        assert.equal(down.report.ready, true);
        assert.ok(down.replica.error !== null);
        assert.equal(await replicaGauge(patient, 'tally_replica_up'), 0);
        assert.equal(await replicaGauge(patient, 'tally_replica_lag_seconds'), null);
        for (let i = 0; i < 5; i++) assert.deepEqual(await visible(patient, group), { api: 1, admin: 1, summary: 1 });
      } finally {
        await theReplica().start();
      }
      await inUse(patient);
      // In use again: with replay paused, a new report is not visible, so the read went to the replica.
      await theReplica().pauseReplay();
      const afterRestart = freshGroup();
      await send(patient, afterRestart);
      assert.deepEqual(await visible(patient, afterRestart), { api: 0, admin: 0, summary: 0 });
      await theReplica().resumeReplay();
      await until('the report replayed', () => visible(patient, afterRestart), (v) => v.api === 1 && v.admin === 1 && v.summary === 1);
    });
  },
);

