import { Command } from 'commander';
import { TALLY_VERSION } from '../model/version.js';
import { registerActivationCommands } from './activation-commands.js';
import { registerAdminTokenCommands } from './admin-token-commands.js';
import { registerApiKeyCommands } from './api-key-commands.js';
import { registerAuditCommand } from './audit-command.js';
import { registerBackupCommand } from './backup-command.js';
import { registerBlockCommands } from './block-commands.js';
import { registerExportCommand } from './export-command.js';
import { registerImportCommand } from './import-command.js';
import { registerInstallsCommand } from './installs-command.js';
import { registerKeysCommands } from './keys-commands.js';
import { registerLicenseCommands } from './license-commands.js';
import { registerMigrateCommand } from './migrate-command.js';
import { registerPrivacyCommands } from './privacy-commands.js';
import { registerProductCommands } from './product-commands.js';
import { registerRollupsCommands } from './rollups-commands.js';
import { registerServeCommand } from './serve-command.js';
import { registerTokenCommands } from './token-commands.js';
import { registerUserCommands } from './user-commands.js';
import { registerVerifyCommand } from './verify-command.js';
import { registerWebhookCommands } from './webhook-commands.js';

/**
 * The `tally` command tree, built apart from running it. Usage errors throw a CommanderError
 * (exitOverride) so `main` can give them exit code 2, apart from failures (1).
 */
export function buildProgram(): Command {
  const program = new Command('tally')
    .description('Tally: self-hosted telemetry for licensed software. Every command works on the store the server uses.')
    .version(TALLY_VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  registerServeCommand(program);
  registerMigrateCommand(program);
  registerBackupCommand(program);
  registerUserCommands(program);
  registerAdminTokenCommands(program);
  registerApiKeyCommands(program);
  registerProductCommands(program);
  registerLicenseCommands(program);
  registerActivationCommands(program);
  registerBlockCommands(program);
  registerWebhookCommands(program);
  registerTokenCommands(program);
  registerExportCommand(program);
  registerImportCommand(program);
  registerPrivacyCommands(program);
  registerInstallsCommand(program);
  registerRollupsCommands(program);
  registerKeysCommands(program);
  registerAuditCommand(program);
  registerVerifyCommand(program);
  return program;
}
