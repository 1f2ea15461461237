import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CommitObserver } from '../ingest/group-commit.js';
import type { NewTelemetryRecord } from '../model/record.js';
import type { ReadReplicaStatus } from '../store/contract/read-replicas.js';

/** Label sets of `answers` counted between scrapes: routes, statuses and codes are all few, so this is a guard, not a limit. */
const MAX_ANSWER_LABEL_SETS = 10_000;

/** What the metrics read from the running app when scraped. */
export interface MetricsSources {
  /** Reports waiting for or in a commit. */
  queueDepth: () => number;
  /** The read replicas as last checked (Store.readReplicas); none when absent. */
  replicas?: () => readonly ReadReplicaStatus[];
}

/** What one piece of per-client rate-limit state holds in this process. */
export interface HeldRateLimitState {
  /** perIp, perKey, perKeyAndIp, failedAuth or cutOff. */
  name: string;
  entries: number;
  /** Bytes of its keys and values (not the map's own overhead). */
  bytes: number;
}

const LATENCY_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * Tally's Prometheus metrics, in a registry of their own (not prom-client's global one, so
 * several apps in one process, as in the tests, do not collide). Served at `/metrics`;
 * docs/operations.md says what to alert on.
 */
export class Metrics implements CommitObserver {
  readonly registry = new Registry();
  private readonly answers: Counter<'route' | 'status' | 'code'>;
  /** Answers counted since the last scrape, by label set: added to `answers` when it is collected. */
  private readonly unscraped = new Map<string, { labels: { route: string; status: string; code: string }; count: number }>();
  private readonly ingestSeconds: Histogram;
  private readonly commitRecords: Histogram;
  private readonly commitSeconds: Histogram;
  private readonly commitFailures: Counter;
  private readonly stored: Counter<'flagged' | 'format'>;
  private rateLimitState: () => readonly HeldRateLimitState[] = () => [];

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'tally_' });
    const unscraped = this.unscraped;
    this.answers = new Counter({
      name: 'tally_http_answers_total',
      help: 'Answers sent, by route, HTTP status and API answer code (0 when the answer was not an API envelope).',
      labelNames: ['route', 'status', 'code'],
      registers,
      collect() {
        for (const { labels, count } of unscraped.values()) this.inc(labels, count);
        unscraped.clear();
      },
    });
    this.ingestSeconds = new Histogram({
      name: 'tally_ingest_duration_seconds',
      help: 'Time from request to answer of send-telemetry-data, commit included.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.commitRecords = new Histogram({ name: 'tally_commit_batch_records', help: 'Reports per committed group.', buckets: BATCH_BUCKETS, registers });
    this.commitSeconds = new Histogram({ name: 'tally_commit_duration_seconds', help: 'Time one group commit took.', buckets: LATENCY_BUCKETS, registers });
    this.commitFailures = new Counter({ name: 'tally_commit_failures_total', help: 'Group commits the store refused (their reports were answered 503 unless a retry stored them).', registers });
    this.stored = new Counter({
      name: 'tally_reports_stored_total',
      help: 'Reports committed, by whether any red flag was set and whether the format was correct.',
      labelNames: ['flagged', 'format'],
      registers,
    });
    this.rateLimitGauges(registers);
    replicaGauges(registers, sources.replicas ?? (() => []));
    new Gauge({
      name: 'tally_commit_queue_depth',
      help: 'Reports waiting for or in a commit.',
      registers,
      collect() {
        this.set(sources.queueDepth());
      },
    });
  }

  /** Where the rate-limit state gauges read from (the app's rate limits, once built). */
  watchRateLimits(read: () => readonly HeldRateLimitState[]): void {
    this.rateLimitState = read;
  }

  /** One answer sent; `code` is the envelope code, or 0 for answers outside /api/v1. */
  answered(route: string, status: number, code: number): void {
    // Counted here and added at the scrape: prom-client hashes the labels on every inc, which cost more than the count.
    const key = `${route} ${status} ${code}`;
    const pending = this.unscraped.get(key);
    if (pending !== undefined) pending.count++;
    else if (this.unscraped.size < MAX_ANSWER_LABEL_SETS) this.unscraped.set(key, { labels: { route, status: String(status), code: String(code) }, count: 1 });
    else this.answers.inc({ route, status: String(status), code: String(code) });
  }

  ingestTook(seconds: number): void {
    this.ingestSeconds.observe(seconds);
  }

  committed(records: readonly NewTelemetryRecord[], seconds: number): void {
    this.commitRecords.observe(records.length);
    this.commitSeconds.observe(seconds);
    let flagged = 0;
    let incorrect = 0;
    for (const record of records) {
      flagged += record.has_red_flags;
      incorrect += 1 - record.is_correct_format;
    }
    // Most groups are all-clean or all-flagged; count by the two labels without a call per record.
    this.countStored(records, flagged, incorrect);
  }

  commitFailed(): void {
    this.commitFailures.inc();
  }

  private rateLimitGauges(registers: Registry[]): void {
    const read = (): readonly HeldRateLimitState[] => this.rateLimitState();
    new Gauge({
      name: 'tally_rate_limit_state_entries',
      help: 'Entries held in this process per piece of per-client rate-limit state (bounded; see docs/security.md).',
      labelNames: ['state'],
      registers,
      collect() {
        for (const held of read()) this.set({ state: held.name }, held.entries);
      },
    });
    new Gauge({
      name: 'tally_rate_limit_state_bytes',
      help: 'Bytes of keys and values held in this process per piece of per-client rate-limit state.',
      labelNames: ['state'],
      registers,
      collect() {
        for (const held of read()) this.set({ state: held.name }, held.bytes);
      },
    });
  }

  private countStored(records: readonly NewTelemetryRecord[], flagged: number, incorrect: number): void {
    if ((flagged === 0 || flagged === records.length) && (incorrect === 0 || incorrect === records.length)) {
      this.stored.inc({ flagged: flagged === 0 ? 'false' : 'true', format: incorrect === 0 ? 'correct' : 'incorrect' }, records.length);
      return;
    }
    for (const record of records) {
      this.stored.inc({ flagged: record.has_red_flags === 1 ? 'true' : 'false', format: record.is_correct_format === 1 ? 'correct' : 'incorrect' });
    }
  }

  /** The exposition text for `/metrics`. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/**
 * `tally_replica_up` (1 when the replica answered its last check), `tally_replica_in_use` (1 when
 * reads go to it) and `tally_replica_lag_seconds` (its replay lag; absent while it is down), each
 * labelled with the replica's URL without password (docs/operations.md, "Read replicas").
 */
function replicaGauges(registers: Registry[], read: () => readonly ReadReplicaStatus[]): void {
  new Gauge({
    name: 'tally_replica_up',
    help: 'Read replicas: 1 when the replica answered its last lag check, 0 when it is down.',
    labelNames: ['replica'],
    registers,
    collect() {
      for (const status of read()) this.set({ replica: status.replica }, status.state === 'down' ? 0 : 1);
    },
  });
  new Gauge({
    name: 'tally_replica_in_use',
    help: 'Read replicas: 1 when reads go to the replica, 0 when it is behind (over --read-max-lag-ms) or down.',
    labelNames: ['replica'],
    registers,
    collect() {
      for (const status of read()) this.set({ replica: status.replica }, status.state === 'in-use' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tally_replica_lag_seconds',
    help: 'Read replicas: time a commit acknowledged on the primary takes to be replayed on the replica, as last measured (absent while down).',
    labelNames: ['replica'],
    registers,
    collect() {
      this.reset();
      for (const status of read()) if (status.lag_ms !== null) this.set({ replica: status.replica }, status.lag_ms / 1000);
    },
  });
}
