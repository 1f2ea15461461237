import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { CliInputError, runWithStore } from './run-command.js';

/**
 * `tally backup FILE`: a consistent copy of the SQLite database, taken while the server runs
 * (SQLite's online backup API). Restoring is copying it back as `tally.db` while the server is
 * stopped (docs/operations.md). On PostgreSQL it says to use pg_dump and fails.
 */
export function registerBackupCommand(program: Command): void {
  addConfigOptions(
    program.command('backup').description('copy the SQLite database to FILE while the server keeps running').argument('<file>', 'where the copy goes (must not exist)')
      .option('--json', 'print one JSON object: {"path", "pages", "backend"}'),
  ).action((file: string, options: ConfigFlags & { json?: boolean }) =>
    runWithStore(options, async ({ store }) => {
      const destination = path.resolve(file);
      if (existsSync(destination)) throw new CliInputError(`${destination} exists; a backup never overwrites a file.`);
      const { pages } = await store.backup(destination);
      if (options.json) return printJson({ path: destination, pages, backend: store.backend });
      printLine(`Backed up ${pages} pages of the ${store.backend} database to ${destination}.`);
    }),
  );
}
