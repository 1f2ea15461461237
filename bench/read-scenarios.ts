import { HOUR_US } from '../src/model/clock.js';
import { SCALE_NUMERIC_GROUPS, SCALE_PRODUCT } from './scale-records.js';

/** A read the issue sets a goal for (issue 19, "Measures"), in milliseconds. */
export interface ReadScenario {
  name: string;
  path: string;
  goal: { p50: number; p99: number | null };
}

const OVERVIEW_GOAL = { p50: 300, p99: 1000 };

/** `from=…&to=…` in Unix seconds: the `hours` before the dataset's end. */
function range(endUs: number, hours: number): string {
  return `from=${Math.floor((endUs - hours * HOUR_US) / 1e6)}&to=${Math.floor(endUs / 1e6)}`;
}

/**
 * The dashboard's reads over the dataset's last 24 hours, 7 and 90 days (its end is "now" for
 * them, so a dataset made days ago is read as it was made): the overview page's one request
 * (all products, as it opens), one data group's summary, and the Installs page's by-version chart.
 */
export function readScenarios(endUs: number): ReadScenario[] {
  const days90 = range(endUs, 90 * 24);
  return [
    { name: 'overview, 24 h', path: `/admin/api/overview?${range(endUs, 24)}`, goal: OVERVIEW_GOAL },
    { name: 'overview, 7 days', path: `/admin/api/overview?${range(endUs, 7 * 24)}`, goal: OVERVIEW_GOAL },
    { name: 'overview, 90 days', path: `/admin/api/overview?${days90}`, goal: OVERVIEW_GOAL },
    { name: `summary ${SCALE_NUMERIC_GROUPS[0]}, 90 days`, path: summaryPath(endUs, SCALE_NUMERIC_GROUPS[0]), goal: { p50: 300, p99: null } },
    { name: 'installs by version per day, 90 days', path: installsPath(endUs), goal: { p50: 500, p99: null } },
  ];
}

/** One data group's summary over the dataset's 90 days (count, mean, percentiles, histogram). */
export function summaryPath(endUs: number, group: string): string {
  return `/admin/api/summary?product_id=${SCALE_PRODUCT}&data_group=${group}&${range(endUs, 90 * 24)}`;
}

/** Installs by version per UTC day over the dataset's 90 days. */
export function installsPath(endUs: number): string {
  return `/admin/api/installs?product_id=${SCALE_PRODUCT}&by=version&interval=day&${range(endUs, 90 * 24)}`;
}
