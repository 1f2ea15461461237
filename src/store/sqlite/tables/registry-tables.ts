import type Database from 'better-sqlite3';
import type { RegistryStore } from '../../contract/store.js';
import { SqliteApiKeysTable } from './api-keys-table.js';
import { SqliteLicenseLifecycle } from './license-lifecycle-table.js';
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
  const lifecycle = new SqliteLicenseLifecycle(db);
  return {
    createProduct: async (input) => products.create(input.name, input.versions),
    getProduct: async (id) => products.get(id),
    listProducts: async () => products.list(),
    addProductVersion: async (productId, version) => products.addVersion(productId, version),
    setProductStatus: async (productId, status) => products.setStatus(productId, status),
    createLicense: async (input) => licenses.create(input),
    importLicenses: async (inputs, options) => licenses.importMany(inputs, options?.update ?? true),
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
    listLicenses: (request) => lifecycle.listLicenses(request),
    getLicense: (id) => lifecycle.getLicense(id),
    findLicensesByKeys: (keys) => lifecycle.findLicensesByKeys(keys),
    updateLicense: (id, changes) => lifecycle.updateLicense(id, changes),
    deleteLicense: (id) => lifecycle.deleteLicense(id),
    licenseReportCounts: (productId, key) => lifecycle.licenseReportCounts(productId, key),
    listActivations: (request) => lifecycle.listActivations(request),
    getActivation: (id) => lifecycle.getActivation(id),
    importActivations: (inputs) => lifecycle.importActivations(inputs),
    deactivateActivation: (id) => lifecycle.deactivateActivation(id),
  };
}
