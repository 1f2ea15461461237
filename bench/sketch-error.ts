/**
 * How far sketched answers are from exact ones (issue 19: "percentile error of sketched answers
 * vs exact"). Pure: given the two answers, what to print; "n/a" when the default answer already
 * says it is exact (this branch has no sketches) or the exact request is not understood.
 */

const PERCENTILES = ['p50', 'p90', 'p99'] as const;

/** |sketched − exact| / |exact|; 0 when both are 0, null when either is missing. */
export function relativeError(sketched: number | null | undefined, exact: number | null | undefined): number | null {
  if (typeof sketched !== 'number' || typeof exact !== 'number') return null;
  if (exact === 0) return sketched === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.abs(sketched - exact) / Math.abs(exact);
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function numberAt(value: unknown, key: string): number | null {
  const found = field(value, key);
  return typeof found === 'number' ? found : null;
}

export interface ErrorLine {
  what: string;
  /** What the default answer says it is (`exact`, `tdigest …`, `hll …`), or why there is no figure. */
  method: string;
  /** Relative errors by name; empty with an "n/a" method. */
  errors: Record<string, number | null>;
}

/** The summary's p50/p90/p99 as answered by default vs with `percentiles=exact`. */
export function percentileErrors(what: string, byDefault: unknown, exact: unknown): ErrorLine {
  const numeric = field(byDefault, 'numeric');
  const method = String(field(numeric, 'percentiles') ?? 'unknown');
  const exactNumeric = field(exact, 'numeric');
  if (method === 'exact' || exactNumeric === undefined) return { what, method: `n/a (${method === 'exact' ? 'exact both ways' : 'no exact answer'})`, errors: {} };
  return { what, method, errors: Object.fromEntries(PERCENTILES.map((p) => [p, relativeError(numberAt(numeric, p), numberAt(exactNumeric, p))])) };
}

interface InstallsCell {
  bucket: string;
  key: string;
  machines: number;
  users: number;
}

function cells(answer: unknown): InstallsCell[] {
  const series = field(answer, 'series');
  return Array.isArray(series) ? (series as InstallsCell[]) : [];
}

/** Installs cells (bucket × key) as answered by default vs with `distinct=exact`: the largest and the mean relative error of machines and users. */
export function distinctErrors(what: string, byDefault: unknown, exact: unknown): ErrorLine {
  const method = String(field(byDefault, 'distinct') ?? 'unknown');
  if (method === 'exact' || field(exact, 'series') === undefined) {
    return { what, method: `n/a (${method === 'exact' ? 'exact both ways' : 'no exact answer'})`, errors: {} };
  }
  const truth = new Map(cells(exact).map((cell) => [`${cell.bucket}\u0000${cell.key}`, cell]));
  const errors: Record<string, number | null> = {};
  for (const measure of ['machines', 'users'] as const) {
    const found = cells(byDefault).flatMap((cell) => {
      const error = relativeError(cell[measure], truth.get(`${cell.bucket}\u0000${cell.key}`)?.[measure]);
      return error === null ? [] : [error];
    });
    errors[`${measure} max`] = found.length === 0 ? null : Math.max(...found);
    errors[`${measure} mean`] = found.length === 0 ? null : found.reduce((a, b) => a + b, 0) / found.length;
  }
  return { what, method, errors };
}

export function formatErrorLine(line: ErrorLine): string {
  const parts = Object.entries(line.errors).map(([name, error]) => `${name} ${error === null ? '-' : `${(error * 100).toFixed(2)} %`}`);
  return `  ${line.what}: ${line.method}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}
