import type { Check } from './checks.js';
import type { LoadSummary } from './load.js';
import type { SignCost } from './sign-cost.js';

export const TARGET_RATIO = 0.6;

const COLUMNS = ['', 'req/s (mean)', 'p50 ms', 'p99 ms', 'requests', 'seconds', 'errors', 'non-2xx'];

function row(s: LoadSummary): string[] {
  return [s.label, s.requestsPerSecond.toFixed(0), s.p50Ms.toFixed(2), s.p99Ms.toFixed(2), String(s.total), s.seconds.toFixed(1), String(s.errors), String(s.non2xx)];
}

function table(rows: readonly string[][]): string {
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return rows.map(line).join('\n');
}

/** The load table and the Tally/bare ratio against its target. */
export function formatLoad(bare: LoadSummary, tally: LoadSummary): string {
  const ratio = bare.requestsPerSecond > 0 ? tally.requestsPerSecond / bare.requestsPerSecond : 0;
  const verdict = ratio >= TARGET_RATIO ? 'met' : 'NOT met';
  return `${table([COLUMNS, row(bare), row(tally)])}\n\nratio Tally/bare = ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO.toFixed(2)}: ${verdict})`;
}

export function formatChecks(checks: readonly Check[]): string {
  return checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name} (${c.detail})`).join('\n');
}

/** What the signature cache buys: the ceiling if every answer were signed, against what Tally served. */
export function formatSignCost(cost: SignCost, tally: LoadSummary): string {
  const multiple = tally.requestsPerSecond / cost.perSecond;
  return [
    `RSA-2048 sign, ${cost.signatures} in a row on one core: ${cost.perSignatureMs.toFixed(3)} ms each, ${cost.perSecond.toFixed(0)} signatures/s`,
    `without the signature cache one core would top out near ${cost.perSecond.toFixed(0)} req/s on signing alone;`,
    `Tally served ${tally.requestsPerSecond.toFixed(0)} req/s (${multiple.toFixed(1)}× that) while sharing the CPU with the load generator`,
  ].join('\n');
}

