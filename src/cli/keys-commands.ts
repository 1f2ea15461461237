import { InvalidArgumentError, type Command } from 'commander';
import { createProductKey, listPublicKeys, rotateKey, signingScope, type PublicKeyInfo } from '../envelope/key-management.js';
import { isSigningAlgorithm, productScope, SIGNING_ALGORITHMS, type SigningAlgorithm, type SigningKey } from '../envelope/signing-key.js';
import { requireProduct } from '../registry/products.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId } from './parse-values.js';
import { CliInputError, runWithStore, type StoreContext } from './run-command.js';
import { cliAudit } from './cli-audit.js';

interface PublicOptions extends ConfigFlags {
  product?: number;
  keyId?: string;
  all?: boolean;
}

interface MakeOptions extends ConfigFlags {
  product?: number;
  algorithm?: SigningAlgorithm;
  json?: boolean;
}

function parseAlgorithm(text: string): SigningAlgorithm {
  const value = text.trim().toLowerCase();
  if (!isSigningAlgorithm(value)) throw new InvalidArgumentError(`Not one of ${SIGNING_ALGORITHMS.join(', ')}.`);
  return value;
}

const ALGORITHM_HELP = `algorithm of the new key (${SIGNING_ALGORITHMS.join(', ')})`;

/** `tally keys public|list|create|rotate`: the signing key pairs (docs/security.md). */
export function registerKeysCommands(program: Command): void {
  const group = program.command('keys').description('signing keys');
  addConfigOptions(
    group.command('public').description('print the public key (PEM) that clients pin to verify answers')
      .option('--product <id>', "that product's keys: its own if it has one, else the global keys that sign its answers", parseId)
      .option('--key-id <id>', 'that key (current or retired) instead of the current one')
      .option('--all', 'every key of the scope, current first, one PEM after the other'),
    ['signingAlgorithm'],
  ).action((options: PublicOptions) => runWithStore(options, (context) => printPublic(context, options)));
  addConfigOptions(
    group.command('list').description('list every signing key of every scope (never the private halves)')
      .option('--json', 'print one JSON object'),
    ['signingAlgorithm'],
  ).action((options: ConfigFlags & { json?: boolean }) =>
    runWithStore(options, async ({ config, store }) => {
      await signingScope(store.secrets, null, config.signingAlgorithm);
      const keys = await listPublicKeys(store.secrets);
      if (options.json) return printJson({ keys });
      for (const key of keys) {
        printLine(`${key.scope}\t${key.key_id}\t${key.algorithm}\tcreated ${key.created_at}\t${key.retired_at === null ? 'current' : `retired ${key.retired_at}`}`);
      }
    }),
  );
  addConfigOptions(
    group.command('create').description("give a product its own signing key pair (once; then use rotate)")
      .requiredOption('--product <id>', 'product id', parseId)
      .option('--algorithm <algorithm>', ALGORITHM_HELP, parseAlgorithm)
      .option('--json', 'print one JSON object'),
    ['signingAlgorithm'],
  ).action((options: MakeOptions & { product: number }) =>
    runWithStore(options, async ({ config, store }) => {
      const key = await createProductKey(store, options.product, options.algorithm ?? config.signingAlgorithm, cliAudit(store));
      printMade(key, null, options.json === true);
    }),
  );
  addConfigOptions(
    group.command('rotate').description('make a new current key for the global scope or a product; the old one is retired, still listed')
      .option('--product <id>', "rotate that product's own key instead of the global key", parseId)
      .option('--algorithm <algorithm>', `${ALGORITHM_HELP}; default: that of the key it replaces`, parseAlgorithm)
      .option('--json', 'print one JSON object'),
    ['signingAlgorithm'],
  ).action((options: MakeOptions) =>
    runWithStore(options, async ({ config, store }) => {
      const { retired, current } = await rotateKey(store, options.product ?? null, options.algorithm, config.signingAlgorithm, cliAudit(store));
      printMade(current, retired, options.json === true);
    }),
  );
}

function printMade(key: SigningKey, retired: SigningKey | null, json: boolean): void {
  if (json) {
    printJson({ scope: key.scope, key_id: key.keyId, algorithm: key.algorithm, public_key: key.publicKeyPem, created_at: key.createdAt, retired_key_id: retired?.keyId ?? null });
    return;
  }
  printLine(`${key.scope}: key ${key.keyId} (${key.algorithm}) is now current${retired ? `; key ${retired.keyId} is retired (still listed)` : ''}.`);
  printLine('Running servers sign with it within --registry-cache-ms (1 s when that is 0).');
}

/**
 * The PEM(s) a client must pin. The global key is made here if the server has not made it yet
 * (with the configured algorithm, as the server would), so clients can be set up before the
 * first start; a product's own key is only read, never made.
 */
async function printPublic({ config, store }: StoreContext, options: PublicOptions): Promise<void> {
  if (options.product !== undefined) await requireProduct(store.registry, options.product);
  const scope = await signingScope(store.secrets, options.product ?? null, config.signingAlgorithm);
  const keys: PublicKeyInfo[] = await listPublicKeys(store.secrets, scope);
  let chosen = options.all ? keys : keys.slice(0, 1);
  if (options.keyId !== undefined) {
    const wanted = options.keyId.trim().toLowerCase();
    // Without --product, any scope's key may be asked for by its id.
    const inScope = options.product !== undefined ? keys : await listPublicKeys(store.secrets);
    chosen = inScope.filter((key) => key.key_id === wanted);
    if (chosen.length === 0) {
      const where = options.product === undefined ? '' : ` of ${productScope(options.product)} (or the global keys that sign for it)`;
      throw new CliInputError(`No signing key with id ${options.keyId}${where}.`);
    }
  }
  process.stdout.write(chosen.map((key) => key.public_key).join(''));
}
