import { MAX_CHARTED_VERSIONS, type VersionCount, type VersionPoint, type VersionSeries } from '../../model/version-series.js';
import { Doubles } from './doubles.js';
import { nearestRank } from './percentile.js';

/**
 * Versions in the order every backend ranks them: no version first, then byte order of the
 * UTF-8 text (PostgreSQL's `COLLATE "C" NULLS FIRST`, SQLite's BINARY).
 */
export function compareVersions(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Most reported first, ties by version (compareVersions). */
export function byCountThenVersion(a: VersionCount, b: VersionCount): number {
  return b.count - a.count || compareVersions(a.product_version, b.product_version);
}

/**
 * `TelemetryStore.versionSeries` from the single values fed one at a time, in any order: counts
 * every version, keeps the values of those that may be charted (the named ones, or every one
 * until the most reported are known), then sorts each (version, bucket) once for its exact
 * nearest-rank p50 and p90. Pure, so a backend that hands values to JavaScript (SQLite's
 * aggregate) answers exactly what PostgreSQL's SQL answers. Memory: 8 bytes per value kept.
 */
export class VersionSeriesBuilder {
  readonly #named: readonly string[] | null;
  readonly #kept: ReadonlySet<string> | null;
  readonly #counts = new Map<string | null, number>();
  readonly #values = new Map<string | null, Map<number, Doubles>>();

  constructor(named: readonly string[] | null) {
    this.#named = named;
    this.#kept = named === null ? null : new Set(named);
  }

  add(version: string | null, bucketStartUs: number, value: number): void {
    this.#counts.set(version, (this.#counts.get(version) ?? 0) + 1);
    if (this.#kept !== null && (version === null || !this.#kept.has(version))) return;
    let buckets = this.#values.get(version);
    if (buckets === undefined) this.#values.set(version, (buckets = new Map()));
    let values = buckets.get(bucketStartUs);
    if (values === undefined) buckets.set(bucketStartUs, (values = new Doubles(8))); // starting small: a version may have many buckets
    values.push(value);
  }

  result(listed: number): VersionSeries {
    const all = [...this.#counts].map(([product_version, count]) => ({ product_version, count })).sort(byCountThenVersion);
    const charted = this.#named === null
      ? all.slice(0, MAX_CHARTED_VERSIONS)
      : this.#named.map((version) => ({ product_version: version, count: this.#counts.get(version) ?? 0 }));
    return { distinct_versions: all.length, top: all.slice(0, listed), charted, points: charted.flatMap((c) => this.#points(c.product_version)) };
  }

  #points(version: string | null): VersionPoint[] {
    const buckets = [...(this.#values.get(version) ?? new Map<number, Doubles>())].sort(([a], [b]) => a - b);
    return buckets.map(([bucket, doubles]) => {
      const sorted = doubles.sorted();
      const at = (percent: number): number => sorted[nearestRank(percent, sorted.length) - 1] ?? NaN;
      return { product_version: version, bucket_start_us: bucket, count: sorted.length, p50: at(50), p90: at(90) };
    });
  }
}
