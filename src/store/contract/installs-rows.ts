import type { InstallsCounts, InstallsSeriesRow } from '../../model/installs.js';

/**
 * A row of the one statement each backend answers `TelemetryStore.installs` with: a series
 * entry, the totals, or the new machines of one (bucket, key) in `machines`.
 */
export interface InstallsSqlRow {
  part: 'series' | 'totals' | 'new';
  bucket: string | null;
  key: string | null;
  machines: number;
  users: number;
}

/**
 * The statement's rows as counts. A machine's first report in range is one of the range's
 * reports, so every (bucket, key) with new machines is a series entry too.
 */
export function installsCounts(rows: readonly InstallsSqlRow[]): InstallsCounts {
  const totals = { machines: 0, users: 0 };
  const series = new Map<string, InstallsSeriesRow>();
  const id = (row: InstallsSqlRow): string => JSON.stringify([row.bucket, row.key]);
  for (const row of rows) {
    if (row.part === 'totals') Object.assign(totals, { machines: row.machines, users: row.users });
    if (row.part === 'series') series.set(id(row), { bucket: row.bucket ?? '', key: row.key ?? '', machines: row.machines, users: row.users, new_machines: 0 });
  }
  for (const row of rows) {
    const entry = row.part === 'new' ? series.get(id(row)) : undefined;
    if (entry !== undefined) entry.new_machines = row.machines;
  }
  return { totals, series: [...series.values()] };
}
