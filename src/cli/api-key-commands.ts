import type { Command } from 'commander';
import { createApiKey } from '../registry/api-keys.js';
import type { ApiKey } from '../registry/types.js';
import type { RegistryStore } from '../store/store.js';
import { apiKeyState, listApiKeys, revokeApiKey, setApiKeyActive } from '../registry/api-key-lifecycle.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId, parseIdList, parseList } from './parse-values.js';
import { runWithStore } from './run-command.js';

interface CreateOptions extends ConfigFlags {
  name: string;
  capabilities?: string[];
  products?: number[];
  allowedIps?: string[];
  json?: boolean;
}

const LIFECYCLE = [
  ['deactivate', 'stop a key from authenticating until it is activated again'],
  ['activate', 'let a deactivated key authenticate again'],
  ['revoke', 'stop a key for good (it is kept for audit)'],
] as const;

/** `tally api-key create|list|deactivate|activate|revoke`. */
export function registerApiKeyCommands(program: Command): void {
  const group = program.command('api-key').description('create API keys and manage their lifecycle');
  addConfigOptions(
    group.command('create').description('create a key and print its secret once')
      .requiredOption('--name <name>', 'what the key is for')
      .option('--capabilities <list>', 'comma-separated: send_telemetry, get_telemetry (default send_telemetry)', parseList)
      .option('--products <ids>', 'comma-separated product ids the key may use (default all)', parseIdList)
      .option('--allowed-ips <list>', 'comma-separated IPs/CIDRs the key may be used from (default anywhere)', parseList)
      .option('--json', 'print one JSON object'),
  ).action((options: CreateOptions) => runWithStore(options, ({ store }) => create(store.registry, options)));
  addConfigOptions(
    group.command('list').description('list keys (never their secrets)')
      .option('--json', 'print one JSON object'),
  ).action((options: ConfigFlags & { json?: boolean }) => runWithStore(options, ({ store }) => list(store.registry, options.json)));
  for (const [name, description] of LIFECYCLE) {
    addConfigOptions(group.command(name).description(description).argument('<id>', 'API key id', parseId)).action(
      (id: number, options: ConfigFlags) => runWithStore(options, ({ store }) => lifecycle(store.registry, name, id)),
    );
  }
}

async function create(registry: RegistryStore, options: CreateOptions): Promise<void> {
  const { key, secret } = await createApiKey(registry, {
    name: options.name,
    capabilities: options.capabilities,
    products: options.products,
    allowedIps: options.allowedIps,
  });
  if (options.json) {
    printJson({ id: key.id, key: secret, name: key.name, capabilities: key.capabilities, products: key.products, allowed_ips: key.allowed_ips });
    return;
  }
  printLine(`Created API key ${key.id} "${key.name}": ${describeKey(key)}.`);
  printLine('Its secret, shown this once (only a hash is stored, it cannot be shown again):');
  printLine(secret);
}

async function list(registry: RegistryStore, json: boolean | undefined): Promise<void> {
  const keys = await listApiKeys(registry);
  if (json) {
    printJson({ api_keys: keys.map(visibleKey) });
    return;
  }
  if (keys.length === 0) printLine('No API keys.');
  for (const key of keys) printLine(`${key.id}\t${apiKeyState(key)}\t${key.name}\t${describeKey(key)}\tcreated ${key.created_at}`);
}

async function lifecycle(registry: RegistryStore, action: (typeof LIFECYCLE)[number][0], id: number): Promise<void> {
  if (action === 'revoke') await revokeApiKey(registry, id);
  else await setApiKeyActive(registry, id, action === 'activate');
  printLine(`API key ${id} ${action}d.`);
}

function describeKey(key: ApiKey): string {
  const products = key.products.length === 0 ? 'all products' : `products ${key.products.join(', ')}`;
  const from = key.allowed_ips.length === 0 ? 'from anywhere' : `from ${key.allowed_ips.join(', ')}`;
  return `${key.capabilities.join(', ')}; ${products}; ${from}`;
}

/** A key as `list --json` shows it: everything but the hash of its secret. */
function visibleKey(key: ApiKey): Omit<ApiKey, 'secret_hash'> & { state: string } {
  const { id, name, capabilities, products, allowed_ips, active, revoked, created_at } = key;
  return { id, name, state: apiKeyState(key), capabilities, products, allowed_ips, active, revoked, created_at };
}
