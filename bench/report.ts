import type { Check } from './checks.js';
import type { LoadGenerator, LoadSummary } from './load.js';
import type { SignCost } from './sign-cost.js';

/**
 * Tally ÷ bare node:http, single reports, same run (issue 20's goals): wrk costs the shared CPU
 * less than autocannon, so each load generator has its own.
 */
export const TARGET_RATIO: Readonly<Record<LoadGenerator, number>> = { wrk: 0.6, autocannon: 0.5 };
/**
 * PostgreSQL ingest against SQLite ingest, same load, same run: issue 4 asked ≥ 0.5; issue 20
 * measured 0.81 (autocannon) and asks to keep ≥ 0.8.
 */
export const BACKEND_TARGET_RATIO = 0.8;

const COLUMNS = ['', 'req/s (mean)', 'p50 ms', 'p99 ms', 'requests', 'seconds', 'errors', 'non-2xx'];

function row(s: LoadSummary): string[] {
  return [s.label, s.requestsPerSecond.toFixed(0), s.p50Ms.toFixed(2), s.p99Ms.toFixed(2), String(s.total), s.seconds.toFixed(1), String(s.errors), String(s.non2xx)];
}

function table(rows: readonly string[][]): string {
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return rows.map(line).join('\n');
}

/** One Tally run of the ingest suite, by backend. */
export interface BackendLoad {
  backend: string;
  load: LoadSummary;
}

function ratioLine(label: string, numerator: number, denominator: number, target: number): string {
  const ratio = denominator > 0 ? numerator / denominator : 0;
  const verdict = ratio >= target ? 'met' : 'NOT met';
  return `${label} = ${ratio.toFixed(2)} (target ≥ ${target.toFixed(2)}: ${verdict})`;
}

/** PostgreSQL / SQLite, when both ran. */
function backendRatio(tallies: readonly BackendLoad[]): string[] {
  const sqlite = tallies.find((t) => t.backend === 'sqlite');
  const postgres = tallies.find((t) => t.backend === 'postgres');
  if (sqlite === undefined || postgres === undefined) return [];
  return [ratioLine('PostgreSQL / SQLite', postgres.load.requestsPerSecond, sqlite.load.requestsPerSecond, BACKEND_TARGET_RATIO)];
}

/** The load table, each Tally/bare ratio against its target, and PostgreSQL / SQLite. */
export function formatLoad(bare: LoadSummary, tallies: readonly BackendLoad[], load: LoadGenerator): string {
  const rows = [COLUMNS, row(bare), ...tallies.map((t) => row(t.load))];
  const ratios = tallies.map((t) => ratioLine(`ratio Tally/bare (${t.backend})`, t.load.requestsPerSecond, bare.requestsPerSecond, TARGET_RATIO[load]));
  return `${table(rows)}\n\n${[...ratios, ...backendRatio(tallies)].join('\n')}`;
}

export function formatChecks(checks: readonly Check[]): string {
  return checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name} (${c.detail})`).join('\n');
}

/** What the signature cache buys: the ceiling if every answer were signed, against what Tally served. */
export function formatSignCost(costs: readonly SignCost[], tally: LoadSummary): string {
  const lines = costs.map((cost) =>
    `${cost.algorithm.padEnd(8)} sign, ${cost.signatures} in a row on one core: ${cost.perSignatureMs.toFixed(3)} ms each, ${cost.perSecond.toFixed(0)} signatures/s`);
  const slowest = costs.reduce((a, b) => (b.perSecond < a.perSecond ? b : a));
  const multiple = tally.requestsPerSecond / slowest.perSecond;
  return [
    ...lines,
    `without the signature cache one core would top out near ${slowest.perSecond.toFixed(0)} req/s with ${slowest.algorithm} on signing alone;`,
    `Tally served ${tally.requestsPerSecond.toFixed(0)} req/s (${multiple.toFixed(1)}× that) while sharing the CPU with the load generator`,
  ].join('\n');
}

