import type { ApiKeyUse, NewApiKey, NewLicense, RegistryStore } from '../store/contract/store.js';
import type { ActivationListRequest, LicenseChanges, LicenseListRequest, NewActivation } from '../store/contract/license-store.js';
import { TtlCache } from './ttl-cache.js';
import type { ApiKey, ApiKeySignatureScheme, ProductStatus, ReportFacts, ReportLookup } from '../model/registry.js';

const MAX_CACHED_KEY_LENGTH = 1100;

/**
 * The registry as the ingest hot path reads it: API keys and report facts are remembered for
 * `ttlMs`, so a busy server does not ask the database the same two questions for every
 * report. Writes made through this object clear the cache at once; writes made elsewhere (the
 * CLI, another instance) are seen within `ttlMs`. Everything else passes straight through.
 */
export class CachedRegistry implements RegistryStore {
  private readonly keys: TtlCache<ApiKey | null>;
  private readonly facts: TtlCache<ReportFacts>;

  constructor(
    private readonly inner: RegistryStore,
    ttlMs: number,
  ) {
    this.keys = new TtlCache(ttlMs);
    this.facts = new TtlCache(ttlMs, 20_000);
  }

  findApiKeyByHash(secretHash: string): Promise<ApiKey | null> {
    return this.keys.get(secretHash, () => this.inner.findApiKeyByHash(secretHash));
  }

  lookupReportFacts(lookup: ReportLookup): Promise<ReportFacts> {
    const key = `${lookup.productId}\u0000${lookup.licenseKey}\u0000${lookup.productVersion}\u0000${lookup.activationIdentifier}`;
    // Registry identifiers are at most 255 characters; longer lookups are not worth remembering.
    if (key.length > MAX_CACHED_KEY_LENGTH) return this.inner.lookupReportFacts(lookup);
    return this.facts.get(key, () => this.inner.lookupReportFacts(lookup));
  }

  getProduct = (id: number) => this.inner.getProduct(id);
  listProducts = () => this.inner.listProducts();
  findLicenses = (key: string) => this.inner.findLicenses(key);
  listApiKeys = () => this.inner.listApiKeys();
  listLicenses = (request: LicenseListRequest) => this.inner.listLicenses(request);
  getLicense = (id: number) => this.inner.getLicense(id);
  findLicensesByKeys = (keys: readonly string[]) => this.inner.findLicensesByKeys(keys);
  licenseReportCounts = (productId: number, key: string) => this.inner.licenseReportCounts(productId, key);
  listActivations = (request: ActivationListRequest) => this.inner.listActivations(request);
  getActivation = (id: number) => this.inner.getActivation(id);

  createProduct = (input: { name: string; versions: string[] }) => this.writing(this.inner.createProduct(input));
  addProductVersion = (productId: number, version: string) => this.writing(this.inner.addProductVersion(productId, version));
  setProductStatus = (productId: number, status: ProductStatus) => this.writing(this.inner.setProductStatus(productId, status));
  createLicense = (input: NewLicense) => this.writing(this.inner.createLicense(input));
  importLicenses = (inputs: readonly NewLicense[], options?: { update: boolean }) => this.writing(this.inner.importLicenses(inputs, options));
  /** License lifecycle writes clear the report facts too: a blocked, revoked or deleted license is flagged on this instance at once. */
  updateLicense = (id: number, changes: LicenseChanges) => this.writing(this.inner.updateLicense(id, changes));
  deleteLicense = (id: number) => this.writing(this.inner.deleteLicense(id));
  importActivations = (inputs: readonly NewActivation[]) => this.writing(this.inner.importActivations(inputs));
  deactivateActivation = (id: number) => this.writing(this.inner.deactivateActivation(id));
  createActivation = (licenseId: number, identifier: string) => this.writing(this.inner.createActivation(licenseId, identifier));
  createApiKey = (input: NewApiKey) => this.writing(this.inner.createApiKey(input));
  setApiKeyActive = (id: number, active: boolean) => this.writing(this.inner.setApiKeyActive(id, active));
  revokeApiKey = (id: number) => this.writing(this.inner.revokeApiKey(id));
  setApiKeyExpiry = (id: number, expiresAt: string | null) => this.writing(this.inner.setApiKeyExpiry(id, expiresAt));
  /** Clears the cache like every write: a cached key carries the scheme its answers are signed with. */
  setApiKeySignatureScheme = (id: number, scheme: ApiKeySignatureScheme) => this.writing(this.inner.setApiKeySignatureScheme(id, scheme));
  /** Passes through without clearing the cache: a cached key's last_used_at is not used to authenticate. */
  touchApiKeys = (uses: readonly ApiKeyUse[]) => this.inner.touchApiKeys(uses);

  private async writing<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.keys.clear();
      this.facts.clear();
    }
  }
}
