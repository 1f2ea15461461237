import type { Command } from 'commander';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printLine } from './output.js';
import { runWithStore } from './run-command.js';

/**
 * `tally migrate`: applies pending schema migrations and exits, for upgrades run ahead of
 * starting the new version (`tally serve` applies them on start too). Opening the store
 * migrates it; this command only says so.
 */
export function registerMigrateCommand(program: Command): void {
  addConfigOptions(program.command('migrate').description('apply pending database migrations (serve does this on start too)')).action(
    (options: ConfigFlags) =>
      runWithStore(options, async ({ store }) => {
        printLine(`The ${store.backend} database is migrated to the latest schema.`);
      }),
  );
}
