const MAX_CACHED_PAYLOAD = 4096;

/**
 * Remembers recent signed answers (the whole envelope, keyed by the id of the signing key and
 * the bytes signed) so that the same bytes are never signed, nor encoded, twice with one key,
 * and an envelope signed with one key is never handed out for another (e.g. after a rotation). Answers carry a
 * timestamp in seconds, so identical answers cluster within one second: two generations
 * (this second and the one before) are enough, and memory stays bounded by `maxEntries`.
 * In-flight signings are shared too, so a burst of identical answers costs one signature.
 */
export class SignatureCache {
  private current = new Map<string, Promise<string>>();
  private previous = new Map<string, Promise<string>>();
  private currentSecond = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries = 10_000) {}

  /** The signed form of `payload` with the key `keyId`, from the cache or from `sign`. */
  get(payload: string, keyId: string, nowMs: number, sign: (payload: string) => Promise<string>): Promise<string> {
    // Large answers (pages of records) rarely repeat; remembering them would only cost memory.
    if (payload.length > MAX_CACHED_PAYLOAD) return sign(payload);
    this.rotate(Math.floor(nowMs / 1000));
    const entry = `${keyId}\n${payload}`;
    const cached = this.current.get(entry) ?? this.previous.get(entry);
    if (cached) {
      this.hits++;
      return cached;
    }
    this.misses++;
    const signing = sign(payload);
    if (this.current.size < this.maxEntries) this.current.set(entry, signing);
    // A failed signing must not be remembered.
    signing.catch(() => this.current.delete(entry));
    return signing;
  }

  private rotate(second: number): void {
    if (second === this.currentSecond) return;
    this.previous = second === this.currentSecond + 1 ? this.current : new Map();
    this.current = new Map();
    this.currentSecond = second;
  }
}
