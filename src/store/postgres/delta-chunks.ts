/** A range of buckets (one bucket, or one day) holding some rollup delta rows, and how many. */
export interface DeltaGroup {
  atUs: number;
  rows: number;
}

/** Buckets `loUs`..`hiUs` (inclusive) applied in one transaction; `nextUs`, where the next range starts. */
export interface DeltaChunk {
  loUs: number;
  hiUs: number;
  nextUs: number;
}

/**
 * The groups (ascending) joined into consecutive ranges of at most `maxRows` delta rows each, a
 * group never split (one larger than `maxRows` is a range alone). `spanUs`: how far a group reaches
 * from its start — 1 for one bucket, a day for a day's buckets.
 */
export function deltaChunks(groups: readonly DeltaGroup[], maxRows: number, spanUs: number): DeltaChunk[] {
  const chunks: DeltaChunk[] = [];
  let first: DeltaGroup | null = null;
  let last: DeltaGroup | null = null;
  let rows = 0;
  const close = (): void => {
    if (first !== null && last !== null) chunks.push({ loUs: first.atUs, hiUs: last.atUs + spanUs - 1, nextUs: last.atUs + spanUs });
  };
  for (const group of groups) {
    if (first !== null && rows + group.rows > maxRows) {
      close();
      first = null;
      rows = 0;
    }
    first ??= group;
    last = group;
    rows += group.rows;
  }
  close();
  return chunks;
}
