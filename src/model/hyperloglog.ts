import { hash64 } from './hash64.js';

/**
 * A HyperLogLog sketch of a set of texts (the install sketches: docs/decisions/0034-install-sketches.md):
 * 2^12 registers (standard error 1.04/√4096 ≈ 1.6 %), a 64-bit hash (hash64.ts), Ertl's improved
 * estimator (no bias table, no switch between linear counting and the raw estimate). Small sets
 * are kept sparse, HLL++ style: each hash's first 25 bits and the rank of the other 39, counted
 * by linear counting over 2^25 slots, so a set of up to ~1,000 texts counts exactly but for a rare
 * collision. Register-wise max merges sketches: a union of days is the sketch of the union.
 *
 * Stored bytes (the same on SQLite and PostgreSQL, and made by the upgrade's SQL too):
 * - sparse: byte 1, then one big-endian uint32 per slot, `slot << 6 | rank` (rank 1–40), slots ascending;
 * - dense: byte 2, then 4,096 registers of one byte (rank 0–53).
 */
export const HLL_PRECISION = 12;
export const HLL_REGISTERS = 1 << HLL_PRECISION;
/** The sparse form's slot bits (HLL++'s p′) and the rank bits left after them. */
const SLOT_BITS = 25;
const REST_BITS = 64 - SLOT_BITS;
const SLOTS = 2 ** SLOT_BITS;
/** Slots kept sparse at most: past this the dense registers (4 KiB) are smaller. */
export const SPARSE_MAX = 1024;
const SPARSE = 1;
const DENSE = 2;
/** Highest register value: the 52 bits after the register's 12, all zero. */
const MAX_RANK = 64 - HLL_PRECISION + 1;

/** A hash as a sparse entry: its first 25 bits, and the rank (leading zeros + 1) of the next 39. */
function entryOf(hi: number, lo: number): number {
  const top = hi & 0x7f;
  const rank = top !== 0 ? Math.clz32(top) - 24 : lo !== 0 ? 8 + Math.clz32(lo) : REST_BITS + 1;
  return (hi >>> 7) * 64 + rank;
}

/** A sparse entry's register and the rank it gives there: what adding its hash to dense registers does. */
function registerOf(entry: number): [number, number] {
  const slot = Math.floor(entry / 64);
  const low = slot & 0x1fff;
  const rank = low !== 0 ? Math.clz32(low) - 18 : 13 + (entry & 63);
  return [slot >>> (SLOT_BITS - HLL_PRECISION), rank];
}

/** The rank a stored sparse sketch (`count` entries after the form byte, slots ascending) holds for `slot`; 0 when none. */
function sparseRank(view: DataView, count: number, slot: number): number {
  let low = 0;
  let high = count - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const entry = view.getUint32(1 + 4 * middle);
    const at = Math.floor(entry / 64);
    if (at === slot) return entry & 63;
    if (at < slot) low = middle + 1;
    else high = middle - 1;
  }
  return 0;
}

export class HyperLogLog {
  /** Sparse: slot → rank; null once dense. */
  #sparse: Map<number, number> | null = new Map();
  #dense: Uint8Array | null = null;

  /** A sketch from its stored bytes (null or empty: the empty sketch). */
  static decode(bytes: Uint8Array | null): HyperLogLog {
    const sketch = new HyperLogLog();
    if (bytes !== null) sketch.mergeBytes(bytes);
    return sketch;
  }

  /**
   * Whether the stored sketch `bytes` already holds everything `other` would add to it, so that
   * merging would change nothing and the stored row need not be rewritten: the usual case of a
   * machine that reports many times a day. Read from the bytes (a binary search per entry of a
   * sparse `other`), not decoded; a dense `other` is never said to be covered.
   */
  static covers(bytes: Uint8Array, other: HyperLogLog): boolean {
    const entries = other.#sparse;
    if (entries === null) return false;
    if (entries.size === 0) return true;
    if (bytes.length === HLL_REGISTERS + 1 && bytes[0] === DENSE) {
      for (const [slot, rank] of entries) {
        const [register, value] = registerOf(slot * 64 + rank);
        if ((bytes[1 + register] as number) < value) return false;
      }
      return true;
    }
    if (bytes[0] !== SPARSE || (bytes.length - 1) % 4 !== 0) return false;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const [slot, rank] of entries) if (sparseRank(view, (bytes.length - 1) / 4, slot) < rank) return false;
    return true;
  }

  add(text: string): void {
    const [hi, lo] = hash64(text);
    this.#addEntry(entryOf(hi, lo));
  }

  get isEmpty(): boolean {
    return this.#sparse !== null && this.#sparse.size === 0;
  }

  /** Adds every text of another sketch. */
  merge(other: HyperLogLog): void {
    if (other.#dense !== null) this.#mergeRegisters(other.#dense, 0);
    else for (const [slot, rank] of other.#sparse as Map<number, number>) this.#addEntry(slot * 64 + rank);
  }

  /** Adds every text of a stored sketch, without decoding it to an object first. */
  mergeBytes(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (bytes[0] === DENSE && bytes.length === HLL_REGISTERS + 1) {
      this.#mergeRegisters(bytes, 1);
      return;
    }
    if (bytes[0] !== SPARSE || (bytes.length - 1) % 4 !== 0) throw new Error('not a Tally HyperLogLog sketch');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 1; at < bytes.length; at += 4) this.#addEntry(view.getUint32(at));
  }

  /** The estimated number of distinct texts added, rounded. */
  estimate(): number {
    if (this.#sparse !== null) {
      const n = this.#sparse.size;
      return Math.round(n === 0 ? 0 : -SLOTS * Math.log1p(-n / SLOTS));
    }
    return Math.round(ertlEstimate(this.#dense as Uint8Array));
  }

  encode(): Buffer {
    if (this.#dense !== null) {
      const bytes = Buffer.allocUnsafe(HLL_REGISTERS + 1);
      bytes[0] = DENSE;
      bytes.set(this.#dense, 1);
      return bytes;
    }
    const sparse = this.#sparse as Map<number, number>;
    const slots = [...sparse.keys()].sort((a, b) => a - b);
    const bytes = Buffer.allocUnsafe(1 + 4 * slots.length);
    bytes[0] = SPARSE;
    for (let i = 0; i < slots.length; i++) bytes.writeUInt32BE((slots[i] as number) * 64 + (sparse.get(slots[i] as number) as number), 1 + 4 * i);
    return bytes;
  }

  #addEntry(entry: number): void {
    if (this.#sparse !== null) {
      const slot = Math.floor(entry / 64);
      const rank = entry & 63;
      if ((this.#sparse.get(slot) ?? 0) < rank) this.#sparse.set(slot, rank);
      if (this.#sparse.size > SPARSE_MAX) this.#toDense();
      return;
    }
    const [register, rank] = registerOf(entry);
    const dense = this.#dense as Uint8Array;
    if ((dense[register] as number) < rank) dense[register] = rank;
  }

  #mergeRegisters(registers: Uint8Array, offset: number): void {
    if (this.#dense === null) this.#toDense();
    const dense = this.#dense as Uint8Array;
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const rank = registers[offset + i] as number;
      if (rank > (dense[i] as number)) dense[i] = rank;
    }
  }

  #toDense(): void {
    const dense = new Uint8Array(HLL_REGISTERS);
    for (const [slot, rank] of this.#sparse as Map<number, number>) {
      const [register, value] = registerOf(slot * 64 + rank);
      if ((dense[register] as number) < value) dense[register] = value;
    }
    this.#sparse = null;
    this.#dense = dense;
  }
}

/** Otmar Ertl, "New cardinality estimation algorithms for HyperLogLog sketches" (2017), algorithm 6. */
function ertlEstimate(registers: Uint8Array): number {
  const m = HLL_REGISTERS;
  const counts = new Array<number>(MAX_RANK + 1).fill(0);
  for (let i = 0; i < m; i++) counts[registers[i] as number]! += 1;
  const q = MAX_RANK - 1;
  let z = m * tau(1 - (counts[q + 1] as number) / m);
  for (let k = q; k >= 1; k--) z = 0.5 * (z + (counts[k] as number));
  z += m * sigma((counts[0] as number) / m);
  return (m * m) / (2 * Math.LN2 * z);
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  for (;;) {
    x *= x;
    const previous = z;
    z += x * y;
    y += y;
    if (z === previous) return z;
  }
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const previous = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
    if (z === previous) return z / 3;
  }
}
