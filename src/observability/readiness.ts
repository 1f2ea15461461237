import type { GroupCommitter } from '../ingest/group-commit.js';
import type { ReadReplicaStatus } from '../store/contract/read-replicas.js';
import type { Store } from '../store/contract/store.js';

/** What readiness looks at: the store, the group committer and how large a backlog may grow. */
export interface ReadinessDeps {
  store: Pick<Store, 'ping'> & Partial<Pick<Store, 'readReplicas'>>;
  committer: Pick<GroupCommitter, 'health' | 'depth'>;
  config: { commitMaxBatch: number };
}

export interface ReadinessReport {
  ready: boolean;
  checks: { store: string; writer: string; shutdown: string };
  /**
   * Only with read replicas configured: how each stands. Informative: a replica behind or down
   * never makes the instance unready, since the primary then serves its reads.
   */
  replicas?: readonly ReadReplicaStatus[];
}

const PING_TIMEOUT_MS = 2000;
/** A commit failure this recent, with no success since, means the writer cannot store reports. */
const FAILURE_MEMORY_MS = 30_000;

/**
 * Whether this instance should get traffic: not shutting down, the store answers a trivial
 * query within 2 s, the last commit did not fail (unless one succeeded since or it is older
 * than 30 s), and the commit queue holds no more than ten full groups. Read replicas, when
 * configured, are listed but do not count: the primary serves the reads of any that is out.
 */
export async function readiness(deps: ReadinessDeps, closing: boolean, nowMs = Date.now()): Promise<ReadinessReport> {
  const store = await pingWithin(deps.store.ping(), PING_TIMEOUT_MS);
  const { lastOkMs, lastFailureMs } = deps.committer.health;
  const backlog = deps.committer.depth;
  const maxBacklog = deps.config.commitMaxBatch * 10;
  let writer = 'ok';
  if (lastFailureMs > lastOkMs && nowMs - lastFailureMs < FAILURE_MEMORY_MS) writer = 'the last commit failed';
  else if (backlog > maxBacklog) writer = `backed up: ${backlog} reports waiting (more than ${maxBacklog})`;
  const shutdown = closing ? 'shutting down' : 'ok';
  const report: ReadinessReport = { ready: store === 'ok' && writer === 'ok' && shutdown === 'ok', checks: { store, writer, shutdown } };
  const replicas = deps.store.readReplicas?.() ?? [];
  return replicas.length === 0 ? report : { ...report, replicas };
}

async function pingWithin(ping: Promise<void>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${ms} ms`), ms);
  });
  try {
    return await Promise.race([ping.then(() => 'ok'), timeout]);
  } catch (error) {
    return `unreachable: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}
