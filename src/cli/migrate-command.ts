import type { Command } from 'commander';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { runWithStore } from './run-command.js';

/**
 * `tally migrate`: applies pending schema migrations and exits, for upgrades run ahead of
 * starting the new version (`tally serve` applies them on start too). Opening the store
 * migrates it; this command only says what that did.
 */
export function registerMigrateCommand(program: Command): void {
  addConfigOptions(
    program.command('migrate').description('apply pending database migrations (serve does this on start too)')
      .option('--json', 'print one JSON object: {"backend", "applied": [{"version", "name"}…], "version"}'),
  ).action((options: ConfigFlags & { json?: boolean }) =>
    runWithStore(options, async ({ store, migrations }) => {
      if (options.json) return printJson({ backend: store.backend, ...migrations });
      printLine(`The ${store.backend} database is migrated to the latest schema.`);
    }),
  );
}
