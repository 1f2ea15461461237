import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads `.env` from the working directory into the environment when the file is there, before
 * any setting is read: a variable already set (the service manager's, the shell's) wins over the
 * file, and a flag over both (docs/configuration.md).
 */
export function loadDotEnv(cwd: string = process.cwd()): void {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return;
  try {
    process.loadEnvFile(file);
  } catch (error) {
    throw new Error(`could not read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
