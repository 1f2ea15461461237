import type pg from 'pg';
import type { RegistryStore } from '../contract/store.js';
import { PgApiKeysTable } from './api-keys-table.js';
import { PgLicenseLifecycle } from './license-lifecycle-table.js';
import { PgLicensesTable } from './licenses-table.js';
import { PgProductsTable } from './products-table.js';
import { lookupPgReportFacts } from './report-facts-query.js';

/** The registry as the store contract sees it, assembled from one class per table group. */
export function createPgRegistry(db: pg.Pool): RegistryStore {
  const products = new PgProductsTable(db);
  const licenses = new PgLicensesTable(db);
  const apiKeys = new PgApiKeysTable(db);
  const lifecycle = new PgLicenseLifecycle(db);
  return {
    createProduct: (input) => products.create(input.name, input.versions),
    getProduct: (id) => products.get(id),
    listProducts: () => products.list(),
    addProductVersion: (productId, version) => products.addVersion(productId, version),
    setProductStatus: (productId, status) => products.setStatus(productId, status),
    createLicense: (input) => licenses.create(input),
    importLicenses: (inputs, options) => licenses.importMany(inputs, options?.update ?? true),
    findLicenses: (key) => licenses.findByKey(key),
    createActivation: (licenseId, identifier) => licenses.activate(licenseId, identifier),
    createApiKey: (input) => apiKeys.create(input),
    findApiKeyByHash: (secretHash) => apiKeys.findByHash(secretHash),
    listApiKeys: () => apiKeys.list(),
    setApiKeyActive: (id, active) => apiKeys.setActive(id, active),
    revokeApiKey: (id) => apiKeys.revoke(id),
    setApiKeyExpiry: (id, expiresAt) => apiKeys.setExpiry(id, expiresAt),
    setApiKeySignatureScheme: (id, scheme) => apiKeys.setSignatureScheme(id, scheme),
    touchApiKeys: (uses) => apiKeys.touch(uses),
    lookupReportFacts: (lookup) => lookupPgReportFacts(db, lookup),
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
