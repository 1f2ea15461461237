import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { importRecords, type ImportReport } from '../query/import-records.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { runWithStore } from './run-command.js';

interface ImportOptions extends ConfigFlags {
  json?: boolean;
}

/**
 * `tally import FILE`: loads NDJSON records in the public shape (what `tally export --format
 * ndjson` writes, or saved get-telemetry answers) into the store, keeping their times; `-` reads
 * stdin. Read a line at a time, so memory stays flat however large the file. Exit code 1 when a
 * line could not be imported (the rest is).
 */
export function registerImportCommand(program: Command): void {
  addConfigOptions(
    program.command('import').description('load records from NDJSON in the public record shape (tally export --format ndjson), keeping their times')
      .argument('<file>', 'an NDJSON file, or - for stdin')
      .option('--json', 'print one JSON object'),
    ['maxReportAgeDays'],
  ).action((file: string, options: ImportOptions) =>
    runWithStore(options, async ({ config, store }) => {
      const input = file === '-' ? process.stdin : createReadStream(file, { encoding: 'utf8' });
      const report = await importRecords(store.telemetry, createInterface({ input, crlfDelay: Infinity }), config.maxReportAgeDays);
      if (options.json) printJson(report);
      else printReport(report);
      if (report.rejected > 0) process.exitCode = 1;
    }),
  );
}

function printReport(report: ImportReport): void {
  printLine(`Imported ${report.imported} of ${report.records} record(s); ${report.already_imported} already imported, ${report.rejected} rejected.`);
  for (const { line, error } of report.errors) process.stderr.write(`line ${line}: ${error}\n`);
  if (report.rejected > report.errors.length) process.stderr.write(`… and ${report.rejected - report.errors.length} more\n`);
}
