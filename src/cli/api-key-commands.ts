import { InvalidArgumentError, type Command } from 'commander';
import { createApiKey } from '../registry/api-keys.js';
import { API_KEY_SIGNATURE_SCHEMES, type ApiKey } from '../model/registry.js';
import type { RegistryStore, Store } from '../store/contract/store.js';
import { apiKeyState, listApiKeys, revokeApiKey, rotateApiKey, setApiKeyActive, updateApiKey, visibleApiKey } from '../registry/api-key-lifecycle.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId, parseIdList, parseList } from './parse-values.js';
import { runWithStore } from './run-command.js';
import { cliAudit } from './cli-audit.js';

interface CreateOptions extends ConfigFlags {
  name: string;
  capabilities?: string[];
  products?: number[];
  allowedIps?: string[];
  expiresAt?: string;
  signatureScheme?: string;
  json?: boolean;
}

interface UpdateOptions extends ConfigFlags {
  signatureScheme?: string;
  json?: boolean;
}

interface RotateOptions extends ConfigFlags {
  graceSeconds?: number;
  json?: boolean;
}

const SCHEME_HELP = `how answers to the key are signed: ${API_KEY_SIGNATURE_SCHEMES.join(', ')}`;

const LIFECYCLE = [
  ['deactivate', 'stop a key from authenticating until it is activated again'],
  ['activate', 'let a deactivated key authenticate again'],
  ['revoke', 'stop a key for good (it is kept for audit)'],
] as const;

/** A whole number of seconds, 0 or more (commander option parser); the upper bound is checked by rotateApiKey. */
function parseWholeNumber(text: string): number {
  const trimmed = text.trim();
  if (!/^\d{1,15}$/.test(trimmed)) throw new InvalidArgumentError('Not a whole number of seconds.');
  return Number(trimmed);
}

/** `tally api-key create|list|update|deactivate|activate|revoke|rotate`. */
export function registerApiKeyCommands(program: Command): void {
  const group = program.command('api-key').description('create API keys and manage their lifecycle');
  addConfigOptions(
    group.command('create').description('create a key and print its secret once')
      .requiredOption('--name <name>', 'what the key is for')
      .option('--capabilities <list>', 'comma-separated: send_telemetry, get_telemetry (default send_telemetry)', parseList)
      .option('--products <ids>', 'comma-separated product ids the key may use (default all)', parseIdList)
      .option('--allowed-ips <list>', 'comma-separated IPs/CIDRs the key may be used from (default anywhere)', parseList)
      .option('--expires-at <iso>', 'ISO-8601 date or date-time (UTC unless it has an offset) when the key stops working; default never')
      .option('--signature-scheme <scheme>', `${SCHEME_HELP} (default auto: from the User-Agent)`)
      .option('--json', 'print one JSON object'),
  ).action((options: CreateOptions) => runWithStore(options, ({ store }) => create(store, options)));
  addConfigOptions(
    group.command('list').description('list keys (never their secrets)')
      .option('--json', 'print one JSON object'),
  ).action((options: ConfigFlags & { json?: boolean }) => runWithStore(options, ({ store }) => list(store.registry, options.json)));
  addConfigOptions(
    group.command('update').description("change a key's settings in place (its secret stays the same)")
      .argument('<id>', 'API key id', parseId)
      .option('--signature-scheme <scheme>', `${SCHEME_HELP}; auto unpins`)
      .option('--json', 'print the key as `list --json` shows it'),
  ).action((id: number, options: UpdateOptions) => runWithStore(options, ({ store }) => update(store, id, options)));
  for (const [name, description] of LIFECYCLE) {
    addConfigOptions(
      group.command(name).description(description).argument('<id>', 'API key id', parseId)
        .option('--json', 'print one JSON object: {"id", "active", "revoked", "state"}'),
    ).action((id: number, options: ConfigFlags & { json?: boolean }) => runWithStore(options, ({ store }) => lifecycle(store, name, id, options.json)));
  }
  addConfigOptions(
    group.command('rotate').description('replace a key by a new one with the same settings; print the new secret once')
      .argument('<id>', 'API key id', parseId)
      .option('--grace-seconds <n>', 'let the old key work this much longer (default 0: revoked at once)', parseWholeNumber)
      .option('--json', 'print one JSON object'),
  ).action((id: number, options: RotateOptions) => runWithStore(options, ({ store }) => rotate(store, id, options)));
}

async function create(store: Store, options: CreateOptions): Promise<void> {
  const { key, secret } = await createApiKey(store.registry, {
    name: options.name,
    capabilities: options.capabilities,
    products: options.products,
    allowedIps: options.allowedIps,
    expiresAt: options.expiresAt,
    signatureScheme: options.signatureScheme,
  }, cliAudit(store));
  if (options.json) {
    printJson(createdJson(key, secret));
    return;
  }
  printLine(`Created API key ${key.id} "${key.name}": ${describeKey(key)}.`);
  printLine('Its secret, shown this once (only a hash is stored, it cannot be shown again):');
  printLine(secret);
}

async function list(registry: RegistryStore, json: boolean | undefined): Promise<void> {
  const keys = await listApiKeys(registry);
  if (json) {
    printJson({ api_keys: keys.map((key) => visibleApiKey(key)) });
    return;
  }
  if (keys.length === 0) printLine('No API keys.');
  for (const key of keys) {
    const expiry = key.expires_at === null ? 'never expires' : `expires ${key.expires_at}`;
    const used = key.last_used_at === null ? 'never used' : `last used ${key.last_used_at}`;
    printLine(`${key.id}\t${apiKeyState(key)}\t${key.name}\t${describeKey(key)}\tcreated ${key.created_at}\t${expiry}\t${used}`);
  }
}

async function update(store: Store, id: number, options: UpdateOptions): Promise<void> {
  const key = await updateApiKey(store.registry, id, { signatureScheme: options.signatureScheme }, cliAudit(store));
  if (options.json) printJson(visibleApiKey(key));
  else printLine(`Updated API key ${id} "${key.name}": ${describeKey(key)}.`);
}

async function rotate(store: Store, id: number, options: RotateOptions): Promise<void> {
  const { key, secret, old } = await rotateApiKey(store.registry, id, { graceSeconds: options.graceSeconds ?? 0 }, cliAudit(store));
  if (options.json) {
    printJson({ ...createdJson(key, secret), rotated_from: id, old: visibleApiKey(old) });
    return;
  }
  const ending = old.revoked ? 'revoked now' : `works until ${old.expires_at ?? ''}`;
  printLine(`Rotated API key ${id} (${ending}) to API key ${key.id} "${key.name}": ${describeKey(key)}.`);
  printLine('Its secret, shown this once (only a hash is stored, it cannot be shown again):');
  printLine(secret);
}

/** What `create --json` and `rotate --json` print about the new key. */
function createdJson(key: ApiKey, secret: string): Record<string, unknown> {
  const { id, name, capabilities, products, allowed_ips, expires_at, signature_scheme } = key;
  return { id, key: secret, name, capabilities, products, allowed_ips, expires_at, signature_scheme };
}

async function lifecycle(store: Store, action: (typeof LIFECYCLE)[number][0], id: number, json: boolean | undefined): Promise<void> {
  const key = action === 'revoke'
    ? await revokeApiKey(store.registry, id, cliAudit(store))
    : await setApiKeyActive(store.registry, id, action === 'activate', cliAudit(store));
  if (json) printJson({ id: key.id, active: key.active, revoked: key.revoked, state: apiKeyState(key) });
  else printLine(`API key ${id} ${action}d.`);
}

function describeKey(key: ApiKey): string {
  const products = key.products.length === 0 ? 'all products' : `products ${key.products.join(', ')}`;
  const from = key.allowed_ips.length === 0 ? 'from anywhere' : `from ${key.allowed_ips.join(', ')}`;
  const expiry = key.expires_at === null ? '' : `; expires ${key.expires_at}`;
  return `${key.capabilities.join(', ')}; ${products}; ${from}${expiry}; signature scheme ${key.signature_scheme}`;
}
