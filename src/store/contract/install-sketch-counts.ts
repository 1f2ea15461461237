import { HyperLogLog } from '../../model/hyperloglog.js';
import { ALL_KEY, OTHER_KEY, type InstallsBy, type InstallsCounts, type InstallsInterval, type InstallsRequest } from '../../model/installs.js';

/** A stored sketch row of one (day, version, os); PostgreSQL may hold several per key until compacted. */
export interface InstallSketchRow {
  day: number;
  version: string;
  os: string;
  machines: Uint8Array | null;
  users: Uint8Array | null;
}

/**
 * Both kinds of rows as one statement (one snapshot) gives them: a sketch row (`part` 'sketch',
 * `fresh` 0) or a first-seen count (`part` 'first', sketches null, `fresh` the machines).
 */
export interface InstallSketchReadRow extends InstallSketchRow {
  part: 'sketch' | 'first';
  fresh: number;
}

/** The request's whole UTC days, as day numbers: the rows a sketched answer reads. */
export function sketchDays(request: Pick<InstallsRequest, 'fromUs' | 'toUs'>): { fromDay: number; toDay: number } {
  return { fromDay: Math.floor(request.fromUs / 86_400_000_000), toDay: Math.floor(request.toUs / 86_400_000_000) };
}

const isoDay = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** The bucket label of a UTC day: the day, its ISO week's Monday (day 0 was a Thursday), or its month. */
export function bucketOfDay(day: number, interval: InstallsInterval): string {
  if (interval === 'day') return isoDay(day);
  if (interval === 'week') return isoDay(day - ((day + 3) % 7));
  return isoDay(day).slice(0, 7);
}

function keyOf(row: { version: string; os: string }, by: InstallsBy): string {
  return by === 'version' ? row.version : by === 'os' ? row.os : ALL_KEY;
}

interface Cell {
  bucket: string;
  key: string;
  machines: HyperLogLog;
  users: HyperLogLog;
  fresh: number;
}

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The keys named: most machines (estimated) over the range first, ties in byte order; null = all. */
function namedKeys(cells: Iterable<Cell>, request: InstallsRequest): Set<string> | null {
  if (request.by === 'none') return null;
  const perKey = new Map<string, HyperLogLog>();
  for (const cell of cells) {
    const sketch = perKey.get(cell.key) ?? new HyperLogLog();
    sketch.merge(cell.machines);
    perKey.set(cell.key, sketch);
  }
  if (perKey.size <= request.maxKeys && !perKey.has(OTHER_KEY)) return new Set(perKey.keys());
  const ranked = [...perKey].map(([key, sketch]) => [key, sketch.estimate()] as const).sort(([ka, a], [kb, b]) => b - a || byteOrder(ka, kb));
  return new Set(ranked.slice(0, request.maxKeys).map(([key]) => key));
}

/**
 * A sketched answer: each (bucket, key) is the merge of its days' sketches, the keys past maxKeys
 * merged into OTHER_KEY, the totals the merge of everything; new machines are exact counts from
 * the first-seen table, folded the same way.
 */
export function installSketchCounts(rows: readonly InstallSketchReadRow[], request: InstallsRequest): InstallsCounts {
  const cells = new Map<string, Cell>();
  const cellOf = (day: number, key: string): Cell => {
    const bucket = bucketOfDay(day, request.interval);
    const id = `${bucket}\u0001${key}`;
    let cell = cells.get(id);
    if (cell === undefined) {
      cell = { bucket, key, machines: new HyperLogLog(), users: new HyperLogLog(), fresh: 0 };
      cells.set(id, cell);
    }
    return cell;
  };
  // A first-seen count counts only where its day and key have sketches: days past retention have none.
  const sketched = new Set(rows.flatMap((row) => (row.part === 'sketch' ? [`${row.day}\u0001${row.version}\u0001${row.os}`] : [])));
  for (const row of rows) {
    if (row.part === 'first' && !sketched.has(`${row.day}\u0001${row.version}\u0001${row.os}`)) continue;
    const cell = cellOf(row.day, keyOf(row, request.by));
    cell.fresh += row.fresh;
    if (row.machines !== null) cell.machines.mergeBytes(row.machines);
    if (row.users !== null) cell.users.mergeBytes(row.users);
  }
  const named = namedKeys(cells.values(), request);
  const folded = named === null ? cells : foldCells(cells.values(), named);
  const machines = new HyperLogLog();
  const users = new HyperLogLog();
  for (const cell of folded.values()) {
    machines.merge(cell.machines);
    users.merge(cell.users);
  }
  const series = [...folded.values()].map((c) => ({ bucket: c.bucket, key: c.key, machines: c.machines.estimate(), users: c.users.estimate(), new_machines: c.fresh }));
  return { totals: { machines: machines.estimate(), users: users.estimate() }, series };
}

/** Cells whose key is not named merged into one OTHER_KEY cell per bucket. */
function foldCells(cells: Iterable<Cell>, named: ReadonlySet<string>): Map<string, Cell> {
  const folded = new Map<string, Cell>();
  for (const cell of cells) {
    const key = named.has(cell.key) ? cell.key : OTHER_KEY;
    const id = `${cell.bucket}\u0001${key}`;
    const into = folded.get(id);
    if (into === undefined) {
      folded.set(id, key === cell.key ? cell : { ...cell, key, machines: copyOf(cell.machines), users: copyOf(cell.users) });
      continue;
    }
    into.machines.merge(cell.machines);
    into.users.merge(cell.users);
    into.fresh += cell.fresh;
  }
  return folded;
}

function copyOf(sketch: HyperLogLog): HyperLogLog {
  const copy = new HyperLogLog();
  copy.merge(sketch);
  return copy;
}
