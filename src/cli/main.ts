#!/usr/bin/env node
import { CommanderError } from 'commander';
import { loadDotEnv } from './dot-env.js';
import { buildProgram } from './program.js';
import { endQuietlyOnClosedStdout } from './write-out.js';

endQuietlyOnClosedStdout();

try {
  loadDotEnv();
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Help and --version end with 0; any other usage error with 2, apart from failures (1).
  process.exitCode = error.exitCode === 0 ? 0 : 2;
}
