import { InvalidArgumentError, Option, type Command } from 'commander';
import { nowMicros } from '../model/clock.js';
import {
  CLASS_FILTERS, INSIGHT_LIMIT, LICENSE_SORTS, licenseInsights, USER_SORTS, userInsights, WINDOW_DAYS,
  type InsightsDeps, type InsightsParams, type LicenseInsight, type UserInsight,
} from '../query/insights.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId } from './parse-values.js';
import { CliInputError, runWithStore } from './run-command.js';

/** The page asked for, as the query reads it, plus how to print it. */
interface InsightsOptions extends ConfigFlags, InsightsParams {
  users?: boolean;
  json?: boolean;
}

const bounded = (min: number, max: number) => (text: string): number => {
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) throw new InvalidArgumentError(`Give a whole number from ${min} to ${max}.`);
  return value;
};

/** `tally license insights`: the admin API's license (or, with --users, user) insights as a table or JSON, from the same function. */
export function registerLicenseInsightsCommand(group: Command): void {
  addConfigOptions(
    group.command('insights').description('which licenses are shared, suspicious or sending client bugs (docs/admin-api.md, "License insights")')
      .option('--product-id <id>', 'one product only', parseId)
      .addOption(new Option('--class <class>', 'rows of one class').choices(CLASS_FILTERS).default('all'))
      .addOption(new Option('--sort <sort>', `descending by (${LICENSE_SORTS.join(', ')}; with --users: ${USER_SORTS.join(', ')})`).default('machines'))
      .option('--search <text>', 'keys (identifiers) containing this text, any case')
      .option('--window-days <n>', 'the last n days of reports', bounded(WINDOW_DAYS.min, WINDOW_DAYS.max), WINDOW_DAYS.fallback)
      .option('--limit <n>', 'rows per page', bounded(INSIGHT_LIMIT.min, INSIGHT_LIMIT.max), INSIGHT_LIMIT.fallback)
      .option('--after <cursor>', 'the next page: the cursor the page before printed')
      .option('--users', 'one row per user identifier instead of per license key')
      .option('--json', 'print the answer as one JSON object, as the admin API gives it'),
    ['defaultSeats'],
  ).action((options: InsightsOptions) =>
    runWithStore(options, async ({ store, config }) => {
      const sorts: readonly string[] = options.users === true ? USER_SORTS : LICENSE_SORTS;
      if (!sorts.includes(options.sort)) throw new CliInputError(`--sort must be one of ${sorts.join(', ')}.`);
      const deps: InsightsDeps = { telemetry: store.telemetry, blocklist: store.blocklist, defaultSeats: config.defaultSeats };
      const { productId, search, windowDays, limit, after } = options;
      const params: InsightsParams = { productId, class: options.class, sort: options.sort, search, windowDays, limit, after };
      const outcome = options.users === true ? await userInsights(deps, params, nowMicros()) : await licenseInsights(deps, params, nowMicros());
      if (!outcome.ok) throw new CliInputError(Object.values(outcome.errors).flat().join(' '));
      if (options.json === true) printJson(outcome.answer);
      else printTable(outcome.answer.data, outcome.answer.next);
    }),
  );
}

function printTable(rows: readonly (LicenseInsight | UserInsight)[], next: string | null): void {
  if (rows.length === 0) {
    printLine('No reports in the window match.');
    return;
  }
  const header = ['KEY', 'PRODUCT', 'SEATS', 'MACHINES', 'USERS/LICENSES', 'NETWORKS', 'REPORTS', 'FLAGGED', 'CLIENT BUGS', 'CLASS', 'BLOCKED', 'LAST SEEN'];
  const lines = rows.map((row) => [
    'license_key' in row ? row.license_key : row.user_identifier, String(row.product_id),
    'seats' in row ? (row.seats === null ? '-' : String(row.seats)) : '-', String(row.machines),
    String('users' in row ? row.users : row.licenses), String(row.networks), String(row.reports), String(row.flagged_reports),
    String(row.client_bug_reports), row.class.join(',') || '-', row.blocked ? 'yes' : 'no', row.last_seen,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => (line[i] ?? '').length)));
  for (const line of [header, ...lines]) printLine(line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
  if (next !== null) printLine(`More: --after ${next}`);
}
