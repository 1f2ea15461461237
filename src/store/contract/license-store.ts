import type { Activation, License, LicenseStatus } from '../../model/registry.js';

/**
 * The license lifecycle's part of the registry (docs/licenses.md): licenses listed, read,
 * changed and deleted one by one, their activations listed, imported and deactivated, and
 * each license's report counts. Part of RegistryStore, so that the cached registry clears its
 * report facts on every such write.
 */

/** Which licenses a list holds, by expiry: expired at `now`, expiring before a time, or never expiring. */
export type ExpiryFilter = { kind: 'expired'; now: string } | { kind: 'before'; at: string } | { kind: 'never' };

/** A page of licenses: the filters (all optional, ANDed), then keyset paging by id. */
export interface LicenseListRequest {
  productId?: number;
  status?: LicenseStatus;
  expiry?: ExpiryFilter;
  /** Text found (case-insensitively, anywhere) in the key or the notes. */
  search?: string;
  /** Only licenses with an id greater than this (the last id of the page before). */
  afterId?: number;
  limit: number;
}

/** The fields of a license that can be changed; an absent field is left as it is, null clears it. */
export interface LicenseChanges {
  status?: LicenseStatus;
  expires_at?: string | null;
  max_activations?: number | null;
  notes?: string | null;
}

/** An activation as listed: with its license's key and product, so a list per product reads on its own. */
export interface ListedActivation extends Activation {
  license_key: string;
  product_id: number;
}

/** A page of activations of one license or one product (or of all), by id. */
export interface ActivationListRequest {
  licenseId?: number;
  productId?: number;
  afterId?: number;
  limit: number;
}

/** How many reports a license's key sent for its product, how many were red-flagged, and when the last came. */
export interface LicenseReportCounts {
  total: number;
  flagged: number;
  /** The created_at of the newest report, microseconds since the epoch; null when none. */
  last_report_us: number | null;
}

/** An activation to import: the license (by id) and the identifier. */
export interface NewActivation {
  license_id: number;
  identifier: string;
}

export interface LicenseLifecycleStore {
  /** Licenses matching the request, ordered by id, at most `limit`. */
  listLicenses(request: LicenseListRequest): Promise<License[]>;
  getLicense(id: number): Promise<License | null>;
  /** Every license with one of these keys (any product), ordered by id. */
  findLicensesByKeys(keys: readonly string[]): Promise<License[]>;
  /**
   * Changes the given fields and sets updated_at; returns the license after the change, or null
   * when there is none. Does not check transitions (revoked is final): the registry does.
   */
  updateLicense(id: number, changes: LicenseChanges): Promise<License | null>;
  /** Deletes a license with its activations, in one transaction. Returns false when there is none. Its reports stay. */
  deleteLicense(id: number): Promise<boolean>;
  /** Indexed on (product_id, license_key): reads the license's own reports only. */
  licenseReportCounts(productId: number, key: string): Promise<LicenseReportCounts>;

  listActivations(request: ActivationListRequest): Promise<ListedActivation[]>;
  getActivation(id: number): Promise<ListedActivation | null>;
  /**
   * Records all in one transaction: a new (license, identifier) is inserted, a deactivated one
   * activated again, one that counts already left alone. Returns how many were inserted or reactivated.
   */
  importActivations(inputs: readonly NewActivation[]): Promise<number>;
  /** Sets deactivated_at (once: an already deactivated one keeps its time). Returns it after, or null when there is none. */
  deactivateActivation(id: number): Promise<ListedActivation | null>;
}
