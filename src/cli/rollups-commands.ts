import { InvalidArgumentError, type Command } from 'commander';
import { nowMicros } from '../model/clock.js';
import { isoFromMicros } from '../model/iso-micros.js';
import { parseInstant, type Instant } from '../model/parse-instant.js';
import type { RollupCheckReport, RollupMismatch, RollupRange, RollupRebuildReport } from '../store/contract/rollup-store.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId } from './parse-values.js';
import { runWithStore, type StoreContext } from './run-command.js';

interface RangeOptions extends ConfigFlags {
  from?: Instant;
  to?: Instant;
  product?: number;
  json?: boolean;
}

function parseTime(text: string): Instant {
  const instant = parseInstant(text.trim());
  if (instant === null) throw new InvalidArgumentError('Not an ISO-8601 date or Unix seconds.');
  return instant;
}

function parseLimit(text: string): number {
  const limit = Number(text);
  if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidArgumentError('Not a whole number of mismatches.');
  return limit;
}

/** The store's range from the flags; `--to` covers the whole unit it names, and retention is the servers' (--retention-days). */
function rangeOf(options: RangeOptions, context: StoreContext): RollupRange {
  const range: RollupRange = { retentionDays: context.config.retentionDays, nowUs: nowMicros() };
  if (options.from !== undefined) range.fromUs = options.from.us;
  if (options.to !== undefined) range.toUs = options.to.us + options.to.unitUs - 1;
  if (options.product !== undefined) range.productId = options.product;
  return range;
}

function rangeCommand(parent: Command, name: string, description: string): Command {
  return parent.command(name).description(description)
    .option('--from <time>', 'first day of record time (ISO-8601 or Unix seconds); default: the first day anything is stored for', parseTime)
    .option('--to <time>', 'last day of record time; default: the last day anything is stored for', parseTime)
    .option('--product <id>', 'only this product', parseId)
    .option('--json', 'print one JSON object');
}

/**
 * `tally rollups check|rebuild [--from] [--to] [--product N] [--json]`: compares the rollups and
 * install sketches with the raw records (exit 1 on any mismatch), or recomputes them from the raw
 * records while servers keep ingesting (docs/query-behaviour.md, "Rollups"; docs/operations.md).
 */
export function registerRollupsCommands(program: Command): void {
  const rollups = program.command('rollups').description('check the rollups and install sketches against the raw records, or rebuild them');
  addConfigOptions(rangeCommand(rollups, 'check', 'compare the rollups with the raw records, day by day; exit 1 when any row differs')
    .option('--limit <n>', 'mismatches to print (all are counted)', parseLimit, 20), ['retentionDays'])
    .action((options: RangeOptions & { limit: number }) =>
      runWithStore(options, async (context) => {
        const report = await context.store.rollups.check({ ...rangeOf(options, context), limit: options.limit });
        if (options.json === true) printJson(checkAnswer(report));
        else printCheck(report);
        if (report.mismatches > 0) process.exitCode = 1;
      }));
  addConfigOptions(rangeCommand(rollups, 'rebuild', 'recompute the rollups, sketches and first-seen rows of whole days from the raw records (safe while servers ingest)'), ['retentionDays'])
    .action((options: RangeOptions) =>
      runWithStore(options, async (context) => {
        const report = await context.store.rollups.rebuild(rangeOf(options, context));
        if (options.json === true) printJson(rebuildAnswer(report));
        else printLine(`Rebuilt ${report.days} days${span(report)}: ${report.hours} hours of rollups, ${report.sketchKeys} install sketch keys, ${report.firstSeen} first-seen rows, ${report.newMachineKeys} new-machine counts.`);
      }));
}

const iso = (us: number | null): string | null => (us === null ? null : isoFromMicros(us));

function span(report: { fromUs: number | null; toUs: number | null }): string {
  return report.fromUs === null || report.toUs === null ? '' : ` (${iso(report.fromUs)} to ${iso(report.toUs)})`;
}

function mismatchAnswer(mismatch: RollupMismatch): Record<string, unknown> {
  const { bucket_us: bucket, ...key } = mismatch.key;
  return { table: mismatch.table, key: typeof bucket === 'number' ? { ...key, bucket: isoFromMicros(bucket) } : key, problem: mismatch.problem, stored: mismatch.stored, expected: mismatch.expected };
}

function checkAnswer(report: RollupCheckReport): Record<string, unknown> {
  const { rollupRows, binRows, sketchKeys, firstSeen, newMachineKeys } = report.checked;
  const notes = report.notes;
  return {
    from: iso(report.fromUs), to: iso(report.toUs), days: report.days,
    checked: { rollup_rows: rollupRows, bin_rows: binRows, sketch_keys: sketchKeys, first_seen: firstSeen, new_machine_keys: newMachineKeys },
    mismatches: report.mismatches, first: report.first.map(mismatchAnswer),
    notes: { sketches_without_reports: notes.sketchesWithoutReports, sketches_counting_more: notes.sketchesCountingMore,
      keys_before_retention: notes.keysBeforeRetention, first_seen_before_retention: notes.firstSeenBeforeRetention },
  };
}

function rebuildAnswer(report: RollupRebuildReport): Record<string, unknown> {
  return {
    from: iso(report.fromUs), to: iso(report.toUs), days: report.days, hours: report.hours, sketch_keys: report.sketchKeys, first_seen: report.firstSeen,
    new_machine_keys: report.newMachineKeys,
  };
}

function printCheck(report: RollupCheckReport): void {
  const { rollupRows, binRows, sketchKeys, firstSeen, newMachineKeys } = report.checked;
  printLine(`Checked ${report.days} days${span(report)}: ${rollupRows} rollup rows, ${binRows} bin rows, ${sketchKeys} install sketch keys, ${firstSeen} machines' first reports, ${newMachineKeys} new-machine counts.`);
  const notes = report.notes;
  const allowed = [[notes.sketchesWithoutReports, 'sketches whose reports were all erased'], [notes.sketchesCountingMore, 'sketches still counting erased people'],
    [notes.keysBeforeRetention, 'sketch keys on days retention drops whole (not checked)'], [notes.firstSeenBeforeRetention, 'first-seen rows older than retention']] as const;
  for (const [count, what] of allowed) if (count > 0) printLine(`As designed: ${count} ${what}.`);
  if (report.mismatches === 0) return printLine('No mismatch.');
  printLine(`${report.mismatches} mismatches${report.first.length < report.mismatches ? `; the first ${report.first.length}` : ''}:`);
  for (const mismatch of report.first.map(mismatchAnswer)) {
    printLine(`${String(mismatch['table'])} ${JSON.stringify(mismatch['key'])}: ${String(mismatch['problem'])} (stored ${JSON.stringify(mismatch['stored'])}, expected ${JSON.stringify(mismatch['expected'])})`);
  }
  printLine('Run `tally rollups rebuild` over the same range to recompute them from the records.');
}
