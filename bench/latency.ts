/**
 * Sub-millisecond latency percentiles. autocannon's own histogram keeps whole milliseconds,
 * which reads "0 ms" for a fast server; its `response` event carries the float duration.
 */
export class LatencyRecorder {
  private values = new Float64Array(1 << 16);
  private size = 0;

  /** How many durations were recorded. */
  get count(): number {
    return this.size;
  }

  record(ms: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = ms;
  }

  /** The p-th percentile (0–100) by nearest rank, or 0 when nothing was recorded. */
  percentiles(...ps: number[]): number[] {
    const sorted = this.values.slice(0, this.size).sort();
    return ps.map((p) => (sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0)));
  }
}
