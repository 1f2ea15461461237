import { InvalidArgumentError, Option, type Command } from 'commander';
import { nowMicros } from '../model/clock.js';
import { INSTALLS_BREAKDOWNS, INSTALLS_DISTINCT, INSTALLS_INTERVALS, type InstallsBy, type InstallsDistinct, type InstallsInterval } from '../model/installs.js';
import { installs, type InstallsAnswer } from '../query/installs.js';
import { parseInstant, type Instant } from '../model/parse-instant.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId } from './parse-values.js';
import { CliInputError, runWithStore } from './run-command.js';

interface InstallsOptions extends ConfigFlags {
  productId: number;
  from?: Instant;
  to?: Instant;
  interval: InstallsInterval;
  by: InstallsBy;
  distinct: InstallsDistinct;
  json?: boolean;
}

/** ISO-8601 or Unix seconds, as the admin API reads `from` and `to` (commander argument parser). */
function parseTime(text: string): Instant {
  const instant = parseInstant(text.trim());
  if (instant === null) throw new InvalidArgumentError('Not an ISO-8601 date or Unix seconds.');
  return instant;
}

/**
 * `tally installs --product-id N [--from] [--to] [--interval day|week|month] [--by version|os|none] [--distinct hll|exact] [--json]`:
 * distinct machines and users per bucket, the answer of `GET /admin/api/installs` (same use case).
 */
export function registerInstallsCommand(program: Command): void {
  const command = program.command('installs').description('distinct machines and users of a product per day, week or month, by version or OS (sketched within ±1.6 %, or exact)')
    .requiredOption('--product-id <id>', 'the product', parseId)
    .option('--from <time>', 'start (ISO-8601, UTC unless it has an offset, or Unix seconds); default: 30 days before --to', parseTime)
    .option('--to <time>', 'end, the whole unit it names (2024-02-27 is the whole day); default: now', parseTime)
    .addOption(new Option('--interval <interval>', 'UTC day, ISO week (named by its Monday) or month').choices(INSTALLS_INTERVALS).default('day'))
    .addOption(new Option('--by <key>', 'one line per product_version, per metadata.os, or none').choices(INSTALLS_BREAKDOWNS).default('none'))
    .addOption(new Option('--distinct <how>', 'hll: from the install sketches, whole UTC days, ±1.6 %; exact: from the reports (slower)').choices(INSTALLS_DISTINCT).default('hll'))
    .option('--json', 'print the admin API\'s JSON answer');
  addConfigOptions(command).action((options: InstallsOptions) =>
    runWithStore(options, async ({ store }) => {
      const { productId, from, to, interval, by, distinct } = options;
      const outcome = await installs(store.telemetry, { productId, from, to, interval, by, distinct }, nowMicros());
      if (!outcome.ok) throw new CliInputError(Object.values(outcome.errors).flat().join(' '));
      if (options.json === true) printJson(outcome.answer);
      else printTable(outcome.answer);
    }),
  );
}

function printTable(answer: InstallsAnswer): void {
  printLine(`Product ${answer.product_id}, per ${answer.interval}${answer.by === 'none' ? '' : ` by ${answer.by}`}, ${answer.from} to ${answer.to} (${answer.distinct} distinct counts)`);
  printLine(`Total: ${answer.totals.machines} machines, ${answer.totals.users} users`);
  if (answer.series.length === 0) return printLine('No reports in this range.');
  const rows = [['bucket', 'key', 'machines', 'users', 'new machines'], ...answer.series.map((r) => [r.bucket, r.key, String(r.machines), String(r.users), String(r.new_machines)])];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const row of rows) printLine(row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd());
}
