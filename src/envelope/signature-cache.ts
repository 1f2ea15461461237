/** Answers longer than this (pages of records) are signed every time: they rarely repeat. */
const MAX_CACHED_PAYLOAD = 256 * 1024;
/**
 * What one generation may hold, in UTF-16 code units charged per entry (see `cost`): 8 Mi units,
 * at most ~16 MiB of strings per generation, two generations alive.
 */
const MAX_GENERATION_UNITS = 8 * 1024 * 1024;

/** One remembered answer: its signing, and the envelope once the signing has finished. */
interface Entry {
  signing: Promise<string>;
  envelope: string | null;
}

/** One second's signed answers: key id → signed bytes → envelope. */
type Generation = Map<string, Map<string, Entry>>;

/**
 * Remembers recent signed answers (the whole envelope, per signing key id and keyed by the bytes
 * signed) so that the same bytes are never signed, nor encoded, twice with one key, and an
 * envelope signed with one key is never handed out for another (e.g. after a rotation). Answers
 * carry a timestamp in seconds, so identical answers cluster within one second: two generations
 * (this second and the one before) are enough. Memory stays bounded by `maxEntries` and by
 * `maxUnits` per generation, whatever the answers' sizes.
 * In-flight signings are shared too, so a burst of identical answers costs one signature; a
 * batch's answer (25 KB for 500 accepted reports) repeats as often as single reports' do, and an
 * RSA-4096 signature costs ~4.6 ms of CPU, so those are remembered as well.
 */
export class SignatureCache {
  private current: Generation = new Map();
  private previous: Generation = new Map();
  private currentEntries = 0;
  private currentUnits = 0;
  private currentSecond = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxUnits = MAX_GENERATION_UNITS,
  ) {}

  /** The signed form of `payload` with the key `keyId`, from the cache or from `sign`. */
  get(payload: string, keyId: string, nowMs: number, sign: (payload: string) => Promise<string>): Promise<string> {
    if (payload.length > MAX_CACHED_PAYLOAD) return sign(payload);
    const cached = this.#entry(payload, keyId, nowMs);
    if (cached) {
      this.hits++;
      return cached.signing;
    }
    this.misses++;
    const signing = sign(payload);
    const units = cost(payload);
    if (this.currentEntries < this.maxEntries && this.currentUnits + units <= this.maxUnits) {
      let forKey = this.current.get(keyId);
      if (forKey === undefined) {
        forKey = new Map();
        this.current.set(keyId, forKey);
      }
      const entry: Entry = { signing, envelope: null };
      forKey.set(payload, entry);
      this.currentEntries++;
      this.currentUnits += units;
      // A failed signing must not be remembered.
      const entries = forKey;
      signing.then((envelope) => {
        entry.envelope = envelope;
      }, () => entries.delete(payload));
    }
    return signing;
  }

  /**
   * The signed form of `payload` with `keyId` when it is remembered and its signing has finished,
   * at once; null otherwise (then `get`). Most answers repeat within the second, so this spares
   * them the promise and its turns of the microtask queue.
   */
  signed(payload: string, keyId: string, nowMs: number): string | null {
    if (payload.length > MAX_CACHED_PAYLOAD) return null;
    const envelope = this.#entry(payload, keyId, nowMs)?.envelope ?? null;
    if (envelope !== null) this.hits++;
    return envelope;
  }

  #entry(payload: string, keyId: string, nowMs: number): Entry | undefined {
    this.rotate(Math.floor(nowMs / 1000));
    return this.current.get(keyId)?.get(payload) ?? this.previous.get(keyId)?.get(payload);
  }

  private rotate(second: number): void {
    if (second === this.currentSecond) return;
    this.previous = second === this.currentSecond + 1 ? this.current : new Map();
    this.current = new Map();
    this.currentEntries = 0;
    this.currentUnits = 0;
    this.currentSecond = second;
  }
}

/**
 * What remembering `payload` holds, in UTF-16 code units: the key itself and the envelope, which
 * repeats the response twice (plain and base64, ≈ 2.4 × its length) plus a signature of up to
 * 684 characters (RSA-4096) and the envelope's other fields.
 */
function cost(payload: string): number {
  return payload.length * 4 + 1024;
}
