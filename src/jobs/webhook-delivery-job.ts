import type { AttemptResult, ClaimedDelivery } from '../model/webhooks.js';
import { DAY_US } from '../model/clock.js';
import { TALLY_VERSION } from '../model/version.js';
import { webhookSignature } from '../registry/webhook-signature.js';
import type { WebhookStore } from '../store/contract/webhook-store.js';
import { attemptOutcome } from './webhook-retry.js';

/** Delivered and given-up events (and their attempts) are kept this long, then pruned. */
const KEEP_FINISHED_US = 30 * DAY_US;
const PRUNE_EVERY_MS = 3_600_000;
/** The most of an error's text kept in the delivery log. */
const MAX_ERROR_LENGTH = 500;

export interface WebhookDeliveryOptions {
  timeoutMs: number;
  leaseMs: number;
  pollMs: number;
  concurrency: number;
  retryBaseMs: number;
  /** Where failures and give-ups are logged. */
  log: (line: string) => void;
  /** The clock, in µs; tests move it. */
  nowUs?: () => number;
  giveUpAfterUs?: number;
}

export interface WebhookDeliveryJob {
  /** Resolves when no delivery is in flight and no poll is running. */
  idle(): Promise<void>;
  /** Stops polling and waits for the deliveries in flight (each bounded by the timeout). */
  stop(): Promise<void>;
}

/**
 * The delivery worker (docs/webhooks.md): every `pollMs` it claims due outbox rows, at most as
 * many as it has free slots of `concurrency` (so memory stays bounded by that), for `leaseMs`,
 * and POSTs each event's body, signed, with a timeout and no redirects followed. A 2xx marks the
 * row delivered, after the answer (at least once: a crash between the two sends the same event
 * id again); anything else is retried with backoff until 24 h after the event, then given up.
 * A failure to reach the database is logged; the claim's lease runs out and the row is sent again.
 */
export function startWebhookDelivery(webhooks: WebhookStore, options: WebhookDeliveryOptions): WebhookDeliveryJob {
  const nowUs = options.nowUs ?? ((): number => Date.now() * 1000);
  const inFlight = new Set<Promise<void>>();
  let polling: Promise<void> | null = null;
  let stopped = false;

  const deliver = async (claim: ClaimedDelivery): Promise<void> => {
    const result = await attempt(claim, options, nowUs);
    if (result.outcome.kind === 'given_up') options.log(`webhook: gave up event ${claim.event_id} (${claim.type}) to endpoint ${claim.endpoint_id} after ${claim.attempts + 1} attempts`);
    await webhooks.recordAttempt(result).catch((error: unknown) => options.log(`webhook: could not record an attempt of event ${claim.event_id}: ${String(error)}`));
  };
  const start = (claim: ClaimedDelivery): void => {
    const running: Promise<void> = deliver(claim).finally(() => {
      inFlight.delete(running);
      if (!stopped) poll();
    });
    inFlight.add(running);
  };
  const claimAndStart = async (): Promise<void> => {
    const free = options.concurrency - inFlight.size;
    if (free <= 0 || stopped) return;
    try {
      const claims = await webhooks.claimDue({ nowUs: nowUs(), leaseUs: options.leaseMs * 1000, limit: free });
      for (const claim of claims) start(claim);
    } catch (error) {
      options.log(`webhook: could not claim deliveries: ${String(error)}`);
    }
  };
  const poll = (): void => {
    polling ??= claimAndStart().finally(() => {
      polling = null;
    });
  };
  const prune = (): void => {
    webhooks.pruneFinished(nowUs() - KEEP_FINISHED_US).catch((error: unknown) => options.log(`webhook: pruning the delivery log failed: ${String(error)}`));
  };
  const timer = setInterval(poll, options.pollMs);
  timer.unref();
  const pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
  pruneTimer.unref();
  poll();
  prune();

  const idle = async (): Promise<void> => {
    while (polling !== null || inFlight.size > 0) await Promise.allSettled([polling, ...inFlight]);
  };
  return {
    idle,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      clearInterval(pruneTimer);
      await idle();
    },
  };
}

/** One POST of one event: its outcome, never a throw. */
async function attempt(claim: ClaimedDelivery, options: WebhookDeliveryOptions, nowUs: () => number): Promise<AttemptResult> {
  const startedUs = nowUs();
  const started = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(claim.url, {
      method: 'POST',
      body: claim.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': `Tally-Webhooks/${TALLY_VERSION}`,
        'x-tally-event-id': claim.event_id,
        'x-tally-signature': webhookSignature(claim.secret, claim.body, Math.floor(startedUs / 1_000_000)),
      },
    });
    status = response.status;
    await response.body?.cancel().catch(() => undefined);
  } catch (caught) {
    error = describeFailure(caught, options.timeoutMs);
  }
  const outcome = attemptOutcome({
    status, attempt: claim.attempts + 1, nowUs: nowUs(), createdAtUs: claim.created_at_us, baseMs: options.retryBaseMs,
    ...(options.giveUpAfterUs === undefined ? {} : { giveUpAfterUs: options.giveUpAfterUs }),
  });
  return {
    outbox_id: claim.outbox_id, claim: claim.claim, attempted_at_us: startedUs, status, error,
    duration_ms: Math.round(performance.now() - started), outcome,
  };
}

/** A failed request in a few words: a timeout, or the network error's code (ECONNREFUSED) and message. */
function describeFailure(caught: unknown, timeoutMs: number): string {
  if (caught instanceof DOMException && caught.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  if (!(caught instanceof Error)) return String(caught).slice(0, MAX_ERROR_LENGTH);
  const cause = caught.cause instanceof Error ? caught.cause : null;
  const code = cause !== null && 'code' in cause ? String(cause.code) : '';
  return [code, cause?.message ?? caught.message].filter((part) => part !== '').join(': ').slice(0, MAX_ERROR_LENGTH);
}
