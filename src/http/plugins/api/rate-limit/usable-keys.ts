import type { ApiKey } from '../../../../model/registry.js';
import { apiKeyExpired, MAX_API_KEY_LENGTH } from '../../../../registry/api-keys.js';
import { hashSecret } from '../../../../registry/secrets.js';

/**
 * The hashes of the API keys that can authenticate now (not revoked, active, not expired), read
 * from the registry's list of keys at most once per `refreshMs` and only when asked: it lets a
 * cut-off IP's requests with a real key through to authentication without letting a guesser's
 * keys reach the registry. A key made since the last read is not known for up to `refreshMs`.
 */
export class UsableKeys {
  private hashes: ReadonlySet<string> | null = null;
  private readAt = -Infinity;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly listApiKeys: () => Promise<readonly ApiKey[]>,
    private readonly refreshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether `secret` is a usable key. True also when the registry cannot be read and nothing was
   * read before: authentication then answers as it would without this filter. A key longer than
   * any Tally issues is never usable, and is not hashed.
   */
  async has(secret: string): Promise<boolean> {
    if (secret.length > MAX_API_KEY_LENGTH) return false;
    if (this.now() - this.readAt >= this.refreshMs) await this.refresh();
    // Not the memoised hash of authentication: a guesser's keys must not crowd a fleet's out of it.
    return this.hashes === null || this.hashes.has(hashSecret(secret));
  }

  private refresh(): Promise<void> {
    this.reading ??= this.read().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async read(): Promise<void> {
    const nowMs = this.now();
    try {
      const keys = await this.listApiKeys();
      this.hashes = new Set(keys.filter((key) => !key.revoked && key.active && !apiKeyExpired(key, nowMs)).map((key) => key.secret_hash));
    } catch {
      // Keep what was read before (or nothing); try again after refreshMs.
    }
    this.readAt = nowMs;
  }
}
