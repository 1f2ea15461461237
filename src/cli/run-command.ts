import { ConfigError, type Config } from '../config/config.js';
import { openStoreMigrating } from '../store/open-store.js';
import type { Store } from '../store/contract/store.js';
import type { MigrationReport } from '../store/contract/migrations.js';
import { configFromOptions, type ConfigFlags } from './config-options.js';
import { DuplicateError, RegistryInputError, UnsupportedByBackendError } from '../model/errors.js';

/** Bad input that only the CLI sees (a file that is not what it should be); reported like other input errors. */
export class CliInputError extends Error {
  override readonly name = 'CliInputError';
}

/** What a command that works on the store gets. */
export interface StoreContext {
  config: Config;
  store: Store;
  /** What opening the store migrated (`tally migrate` reports it). */
  migrations: MigrationReport;
}

/**
 * Runs a command's action with the loaded config. A failure becomes one line on stderr and
 * exit code 1, so scripts can rely on the code and people on the message.
 */
export async function runCommand(options: ConfigFlags, action: (config: Config) => Promise<void>): Promise<void> {
  try {
    await action(configFromOptions(options));
  } catch (error) {
    process.stderr.write(`error: ${describe(error)}\n`);
    process.exitCode = 1;
  }
}

/** Like runCommand, with the store the config names opened (and migrated) before and closed after. */
export function runWithStore(options: ConfigFlags, action: (context: StoreContext) => Promise<void>): Promise<void> {
  return runCommand(options, async (config) => {
    const { store, migrations } = await openStoreMigrating(config);
    try {
      await action({ config, store, migrations });
    } finally {
      await store.close();
    }
  });
}

/** Expected errors are the user's to fix and say so themselves; others also name their kind. */
function describe(error: unknown): string {
  if (isExpected(error)) return error.message;
  if (error instanceof Error) return error.name === 'Error' ? error.message : `${error.message} (${error.name})`;
  return String(error);
}

function isExpected(error: unknown): error is Error {
  return error instanceof RegistryInputError || error instanceof ConfigError || error instanceof DuplicateError || error instanceof CliInputError || error instanceof UnsupportedByBackendError;
}
