/**
 * A growable array of doubles: 8 bytes a value, where a JS array of rows would take ~10× that.
 * The SQLite summary's aggregates and the per-version series collect values in it.
 */
export class Doubles {
  values: Float64Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.values = new Float64Array(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  /** The values, sorted ascending, in place. */
  sorted(): Float64Array {
    return this.values.subarray(0, this.length).sort();
  }
}
