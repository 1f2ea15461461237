import { randomUUID } from 'node:crypto';
import { cliActor } from '../src/cli/cli-actor.js';
import { publicKeyPem } from '../src/envelope/signing-key.js';
import { createApiKey } from '../src/registry/api-keys.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/contract/store.js';

/** Where a Tally under test keeps its data: SQLite in `dataDir`, or the database `databaseUrl` names. */
export interface TallyStorage {
  dataDir: string;
  /** A `postgres://` URL, or null for SQLite in `dataDir`. */
  databaseUrl: string | null;
}

/** What the load needs to send correct reports: every identifier exists in the registry. */
export interface TallyFixture {
  dataDir: string;
  apiKey: string;
  productId: number;
  productVersion: string;
  licenseKey: string;
  activationIdentifier: string;
}

function open({ dataDir, databaseUrl }: TallyStorage): Promise<Store> {
  return openStore({ databaseUrl, dataDir, sqliteSynchronous: 'FULL' });
}

/** Registers a product (version 1.0.0), an active license, an activation and a send_telemetry key. */
export async function createTallyFixture(storage: TallyStorage): Promise<TallyFixture> {
  const store = await open(storage);
  try {
    const product = await store.registry.createProduct({ name: 'Bench product', versions: ['1.0.0'] });
    const licenseKey = randomUUID();
    const license = await store.registry.createLicense({ product_id: product.id, key: licenseKey, status: 'active', expires_at: null });
    await store.registry.createActivation(license.id, 'act-1');
    const { secret } = await createApiKey(store.registry, { name: 'bench', capabilities: ['send_telemetry'] }, { log: store.audit, actor: cliActor() });
    return { dataDir: storage.dataDir, apiKey: secret, productId: product.id, productVersion: '1.0.0', licenseKey, activationIdentifier: 'act-1' };
  } finally {
    await store.close();
  }
}

/** What the stopped server left behind: how many records, and the public key clients pin. */
export async function readBack(storage: TallyStorage): Promise<{ records: number; publicKeyPem: string | null }> {
  const store = await open(storage);
  try {
    return { records: await store.telemetry.count(), publicKeyPem: await publicKeyPem(store.secrets, 'global') };
  } finally {
    await store.close();
  }
}
