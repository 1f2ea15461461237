import type { Command } from 'commander';
import { addServerOptions, type ConfigFlags } from './config-options.js';
import { runCommand } from './run-command.js';
import { startWarnings } from './start-warnings.js';

/** `tally serve`: what `npm start` runs. */
export function registerServeCommand(program: Command): void {
  addServerOptions(program.command('serve').description('run the HTTP service (what npm start runs)')).action(
    (options: ConfigFlags) =>
      runCommand(options, async (config) => {
        for (const warning of startWarnings(config)) process.stderr.write(`${warning}\n`);
        // Loaded on demand: the HTTP stack is not needed by the other commands and slows their start.
        const { startServer } = await import('../server.js');
        await startServer(config);
      }),
  );
}
