const DAY_MS = 86_400_000;

/** Most API keys tracked in a day; past it the key tracked longest is forgotten (its count starts over). */
export const MAX_TRACKED_KEYS = 100_000;

export interface QuotaLimits {
  /** Reports per key per UTC day; 0 = no limit. */
  reportsPerDay: number;
  /** Bytes of stored values per key per UTC day; 0 = no limit. */
  bytesPerDay: number;
}

interface Usage {
  reports: number;
  bytes: number;
}

/** Whether a write fits the key's quota; when not, how long until the day ends and the quota starts over. */
export type QuotaDecision = { ok: true; undo(): void } | { ok: false; retryAfterSeconds: number };

/**
 * Per-API-key daily quotas (`--quota-reports-per-key-per-day`, `--quota-bytes-per-key-per-day`,
 * both off by default): what one key may store per UTC day, counted in this process. A write
 * that would pass either limit is refused whole (a batch is all or none) and counts nothing.
 * Memory is bounded: counts are for the current day only (dropped when it ends) and for at most
 * MAX_TRACKED_KEYS keys. With several instances each counts its own writes, so N instances let a
 * key store up to N times its quota (docs/operations.md).
 */
export class KeyQuota {
  readonly #limits: QuotaLimits;
  readonly #now: () => number;
  readonly #usage = new Map<number, Usage>();
  #day = -1;

  constructor(limits: QuotaLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  get countsBytes(): boolean {
    return this.#limits.bytesPerDay > 0;
  }

  /** Counts `reports` reports of `bytes` for the key if both fit today's quota. */
  take(apiKeyId: number, reports: number, bytes: number): QuotaDecision {
    const nowMs = this.#now();
    const usage = this.#usageOf(apiKeyId, Math.floor(nowMs / DAY_MS));
    if (!this.#fits(usage, reports, bytes)) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((DAY_MS - (nowMs % DAY_MS)) / 1000)) };
    usage.reports += reports;
    usage.bytes += bytes;
    const day = this.#day;
    return {
      ok: true,
      undo: () => {
        if (this.#day !== day) return;
        usage.reports -= reports;
        usage.bytes -= bytes;
      },
    };
  }

  #fits(usage: Usage, reports: number, bytes: number): boolean {
    const { reportsPerDay, bytesPerDay } = this.#limits;
    if (reportsPerDay > 0 && usage.reports + reports > reportsPerDay) return false;
    return bytesPerDay === 0 || usage.bytes + bytes <= bytesPerDay;
  }

  #usageOf(apiKeyId: number, day: number): Usage {
    if (day !== this.#day) {
      this.#usage.clear();
      this.#day = day;
    }
    let usage = this.#usage.get(apiKeyId);
    if (usage === undefined) {
      if (this.#usage.size >= MAX_TRACKED_KEYS) this.#usage.delete(this.#usage.keys().next().value as number);
      usage = { reports: 0, bytes: 0 };
      this.#usage.set(apiKeyId, usage);
    }
    return usage;
  }
}
