import type { Command } from 'commander';
import type { Config } from '../config.js';
import { loadOrCreateSigningKey, publicKeyPem } from '../envelope/signing-key.js';
import { requireProduct } from '../registry/products.js';
import type { Store } from '../store/store.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { parseId } from './parse-values.js';
import { runWithStore } from './run-command.js';

/** `tally keys public [--product ID]`. */
export function registerKeysCommands(program: Command): void {
  const group = program.command('keys').description('signing keys');
  addConfigOptions(
    group.command('public').description('print the public key (PEM) that clients pin to verify answers')
      .option('--product <id>', "that product's key: its own if it has one, else the global key that signs its answers", parseId),
  ).action((options: ConfigFlags & { product?: number }) =>
    runWithStore(options, async ({ config, store }) => {
      process.stdout.write(await signingPublicKey(config, store, options.product));
    }),
  );
}

/**
 * The PEM a client must pin. The global key is made here if the server has not made it yet
 * (with the configured algorithm, as the server would), so clients can be set up before the
 * first start; a product's own key is only read, never made.
 */
async function signingPublicKey(config: Config, store: Store, productId: number | undefined): Promise<string> {
  if (productId !== undefined) {
    await requireProduct(store.registry, productId);
    const own = await publicKeyPem(store.secrets, `product:${productId}`);
    if (own !== null) return own;
  }
  return (await loadOrCreateSigningKey(store.secrets, 'global', config.signingAlgorithm)).publicKeyPem;
}
