import type { Command } from 'commander';
import { addProductVersion, createProduct, listProducts, setProductStatus } from '../registry/products.js';
import type { Product } from '../model/registry.js';
import type { RegistryStore, Store } from '../store/contract/store.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId, parseList } from './parse-values.js';
import { runWithStore } from './run-command.js';
import { cliAudit } from './cli-audit.js';

interface CreateOptions extends ConfigFlags {
  name: string;
  versions?: string[];
  json?: boolean;
}

type JsonOptions = ConfigFlags & { json?: boolean };

const STATUS_COMMANDS = [
  ['deactivate', 'inactive', 'stop accepting reports for a product as valid (they are still stored, flagged)'],
  ['activate', 'active', 'accept reports for a product again'],
] as const;

/** `tally product create|add-version|activate|deactivate|list`. */
export function registerProductCommands(program: Command): void {
  const group = program.command('product').description('register products and their released versions');
  addConfigOptions(
    group.command('create').description('register a product and print its id')
      .requiredOption('--name <name>', 'product name')
      .option('--versions <list>', 'comma-separated released versions', parseList)
      .option('--json', 'print one JSON object'),
  ).action((options: CreateOptions) => runWithStore(options, ({ store }) => create(store, options)));
  addConfigOptions(
    group.command('add-version').description('register a released version of a product')
      .argument('<id>', 'product id', parseId)
      .argument('<version>', 'version as clients report it')
      .option('--json', 'print one JSON object: {"product_id", "version", "added" (false when it was there already), "versions"}'),
  ).action((id: number, version: string, options: JsonOptions) =>
    runWithStore(options, async ({ store }) => {
      const { product, version: stored, added } = await addProductVersion(store.registry, id, version, cliAudit(store));
      if (options.json) printJson({ product_id: product.id, version: stored, added, versions: product.versions });
      else printLine(`Product ${product.id} "${product.name}" versions: ${product.versions.join(', ')}.`);
    }),
  );
  for (const [name, status, description] of STATUS_COMMANDS) {
    addConfigOptions(group.command(name).description(description).argument('<id>', 'product id', parseId).option('--json', 'print one JSON object: {"id", "name", "status"}')).action(
      (id: number, options: JsonOptions) =>
        runWithStore(options, async ({ store }) => {
          const product = await setProductStatus(store.registry, id, status, cliAudit(store));
          if (options.json) printJson({ id: product.id, name: product.name, status: product.status });
          else printLine(`Product ${product.id} "${product.name}" is now ${product.status}.`);
        }),
    );
  }
  addConfigOptions(
    group.command('list').description('list products with their versions')
      .option('--json', 'print one JSON object'),
  ).action((options: JsonOptions) => runWithStore(options, ({ store }) => list(store.registry, options.json)));
}

async function create(store: Store, options: CreateOptions): Promise<void> {
  const product = await createProduct(store.registry, { name: options.name, versions: options.versions }, cliAudit(store));
  if (options.json) printJson({ id: product.id, name: product.name, versions: product.versions });
  else printLine(`Created product ${product.id} "${product.name}" (${describeVersions(product)}).`);
}

async function list(registry: RegistryStore, json: boolean | undefined): Promise<void> {
  const products = await listProducts(registry);
  if (json) {
    printJson({ products });
    return;
  }
  if (products.length === 0) printLine('No products.');
  for (const product of products) printLine(`${product.id}\t${product.status}\t${product.name}\t${describeVersions(product)}`);
}

function describeVersions(product: Product): string {
  return product.versions.length === 0 ? 'no versions' : `versions ${product.versions.join(', ')}`;
}
