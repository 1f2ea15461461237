import type { Command } from 'commander';
import { createActivation } from '../registry/activations.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId } from './parse-values.js';
import { runWithStore } from './run-command.js';
import { cliAudit } from './cli-audit.js';

interface CreateOptions extends ConfigFlags {
  license: string;
  identifier: string;
  product?: number;
  json?: boolean;
}

/** `tally activation create`. */
export function registerActivationCommands(program: Command): void {
  const group = program.command('activation').description('record license activations');
  addConfigOptions(
    group.command('create').description('record that a license was activated under an identifier')
      .requiredOption('--license <key>', 'license key')
      .requiredOption('--identifier <id>', 'activation identifier, as clients report it')
      .option('--product <id>', 'product id, needed when the key exists for several products', parseId)
      .option('--json', 'print one JSON object'),
  ).action((options: CreateOptions) =>
    runWithStore(options, async ({ store }) => {
      const request = { licenseKey: options.license, identifier: options.identifier, productId: options.product };
      const { activation, license } = await createActivation(store.registry, request, cliAudit(store));
      const { id, identifier, license_id, created_at } = activation;
      if (options.json) printJson({ id, identifier, license_id, license_key: license.key, product_id: license.product_id, created_at });
      else printLine(`Activation ${id} "${identifier}" of license "${license.key}" (product ${license.product_id}) recorded.`);
    }),
  );
}
