/** Registry entities: what a vendor registers so that reports can be checked against it. */

export const CAPABILITIES = ['send_telemetry', 'get_telemetry'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/**
 * The ways an /api/v1 answer can be signed (CONTRACT §5): `contract` over the bytes
 * `response_base64` encodes; `getkeymanager-js` and `getkeymanager-php` over the bytes the
 * published SDKs re-serialize the envelope to before verifying it.
 */
export const SIGNATURE_SCHEMES = ['contract', 'getkeymanager-js', 'getkeymanager-php'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

/**
 * What an API key may say about the scheme: `auto` (the default) lets the signer pick from the
 * User-Agent; any other value pins that scheme, for clients behind a proxy that rewrites it.
 */
export const API_KEY_SIGNATURE_SCHEMES = ['auto', ...SIGNATURE_SCHEMES] as const;
export type ApiKeySignatureScheme = (typeof API_KEY_SIGNATURE_SCHEMES)[number];

export type ProductStatus = 'active' | 'inactive';
/**
 * `active` licenses' reports pass the license check; `blocked` and `revoked` ones are flagged
 * `license_active: 0`. Blocking can be undone; revoking is final (docs/licenses.md).
 */
export const LICENSE_STATUSES = ['active', 'blocked', 'revoked'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

export interface Product {
  id: number;
  name: string;
  status: ProductStatus;
  versions: string[];
  created_at: string;
}

export interface License {
  id: number;
  product_id: number;
  key: string;
  status: LicenseStatus;
  /** ISO-8601, or null for a license that never expires. */
  expires_at: string | null;
  /** Seats: how many machines the license may run on; null = none set (the server's `--default-seats` applies). */
  max_activations: number | null;
  /** The vendor's own words about the license (who bought it, why it was blocked); null = none. */
  notes: string | null;
  created_at: string;
  /** When the license was last changed (created, imported over, updated, blocked…); ISO-8601 UTC. */
  updated_at: string;
}

export interface Activation {
  id: number;
  license_id: number;
  identifier: string;
  created_at: string;
  /** When it was deactivated (ISO-8601 UTC); null while it counts. A deactivated activation flags reports `activation_exists: 0`. */
  deactivated_at: string | null;
}

export interface ApiKey {
  id: number;
  name: string;
  /** SHA-256 of the secret, hex. The secret itself is never stored. */
  secret_hash: string;
  capabilities: Capability[];
  /** Product ids the key may use; empty = every product. */
  products: number[];
  /** IPs and CIDRs the key may be used from; empty = anywhere. */
  allowed_ips: string[];
  active: boolean;
  revoked: boolean;
  created_at: string;
  /** ISO-8601 (UTC, `toISOString` form); from then on the key answers 101 like an inactive one. Null = never. */
  expires_at: string | null;
  /**
   * The expiry the key was made with (null = never), which a rotation gives the new key. It equals
   * `expires_at` unless a rotation's grace brought that forward: the grace ends this key only and
   * is never handed on (docs/security.md, "Leaked API keys").
   */
  configured_expires_at: string | null;
  /**
   * When the key last authenticated successfully, ISO-8601 UTC; null = never used. Kept in memory by
   * the server and written at most every 30 s and on shutdown, so it may lag by up to that much.
   */
  last_used_at: string | null;
  /**
   * How answers to requests made with this key are signed: `auto` = chosen per request from the
   * User-Agent (CONTRACT §5); otherwise always that scheme, whatever the User-Agent says.
   */
  signature_scheme: ApiKeySignatureScheme;
}

/** What the registry knows about the identifiers a report names, looked up in one call. */
export interface ReportFacts {
  product: { id: number; active: boolean } | null;
  versionExists: boolean;
  license: { status: LicenseStatus; expires_at: string | null } | null;
  activationExists: boolean;
}

/** The identifiers of a report that are looked up; null where the report had no usable value. */
export interface ReportLookup {
  productId: number | null;
  licenseKey: string | null;
  productVersion: string | null;
  activationIdentifier: string | null;
}
