import type { Command } from 'commander';
import { revokeAdminToken } from '../registry/admin-token.js';
import { cliActor } from './cli-actor.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { runWithStore } from './run-command.js';

/** `tally admin-token revoke` (docs/accounts.md, "The admin token"). */
export function registerAdminTokenCommands(program: Command): void {
  const group = program.command('admin-token').description('the admin token of installs from before accounts (an owner token)');
  addConfigOptions(
    group.command('revoke').description('stop the admin token from working; the dashboard sessions opened with it end')
      .option('--json', 'print one JSON object'),
    ['adminToken'],
  ).action((options: ConfigFlags & { json?: boolean }) => runWithStore(options, async ({ config, store }) => {
    const revoked = await revokeAdminToken(store.secrets, store.accounts, { log: store.audit, actor: cliActor() });
    const stillConfigured = config.adminToken !== null;
    if (options.json) return printJson({ revoked, configured: stillConfigured });
    printLine(revoked ? 'Revoked the admin token; its dashboard sessions ended.' : 'There was no admin token.');
    if (stillConfigured) printLine('TALLY_ADMIN_TOKEN (or --admin-token) is still set here: remove it from the server\'s settings, or its next start stores it again.');
  }));
}
