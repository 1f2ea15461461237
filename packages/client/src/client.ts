import { backoffMs, type RetryOptions } from './backoff.js';
import { importPublicKey, TallyVerificationError, type PinnedKey, type VerifiedResponse } from './envelope.js';
import { MemoryQueueStorage, type QueueStorage } from './queue-storage.js';
import { toQueued, type QueuedReport, type TelemetryReport } from './reports.js';
import { exchange, type Exchange, type TransportOptions } from './transport.js';
import { attachExitFlush } from './exit-flush.js';
import { outcomesOf, type SendOutcome } from './outcomes.js';

export type { SendOutcome } from './outcomes.js';

export const SINGLE_PATH = '/api/v1/send-telemetry-data';
export const BATCH_PATH = '/api/v1/send-telemetry-data-batch';

export interface TallyClientOptions {
  /** e.g. `https://telemetry.example.com` */
  baseUrl: string;
  apiKey: string;
  /** The public key(s) answers must be signed with (PEM, SPKI), as `tally keys public` prints. */
  publicKeys: string | readonly string[];
  /** Where the queue survives restarts; default in memory. Node: FileQueueStorage; browsers: IndexedDbQueueStorage or LocalStorageQueueStorage. */
  storage?: QueueStorage;
  /** Most reports queued; past it the oldest are dropped (default 10,000). */
  maxQueue?: number;
  /** Most reports per batch request (default 500, the server's default limit). */
  batchSize?: number;
  retry?: RetryOptions;
  /** Told when the queue bound dropped reports (oldest first), with the running total. */
  onDrop?: (dropped: readonly QueuedReport[], totalDropped: number) => void;
  /** Told about answers that failed verification (the reports stay queued). */
  onError?: (error: Error) => void;
  /**
   * Send a fresh random nonce with every request and refuse (TallyNonceError) an answer whose
   * signed response does not carry it, so an answer recorded for another request cannot be
   * replayed to this one. Default true; turn off only for a Tally server without nonce support
   * (it would keep the nonce as report metadata and never echo it).
   */
  requireNonce?: boolean;
  /** Flush on process exit (`beforeExit`) or page hide; default true. */
  flushOnExit?: boolean;
  /** For tests: a fetch and a random source. */
  fetch?: typeof fetch;
  random?: () => number;
}

type Waiter = { resolve: (outcome: SendOutcome) => void; reject: (error: Error) => void };

/**
 * Sends telemetry to Tally so that nothing is lost while offline and nothing is stored twice:
 * every report gets an event_id and is persisted in the queue before it is sent; it leaves the
 * queue only on a verified final answer. One sender runs at a time; whatever is queued goes out
 * in batches. Network errors, 5xx and 429 are retried with backoff (429 and 503 not before their
 * Retry-After); an unverifiable answer is an error and the report stays queued.
 */
export class TallyClient {
  readonly #options: TallyClientOptions;
  readonly #storage: QueueStorage;
  readonly #transport: TransportOptions;
  readonly #waiters = new Map<string, Waiter>();
  #keys: Promise<readonly PinnedKey[]> | null = null;
  #queue: QueuedReport[] = [];
  #loaded: Promise<void>;
  #storageOps: Promise<void> = Promise.resolve();
  #pumping: Promise<void> | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #attempt = 0;
  #dropped = 0;
  #closed = false;
  #detachExit: (() => void) | null = null;

  constructor(options: TallyClientOptions) {
    this.#options = options;
    this.#storage = options.storage ?? new MemoryQueueStorage();
    this.#transport = {
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      keys: () => this.#pinnedKeys(),
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      requireNonce: options.requireNonce ?? true,
    };
    this.#loaded = this.#storage.load().then((reports) => {
      this.#queue = [...reports, ...this.#queue];
    });
    if (options.flushOnExit !== false) this.#detachExit = attachExitFlush(() => this.flush({ keepalive: true }));
  }

  /** Reports waiting to be sent (after the stored queue has loaded). */
  async pending(): Promise<readonly QueuedReport[]> {
    await this.#loaded;
    return [...this.#queue];
  }

  /** How many reports the queue bound has dropped since this client started. */
  get dropped(): number {
    return this.#dropped;
  }

  /**
   * Queues a report (persisted first) and sends it with whatever else is queued. Resolves with
   * its outcome: sent, rejected, or still queued. Rejects with TallyVerificationError when the
   * answer could not be verified, or TallyNonceError (a TallyVerificationError) when it was not
   * made for this request (the report stays queued and is retried).
   */
  async sendTelemetry(report: TelemetryReport): Promise<SendOutcome> {
    const queued = toQueued(report, () => crypto.randomUUID());
    const outcome = new Promise<SendOutcome>((resolve, reject) => this.#waiters.set(queued.event_id, { resolve, reject }));
    await this.#loaded;
    await this.#enqueue(queued);
    // While a retry is pending (offline), new reports just wait for it: backoff is not cut short.
    if (this.#retryTimer !== null) this.#settle(queued.event_id, { status: 'queued', eventId: queued.event_id, reason: 'waiting to retry' });
    else void this.#pump();
    return outcome;
  }

  /** Sends everything queued now (in batches); resolves when the queue is empty or sending had to stop. */
  async flush(options: { keepalive?: boolean } = {}): Promise<{ remaining: number }> {
    await this.#loaded;
    await this.#pump(options.keepalive ?? false);
    return { remaining: this.#queue.length };
  }

  /** Stops retry timers and exit hooks; queued reports stay in storage for the next client. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#detachExit?.();
    await this.#pumping;
    await this.#storageOps;
  }

  #pinnedKeys(): Promise<readonly PinnedKey[]> {
    const pems = typeof this.#options.publicKeys === 'string' ? [this.#options.publicKeys] : this.#options.publicKeys;
    this.#keys ??= Promise.all(pems.map(importPublicKey));
    return this.#keys;
  }

  /** Storage calls run one at a time, in call order. */
  #persist(op: () => Promise<void>): Promise<void> {
    const next = this.#storageOps.then(op);
    this.#storageOps = next.catch((error: unknown) => this.#options.onError?.(asError(error)));
    return next;
  }

  async #enqueue(report: QueuedReport): Promise<void> {
    this.#queue.push(report);
    const max = this.#options.maxQueue ?? 10_000;
    if (this.#queue.length <= max) return this.#persist(() => this.#storage.append([report]));
    const dropped = this.#queue.splice(0, this.#queue.length - max);
    this.#dropped += dropped.length;
    for (const gone of dropped) this.#settle(gone.event_id, { status: 'queued', eventId: gone.event_id, reason: 'dropped: queue full' });
    this.#options.onDrop?.(dropped, this.#dropped);
    const snapshot = [...this.#queue];
    return this.#persist(() => this.#storage.replace(snapshot));
  }

  /** The one sender: starts it, or joins the one running. */
  #pump(keepalive = false): Promise<void> {
    this.#pumping ??= this.#drain(keepalive).catch((error: unknown) => this.#options.onError?.(asError(error))).finally(() => {
      this.#pumping = null;
      // A report queued while the sender was finishing still goes out now.
      if (this.#queue.length > 0 && this.#retryTimer === null && !this.#closed) void this.#pump();
    });
    return this.#pumping;
  }

  async #drain(keepalive: boolean): Promise<void> {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    while (this.#queue.length > 0 && !this.#closed) {
      const batch = this.#queue.slice(0, this.#options.batchSize ?? 500);
      const ok = await this.#sendOnce(batch, keepalive);
      if (!ok) return;
      this.#attempt = 0;
    }
  }

  /** Sends one group; false when sending must stop for now (a retry is scheduled). */
  async #sendOnce(batch: readonly QueuedReport[], keepalive: boolean): Promise<boolean> {
    const result = batch.length === 1
      ? await exchange(this.#transport, SINGLE_PATH, JSON.stringify(batch[0]), 'application/json', keepalive)
      : await exchange(this.#transport, BATCH_PATH, batch.map((r) => JSON.stringify(r)).join('\n'), 'application/x-ndjson', keepalive);
    if (result.kind === 'answer') return this.#onAnswer(batch, result.response);
    this.#stopAndRetry(batch, result);
    return false;
  }

  async #onAnswer(batch: readonly QueuedReport[], response: VerifiedResponse): Promise<boolean> {
    const outcomes = outcomesOf(batch, response);
    if (outcomes === null) {
      // A whole batch refused (400/413: e.g. a server with a lower batch limit): send its reports one by one.
      if (batch.length > 1) return this.#sendSingly(batch);
      this.#stopAndRetry(batch, { kind: 'unverified', error: new TallyVerificationError(`Unexpected answer code ${response.code}.`) });
      return false;
    }
    await this.#remove(batch);
    batch.forEach((report, i) => this.#settle(report.event_id, outcomes[i]!));
    return true;
  }

  async #sendSingly(batch: readonly QueuedReport[]): Promise<boolean> {
    for (const report of batch) if (!(await this.#sendOnce([report], false))) return false;
    return true;
  }

  #stopAndRetry(batch: readonly QueuedReport[], result: Exclude<Exchange, { kind: 'answer' }>): void {
    if (result.kind === 'unverified') {
      this.#options.onError?.(result.error);
      for (const report of batch) this.#fail(report.event_id, result.error);
    }
    const reason = result.kind === 'retry' ? result.reason : result.error.message;
    for (const report of this.#queue) this.#settle(report.event_id, { status: 'queued', eventId: report.event_id, reason });
    const wait = Math.max(result.kind === 'retry' ? (result.retryAfterMs ?? 0) : 0, backoffMs(this.#attempt++, this.#options.retry ?? {}, this.#options.random));
    if (this.#closed) return;
    this.#retryTimer = setTimeout(() => void this.#pump(), wait);
    // In Node, a pending retry must not keep the process alive (the queue is persisted; exit flushes once).
    (this.#retryTimer as { unref?: () => void }).unref?.();
  }

  async #remove(sent: readonly QueuedReport[]): Promise<void> {
    const gone = new Set(sent);
    this.#queue = this.#queue.filter((report) => !gone.has(report));
    const snapshot = [...this.#queue];
    await this.#persist(() => this.#storage.replace(snapshot));
  }

  #settle(eventId: string, outcome: SendOutcome): void {
    this.#waiters.get(eventId)?.resolve(outcome);
    this.#waiters.delete(eventId);
  }

  #fail(eventId: string, error: Error): void {
    this.#waiters.get(eventId)?.reject(error);
    this.#waiters.delete(eventId);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
