import http from 'node:http';

/** Who to send to and as whom. */
export interface LoadTarget {
  apiKey: string;
  productId: number;
}

/** A report's fields besides the marker, by its number in the run (`crash_marker` is added to them). */
export type ReportFields = (n: number) => Record<string, string>;

/** What the clients saw. A marker is acknowledged when its answer was 830 or 831 (alone or as an item of an 840). */
export interface LoadTally {
  acknowledged: string[];
  /** Answers by HTTP status + code, e.g. `200/830`, `503/503`. */
  answers: Map<string, number>;
  /** 503 answers without a Retry-After header (must stay 0). */
  missingRetryAfter: number;
  /** Requests that got no answer: refused, reset, timed out. */
  connectionErrors: number;
  sent: number;
}

const REQUEST_TIMEOUT_MS = 20_000;

/** An answer as the clients read it; `items` holds the per-report codes of an 840. */
interface Answer {
  status: number;
  code: number;
  retryAfter: string | undefined;
  items: number[];
}

/**
 * `clients` concurrent keep-alive clients sending reports as fast as they are answered, each
 * report with a unique marker (the extra field `crash_marker`, stored in the record's metadata).
 * A report that got no answer, or a 503, is not acknowledged; the client moves on to a new
 * marker (it never resends one, so a marker stored twice can only be the server's doing). With
 * `batchSize`, each request is a batch of that many reports (POST …-batch).
 */
export class Load {
  readonly tally: LoadTally = { acknowledged: [], answers: new Map(), missingRetryAfter: 0, connectionErrors: 0, sent: 0 };
  private url: URL | null = null;
  private stopped = false;
  private workers: Promise<void>[] = [];
  private next = 0;
  private readonly agent: http.Agent;
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  constructor(
    private readonly target: LoadTarget,
    private readonly clients: number,
    private readonly prefix: string,
    private readonly batchSize = 0,
    private readonly fields: ReportFields | null = null,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  }

  /** Points the clients at a (re)started server; null while there is none. */
  setUrl(url: string | null): void {
    this.url = url === null ? null : new URL(this.batchSize > 0 ? '/api/v1/send-telemetry-data-batch' : '/api/v1/send-telemetry-data', url);
  }

  start(): void {
    this.workers = Array.from({ length: this.clients }, () => this.worker());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.workers);
    this.agent.destroy();
  }

  /** How many answers had this `status/code`. */
  count(answer: string): number {
    return this.tally.answers.get(answer) ?? 0;
  }

  /** Resolves once `count` reports have been acknowledged in all; rejects after `timeoutMs`. */
  untilAcknowledged(count: number, timeoutMs: number): Promise<void> {
    if (this.tally.acknowledged.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.tally.acknowledged.length} of ${count} reports acknowledged within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private async worker(): Promise<void> {
    while (!this.stopped) {
      const url = this.url;
      if (url === null) {
        await pause(10);
        continue;
      }
      const markers = Array.from({ length: Math.max(1, this.batchSize) }, () => `${this.prefix}-${this.next++}`);
      const answer = await this.send(url, markers);
      if (answer === null) {
        this.tally.connectionErrors++;
        await pause(10);
        continue;
      }
      const key = `${answer.status}/${answer.code}`;
      this.tally.answers.set(key, (this.tally.answers.get(key) ?? 0) + 1);
      if (answer.code === 830 || answer.code === 831) this.acknowledge(markers[0] as string);
      else if (answer.code === 840) markers.forEach((marker, i) => answer.items[i] === 830 && this.acknowledge(marker));
      else if (answer.status === 503) {
        if (answer.retryAfter === undefined) this.tally.missingRetryAfter++;
        await pause(10);
      }
    }
  }

  private acknowledge(marker: string): void {
    this.tally.acknowledged.push(marker);
    const done = this.waiters.filter((w) => w.count <= this.tally.acknowledged.length);
    for (const waiter of done) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  private report(marker: string): Record<string, string> {
    if (this.fields !== null) return { ...this.fields(Number(marker.slice(marker.lastIndexOf('-') + 1))), crash_marker: marker };
    return {
      product_id: String(this.target.productId), user_identifier: `u-${marker}`, license_key: 'L-1', activation_identifier: 'A-1',
      product_version: '1.0.0', data_type: 'text', text_data: 'crash test', data_group: 'crash', crash_marker: marker,
    };
  }

  private send(url: URL, markers: readonly string[]): Promise<Answer | null> {
    this.tally.sent += markers.length;
    const batch = this.batchSize > 0;
    const body = batch
      ? JSON.stringify(markers.map((marker) => this.report(marker)))
      : new URLSearchParams({ api_key: this.target.apiKey, ...this.report(markers[0] as string) }).toString();
    const headers = batch
      ? { 'content-type': 'application/json', authorization: `Bearer ${this.target.apiKey}` }
      : { 'content-type': 'application/x-www-form-urlencoded' };
    return new Promise((resolve) => {
      const request = http.request(url, {
        method: 'POST', agent: this.agent, timeout: REQUEST_TIMEOUT_MS,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', () => resolve(null));
        response.on('close', () => {
          if (!response.complete) resolve(null);
        });
        response.on('end', () => {
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { response?: { code?: number; results?: { code: number }[] } };
            const retryAfter = response.headers['retry-after'];
            const items = (parsed.response?.results ?? []).map((result) => result.code);
            resolve({ status: response.statusCode ?? 0, code: parsed.response?.code ?? 0, retryAfter, items });
          } catch {
            resolve({ status: response.statusCode ?? 0, code: 0, retryAfter: undefined, items: [] });
          }
        });
      });
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', () => resolve(null));
      request.end(body);
    });
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
