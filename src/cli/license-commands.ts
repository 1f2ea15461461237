import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { importLicenses } from '../registry/license-import.js';
import { createLicense } from '../registry/licenses.js';
import type { Store } from '../store/contract/store.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { registerLicenseInsightsCommand } from './insights-command.js';
import { registerLicenseLifecycleCommands } from './license-lifecycle-commands.js';
import { printJson, printLine } from './output.js';
import { parseId } from './parse-values.js';
import { runWithStore } from './run-command.js';
import { cliAudit } from './cli-audit.js';

interface ImportOptions extends ConfigFlags {
  update: boolean;
  json?: boolean;
}

interface CreateOptions extends ConfigFlags {
  product: number;
  key: string;
  status?: string;
  expiresAt?: string;
  maxActivations?: string;
  json?: boolean;
}

/** `tally license create|import|insights`, and the lifecycle: `list|show|update|block|unblock|revoke|delete`. */
export function registerLicenseCommands(program: Command): void {
  const group = program.command('license').description('register the licenses reports are checked against');
  addConfigOptions(
    group.command('create').description('register one license')
      .requiredOption('--product <id>', 'product id', parseId)
      .requiredOption('--key <key>', 'license key')
      .option('--status <status>', 'active or blocked (default active)')
      .option('--expires-at <iso>', 'ISO-8601 date or date-time (UTC unless it has an offset); default never')
      .option('--max-activations <n>', 'seats: machines the license may run on (default none: --default-seats applies)')
      .option('--json', 'print one JSON object'),
  ).action((options: CreateOptions) => runWithStore(options, ({ store }) => create(store, options)));
  addConfigOptions(
    group.command('import').description('register licenses in bulk from a CSV (with header) or NDJSON file; existing product + key pairs are updated')
      .argument('<file>', 'columns/fields product_id, key, status, expires_at, max_activations')
      .option('--no-update', 'leave licenses that exist (same product and key) untouched, and count them as skipped')
      .option('--json', 'print one JSON object: {"imported": n, "skipped": n}'),
  ).action((file: string, options: ImportOptions) =>
    runWithStore(options, async ({ store }) => {
      const result = await importLicenses(store.registry, await readFile(file, 'utf8'), { update: options.update }, cliAudit(store));
      if (options.json) printJson(result);
      else printLine(`Imported ${result.imported} license(s)${options.update ? '' : `, skipped ${result.skipped} that exist`}.`);
    }),
  );
  registerLicenseInsightsCommand(group);
  registerLicenseLifecycleCommands(group);
}

async function create(store: Store, options: CreateOptions): Promise<void> {
  const license = await createLicense(store.registry, {
    productId: options.product,
    key: options.key,
    status: options.status,
    expiresAt: options.expiresAt,
    maxActivations: options.maxActivations,
  }, cliAudit(store));
  const { id, key, product_id, status, expires_at, max_activations } = license;
  if (options.json) printJson({ id, key, product_id, status, expires_at, max_activations });
  else printLine(`Created license ${id} "${key}" for product ${product_id} (${status}, ${expires_at === null ? 'never expires' : `expires ${expires_at}`}, ${max_activations === null ? 'no seat limit' : `${max_activations} seat(s)`}).`);
}
