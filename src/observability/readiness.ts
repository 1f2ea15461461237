import type { GroupCommitter } from '../ingest/group-commit.js';
import type { Store } from '../store/contract/store.js';

/** What readiness looks at: the store, the group committer and how large a backlog may grow. */
export interface ReadinessDeps {
  store: Pick<Store, 'ping'>;
  committer: Pick<GroupCommitter, 'health' | 'depth'>;
  config: { commitMaxBatch: number };
}

export interface ReadinessReport {
  ready: boolean;
  checks: { store: string; writer: string; shutdown: string };
}

const PING_TIMEOUT_MS = 2000;
/** A commit failure this recent, with no success since, means the writer cannot store reports. */
const FAILURE_MEMORY_MS = 30_000;

/**
 * Whether this instance should get traffic: not shutting down, the store answers a trivial
 * query within 2 s, the last commit did not fail (unless one succeeded since or it is older
 * than 30 s), and the commit queue holds no more than ten full groups.
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
  return { ready: store === 'ok' && writer === 'ok' && shutdown === 'ok', checks: { store, writer, shutdown } };
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
