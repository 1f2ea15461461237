import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CachedRegistry } from '../../src/registry/cached-registry.js';
import { hashSecret } from '../../src/registry/secrets.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';

let dataDir: string;
let store: Store;
let other: Store;

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-cache-'));
  store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'FULL' });
  // A second connection to the same file plays the CLI changing the registry behind the server's back.
  other = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'FULL' });
});
after(async () => {
  await store.close();
  await other.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const lookup = (productId: number) => ({ productId, licenseKey: 'K', productVersion: '1.0', activationIdentifier: 'A' });

describe('the cached registry', () => {
  it('keeps answering from memory within its TTL, and sees changes made elsewhere after it', async () => {
    const cached = new CachedRegistry(store.registry, 150);
    const product = await other.registry.createProduct({ name: 'P', versions: [] });
    assert.equal((await cached.lookupReportFacts(lookup(product.id))).versionExists, false);
    await other.registry.addProductVersion(product.id, '1.0');
    assert.equal((await cached.lookupReportFacts(lookup(product.id))).versionExists, false, 'still the remembered answer');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await cached.lookupReportFacts(lookup(product.id))).versionExists, true, 'the change is seen after the TTL');
  });

  it('forgets at once what a write made through it may change', async () => {
    const cached = new CachedRegistry(store.registry, 60_000);
    const hash = hashSecret('tly_cache-test');
    assert.equal(await cached.findApiKeyByHash(hash), null);
    const key = await cached.createApiKey({ name: 'k', secret_hash: hash, capabilities: ['send_telemetry'], products: [], allowed_ips: [] });
    assert.equal((await cached.findApiKeyByHash(hash))?.id, key.id);
    await cached.setApiKeySignatureScheme(key.id, 'getkeymanager-php');
    assert.equal((await cached.findApiKeyByHash(hash))?.signature_scheme, 'getkeymanager-php', 'a cached key carries the scheme its answers are signed with');
    await cached.revokeApiKey(key.id);
    assert.equal((await cached.findApiKeyByHash(hash))?.revoked, true);
  });
});
