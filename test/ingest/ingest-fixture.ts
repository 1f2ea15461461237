import fs from 'node:fs';
import { NO_AUDIT } from '../audit-helpers.js';
import os from 'node:os';
import path from 'node:path';
import type { IngestDeps } from '../../src/ingest/ingest-report.js';
import { GroupCommitter } from '../../src/ingest/group-commit.js';
import type { ApiKey } from '../../src/model/registry.js';
import { createApiKey } from '../../src/registry/api-keys.js';
import { CachedBlocklist } from '../../src/registry/cached-blocklist.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';

/** The ingest use cases over a real SQLite store in a temporary directory, with a registry to check reports against. */
export interface IngestFixture {
  store: Store;
  deps: IngestDeps;
  key: ApiKey;
  productId: number;
  /** A report that passes every check. */
  correct: Record<string, string>;
  close(): Promise<void>;
}

export async function ingestFixture(): Promise<IngestFixture> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-ingest-'));
  const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
  const product = await store.registry.createProduct({ name: 'App', versions: ['1.0.0'] });
  const license = await store.registry.createLicense({ product_id: product.id, key: 'LIC-1', status: 'active', expires_at: null });
  await store.registry.createActivation(license.id, 'machine-1');
  const { key } = await createApiKey(store.registry, { name: 'app' }, NO_AUDIT);
  const committer = new GroupCommitter(store.telemetry, { maxBatch: 100, windowMs: 0 });
  const blocklist = new CachedBlocklist(store.blocklist, 0);
  const correct = {
    product_id: String(product.id), user_identifier: 'user-1', license_key: 'LIC-1', activation_identifier: 'machine-1',
    product_version: '1.0.0', data_type: 'numeric-single-value', numeric_data_single_value: '42', data_group: 'startup_ms',
  };
  return {
    store,
    deps: { registry: store.registry, committer, blocklist: () => blocklist.matcher() },
    key,
    productId: product.id,
    correct,
    async close() {
      await committer.drain();
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
