import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { importActivations } from '../registry/activation-import.js';
import { deactivateActivation, findActivation, listActivations } from '../registry/activation-lifecycle.js';
import { createActivation } from '../registry/activations.js';
import { resolveLicense } from '../registry/license-lifecycle.js';
import { cliActor } from './cli-actor.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId, parseLimit } from './parse-values.js';
import { CliInputError, runWithStore } from './run-command.js';
import { cliAudit } from './cli-audit.js';

interface CreateOptions extends ConfigFlags {
  license: string;
  identifier: string;
  product?: number;
  json?: boolean;
}

interface ListOptions extends ConfigFlags {
  license?: string;
  product?: number;
  limit?: number;
  after?: string;
  json?: boolean;
}

/** `tally activation create|list|import|deactivate`. */
export function registerActivationCommands(program: Command): void {
  const group = program.command('activation').description('record, list, import and deactivate license activations');
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
  addConfigOptions(
    group.command('list').description('list the activations of a license or of a product (paged by id)')
      .option('--license <key>', 'license key or id')
      .option('--product <id>', 'product id (with --license: the key\'s product, when several have it)', parseId)
      .option('--limit <n>', 'activations per page, 1 to 1000 (default 50)', parseLimit)
      .option('--after <next>', 'the next of the page before')
      .option('--json', 'print one JSON object: {"activations": […], "next": … or null}'),
  ).action((options: ListOptions) =>
    runWithStore(options, async ({ store }) => {
      if (options.license === undefined && options.product === undefined) throw new CliInputError('Give --license KEY or --product ID.');
      const licenseId = options.license === undefined ? undefined : (await resolveLicense(store.registry, options.license, options.product)).id;
      const productId = licenseId === undefined ? options.product : undefined;
      const page = await listActivations(store.registry, { licenseId, productId, limit: options.limit, after: options.after });
      if (options.json) return printJson(page);
      for (const a of page.activations) {
        printLine(`${a.id} "${a.identifier}" license "${a.license_key}" product ${a.product_id} since ${a.created_at}${a.deactivated_at === null ? '' : `, deactivated ${a.deactivated_at}`}`);
      }
      printLine(page.activations.length === 0 ? 'No activations.' : page.next === null ? `${page.activations.length} activation(s).` : `More: --after ${page.next}`);
    }),
  );
  addConfigOptions(
    group.command('import').description('record activations in bulk from a CSV (with header) or NDJSON file; idempotent')
      .argument('<file>', 'columns/fields license_key, identifier, and product_id when a key exists for several products')
      .option('--json', 'print one JSON object: {"imported": n, "unchanged": n}'),
  ).action((file: string, options: ConfigFlags & { json?: boolean }) =>
    runWithStore(options, async ({ store }) => {
      const result = await importActivations(store.registry, await readFile(file, 'utf8'), { log: store.audit, actor: cliActor() });
      if (options.json) printJson(result);
      else printLine(`Imported ${result.imported} activation(s); ${result.unchanged} were recorded already.`);
    }),
  );
  addConfigOptions(
    group.command('deactivate').description('deactivate an activation: its reports are flagged activation_exists 0 from then on')
      .requiredOption('--license <key>', 'license key or id')
      .requiredOption('--identifier <id>', 'activation identifier')
      .option('--product <id>', 'product id, needed when the key exists for several products', parseId)
      .option('--json', 'print one JSON object'),
  ).action((options: CreateOptions) =>
    runWithStore(options, async ({ store }) => {
      const license = await resolveLicense(store.registry, options.license, options.product);
      const found = await findActivation(store.registry, license.id, options.identifier);
      const activation = await deactivateActivation(store.registry, found.id, { log: store.audit, actor: cliActor() });
      if (options.json) printJson(activation);
      else printLine(`Activation ${activation.id} "${activation.identifier}" of license "${activation.license_key}" deactivated at ${activation.deactivated_at ?? ''}.`);
    }),
  );
}
