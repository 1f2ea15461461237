import { CutOffList } from './cut-off-list.js';
import type { UsableKeys } from './usable-keys.js';
import type { HeldState, RateCounter } from './window-counter.js';

/**
 * The limit on failed authentication per client IP (docs/security.md, "Key guessing"). Only
 * failures are counted (answers 100–103), so requests with a usable key never use up an IP's
 * allowance. Once an IP has failed `limit` times in a window it is cut off until the window
 * ends: its requests are refused before authentication unless the key they present is a usable
 * one (UsableKeys), so a guesser no longer reaches the registry while a fleet behind the same NAT
 * keeps reporting. The failure count may live in Redis (shared by every instance); the cut-off
 * is kept in this process (CutOffList).
 */
export class FailedAuthLimit {
  private readonly cutOff: CutOffList;

  constructor(
    private readonly failures: RateCounter,
    private readonly usableKeys: UsableKeys,
    cutOff?: CutOffList,
  ) {
    this.cutOff = cutOff ?? new CutOffList();
  }

  /**
   * `ip` is the client's group (ipGroup): every address of one IPv6 network fails together.
   * Before authentication: milliseconds until `ip` may try again when it is cut off and `secret`
   * is not a usable key (refuse the request), else null (authenticate it).
   */
  async refusal(ip: string, secret: string | null): Promise<number | null> {
    const remainingMs = this.cutOff.remainingMs(ip);
    if (remainingMs === null) return null;
    if (secret !== null && secret !== '' && (await this.usableKeys.has(secret))) return null;
    return remainingMs;
  }

  /** What the cut-off list holds in this process. */
  held(): HeldState {
    return this.cutOff.held();
  }

  /**
   * Counts a failed authentication of `ip`: milliseconds until the window ends when this failure
   * is past the limit (answer 104 instead of the failure's code), else null. The failure that
   * reaches the limit is answered with its own code and cuts the IP off.
   */
  async failed(ip: string): Promise<number | null> {
    const hit = await this.failures.hit(ip);
    if (hit.remaining === 0) this.cutOff.add(ip, hit.resetMs);
    return hit.allowed ? null : hit.resetMs;
  }
}
