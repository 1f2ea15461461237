import type { ClientIpMode } from '../model/client-ip-mode.js';
import { dayKey, storedClientIp } from './stored-client-ip.js';
import { boundedMemo } from '../model/bounded-memo.js';

const DAY_US = 86_400_000_000;

/**
 * What ingest stores of a client address under the install's mode (docs/privacy.md), built once at
 * start (client-ip-setting.ts). In `hashed` mode it keeps the current UTC day's key, derived once
 * a day from the secret.
 */
export class ClientIpPolicy {
  readonly mode: ClientIpMode;
  readonly #secret: Buffer | null;
  #day = -1;
  #key: Buffer | null = null;
  /** The stored value of each recently seen address, for the day `#storedDay` (the hashed mode's key changes daily). */
  #stored: (ip: string) => string | null;
  #storedDay = -1;

  /** `secret` is needed (and only read) in `hashed` mode. */
  constructor(mode: ClientIpMode, secret: Buffer | null = null) {
    if (mode === 'hashed' && secret === null) throw new Error('hashed client IPs need the install\'s secret');
    this.mode = mode;
    this.#secret = secret;
    this.#stored = this.#memo();
  }

  /** The value to store for a report received at `nowUs` from `ip`. */
  stored(ip: string, nowUs: number): string | null {
    if (this.mode === 'full') return ip;
    const day = Math.floor(nowUs / DAY_US);
    if (day !== this.#storedDay) [this.#stored, this.#storedDay] = [this.#memo(), day];
    return this.#stored(ip);
  }

  /** storedClientIp remembered per address: truncating or hashing parses the address each time. */
  #memo(): (ip: string) => string | null {
    return boundedMemo((ip) => storedClientIp(this.mode, ip, () => this.#keyOf(this.#storedDay)));
  }

  #keyOf(day: number): Buffer {
    if (day !== this.#day || this.#key === null) {
      this.#key = dayKey(this.#secret ?? Buffer.alloc(0), new Date(day * 86_400_000).toISOString().slice(0, 10));
      this.#day = day;
    }
    return this.#key;
  }
}
