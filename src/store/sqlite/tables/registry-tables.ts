import type Database from 'better-sqlite3';
import type { RegistryStore } from '../../contract/store.js';
import { SqliteApiKeysTable } from './api-keys-table.js';
import { SqliteLicensesTable } from './licenses-table.js';
import { SqliteProductsTable } from './products-table.js';
import { SqliteReportFactsQuery } from './report-facts-query.js';

/**
 * The registry as the store contract sees it, assembled from one class per table group.
 * The synchronous driver's answers are wrapped in promises so the contract fits a networked backend.
 */
export function createSqliteRegistry(db: Database.Database): RegistryStore {
  const products = new SqliteProductsTable(db);
  const licenses = new SqliteLicensesTable(db);
  const apiKeys = new SqliteApiKeysTable(db);
  const facts = new SqliteReportFactsQuery(db);
  return {
    createProduct: async (input) => products.create(input.name, input.versions),
    getProduct: async (id) => products.get(id),
    listProducts: async () => products.list(),
    addProductVersion: async (productId, version) => products.addVersion(productId, version),
    setProductStatus: async (productId, status) => products.setStatus(productId, status),
    createLicense: async (input) => licenses.create(input),
    importLicenses: async (inputs) => licenses.importMany(inputs),
    findLicenses: async (key) => licenses.findByKey(key),
    createActivation: async (licenseId, identifier) => licenses.activate(licenseId, identifier),
    createApiKey: async (input) => apiKeys.create(input),
    findApiKeyByHash: async (secretHash) => apiKeys.findByHash(secretHash),
    listApiKeys: async () => apiKeys.list(),
    setApiKeyActive: async (id, active) => apiKeys.setActive(id, active),
    revokeApiKey: async (id) => apiKeys.revoke(id),
    setApiKeyExpiry: async (id, expiresAt) => apiKeys.setExpiry(id, expiresAt),
    setApiKeySignatureScheme: async (id, scheme) => apiKeys.setSignatureScheme(id, scheme),
    touchApiKeys: async (uses) => apiKeys.touch(uses),
    lookupReportFacts: async (lookup) => facts.lookup(lookup),
  };
}
