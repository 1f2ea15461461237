import type { Command } from 'commander';
import { exportLines, inChunks } from '../query/export.js';
import { parseExportRequest } from '../query/export-request.js';
import { FILTER_FIELDS, type FilterField } from '../query/filter-fields.js';
import type { FieldErrors } from '../model/record.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { CliInputError, runWithStore } from './run-command.js';
import { writeAll } from './write-out.js';

/** The query API's fields that make sense for an export, as flags: `after_id` → `--after-id`. */
const EXPORT_FIELDS = FILTER_FIELDS.filter((field) => field.name !== 'limit');

/** `product_id` → `productId`, the key commander gives the value of `--product-id`. */
function optionKey(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * `tally export --format ndjson|csv [filters]`: streams every matching record to stdout, one
 * page of the store at a time, waiting for stdout to drain so memory stays flat however many
 * records there are. The filters are the query API's fields as flags, checked by the same rules.
 */
export function registerExportCommand(program: Command): void {
  const command = program.command('export').description('stream stored records to stdout as NDJSON or CSV')
    .requiredOption('--format <format>', 'ndjson (one JSON record per line) or csv (with a header row)')
    .option('--raw-csv', 'csv: write cells exactly as stored, formulas included (default: a cell starting with =, +, -, @, tab or CR gets a leading \' and text cells are quoted)');
  for (const field of EXPORT_FIELDS) command.option(`--${field.name.replaceAll('_', '-')} <value>`, describe(field));
  addConfigOptions(command, ['maxReportAgeDays']).action((options: ConfigFlags & Record<string, string | boolean | undefined>) =>
    runWithStore(options, async ({ config, store }) => {
      const request = parseExportRequest(fieldsFrom(options), config.maxReportAgeDays);
      if (!request.ok) throw new CliInputError(messages(request.errors));
      await writeAll(inChunks(exportLines(store.telemetry, request.filter, request.format, request.afterId, request.csvMode)));
    }),
  );
}

function describe(field: FilterField): string {
  switch (field.kind) {
    case 'flag':
      return `${field.name} is 1, 0, true or false`;
    case 'date': {
      const column = field.name.startsWith('reported_') ? 'reported_at' : 'created_at';
      return `${column} ${field.name.endsWith('from') ? 'at or after' : 'at or before'} this (ISO-8601, UTC unless it has an offset, or Unix seconds)`;
    }
    case 'after_id':
      return 'only records with a larger id (resumes an export)';
    default:
      return `${field.name} equals this`;
  }
}

function fieldsFrom(options: Readonly<Record<string, string | boolean | undefined>>): Record<string, unknown> {
  const fields: Record<string, unknown> = { format: options['format'], raw_csv: options['rawCsv'] === undefined ? undefined : '1' };
  for (const field of EXPORT_FIELDS) fields[field.name] = options[optionKey(field.name)];
  return fields;
}

function messages(errors: FieldErrors): string {
  return Object.values(errors).flat().join(' ');
}
