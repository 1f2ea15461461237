const MAX_CACHED_PAYLOAD = 4096;

/** One second's signed answers: key id → signed bytes → envelope. */
type Generation = Map<string, Map<string, Promise<string>>>;

/**
 * Remembers recent signed answers (the whole envelope, per signing key id and keyed by the bytes
 * signed) so that the same bytes are never signed, nor encoded, twice with one key, and an
 * envelope signed with one key is never handed out for another (e.g. after a rotation). Answers
 * carry a timestamp in seconds, so identical answers cluster within one second: two generations
 * (this second and the one before) are enough, and memory stays bounded by `maxEntries`.
 * In-flight signings are shared too, so a burst of identical answers costs one signature.
 */
export class SignatureCache {
  private current: Generation = new Map();
  private previous: Generation = new Map();
  private currentSize = 0;
  private currentSecond = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries = 10_000) {}

  /** The signed form of `payload` with the key `keyId`, from the cache or from `sign`. */
  get(payload: string, keyId: string, nowMs: number, sign: (payload: string) => Promise<string>): Promise<string> {
    // Large answers (pages of records) rarely repeat; remembering them would only cost memory.
    if (payload.length > MAX_CACHED_PAYLOAD) return sign(payload);
    this.rotate(Math.floor(nowMs / 1000));
    let forKey = this.current.get(keyId);
    const cached = forKey?.get(payload) ?? this.previous.get(keyId)?.get(payload);
    if (cached) {
      this.hits++;
      return cached;
    }
    this.misses++;
    const signing = sign(payload);
    if (this.currentSize < this.maxEntries) {
      if (forKey === undefined) {
        forKey = new Map();
        this.current.set(keyId, forKey);
      }
      forKey.set(payload, signing);
      this.currentSize++;
      // A failed signing must not be remembered.
      const entries = forKey;
      signing.catch(() => entries.delete(payload));
    }
    return signing;
  }

  private rotate(second: number): void {
    if (second === this.currentSecond) return;
    this.previous = second === this.currentSecond + 1 ? this.current : new Map();
    this.current = new Map();
    this.currentSize = 0;
    this.currentSecond = second;
  }
}
