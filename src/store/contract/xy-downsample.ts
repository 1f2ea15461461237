import type { XyPoint } from '../../model/summary.js';

/**
 * Min/max downsampling of xy points, fed one point at a time in any order: the x range
 * [minX, maxX] is cut into `buckets` equal widths (bucket = floor((x − minX) / width), the
 * maximum in the last) and each bucket keeps its lowest and its highest point (the first seen
 * on ties). Spikes and dips survive, which averaging or sampling would flatten; memory is two
 * points per bucket, whatever the number of points. Pure, so every backend downsamples alike.
 */
export class MinMaxBuckets {
  readonly #minX: number;
  readonly #width: number;
  readonly #low: (XyPoint | undefined)[];
  readonly #high: (XyPoint | undefined)[];

  constructor(minX: number, maxX: number, buckets: number) {
    this.#minX = minX;
    this.#width = (maxX - minX) / buckets;
    this.#low = new Array<XyPoint | undefined>(buckets).fill(undefined);
    this.#high = new Array<XyPoint | undefined>(buckets).fill(undefined);
  }

  add(x: number, y: number, createdAtUs: number): void {
    const last = this.#low.length - 1;
    const bucket = this.#width > 0 ? Math.min(last, Math.max(0, Math.floor((x - this.#minX) / this.#width))) : 0;
    const low = this.#low[bucket];
    const high = this.#high[bucket];
    if (low !== undefined && high !== undefined && y >= low.y && y <= high.y) return;
    const point = { x, y, created_at_us: createdAtUs };
    if (low === undefined || y < low.y) this.#low[bucket] = point;
    if (high === undefined || y > high.y) this.#high[bucket] = point;
  }

  /** At most two points per bucket, ordered by x (then y). */
  points(): XyPoint[] {
    const points: XyPoint[] = [];
    for (let i = 0; i < this.#low.length; i++) {
      const low = this.#low[i];
      const high = this.#high[i];
      if (low === undefined || high === undefined) continue;
      if (low === high) points.push(low);
      else points.push(...[low, high].sort((a, b) => a.x - b.x || a.y - b.y));
    }
    return points;
  }
}
