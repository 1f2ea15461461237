/**
 * License and user insights (docs/admin-api.md, "License insights"): per license key, or per user
 * identifier, of one product, what its reports in a window say. The store aggregates; the query
 * layer (src/query/insights.ts) classifies, sorts and pages.
 */

/** The checks that mark piracy when they fail: every flag but is_correct_format (a client bug). */
export const PIRACY_FLAGS = ['product_exists', 'license_key_exists', 'product_version_exists', 'activation_exists', 'license_active'] as const;
export type PiracyFlag = (typeof PIRACY_FLAGS)[number];

/** What a row is keyed by (with its product): a report's license_key, or its user_identifier. */
export type InsightSubject = 'license' | 'user';

/** Which reports the store aggregates: record time in [fromUs, toUs]; records without a product id or without the subject are left out. */
export interface InsightsRequest {
  subject: InsightSubject;
  fromUs: number;
  toUs: number;
  productId?: number;
  /** Keeps subjects containing this text, case-insensitively (ASCII case on SQLite, Unicode on PostgreSQL). */
  search?: string;
}

/** The registry's license for a (product, key) row; null when the key is not registered for that product. */
export interface InsightLicense {
  status: string;
  max_activations: number | null;
}

/** One (product, subject) of the window, as the store counts it: every count exact. */
export interface InsightsRow {
  product_id: number;
  /** The license key or user identifier. */
  value: string;
  /** Distinct activation_identifiers. */
  machines: number;
  /** Distinct user_identifiers (license rows) or license_keys (user rows). */
  others: number;
  /** Distinct client networks: IPv4 /24, IPv6 /48 (model/client-network.ts); unknown or unreadable addresses not counted. */
  networks: number;
  /** Distinct product_versions, in no particular order. */
  versions: string[];
  reports: number;
  /** Reports with any PIRACY_FLAGS check failed. */
  flagged_reports: number;
  /** Reports whose only failed check is is_correct_format. */
  client_bug_reports: number;
  /** Reports with each check failed. */
  flags: Record<PiracyFlag, number>;
  first_seen_us: number;
  last_seen_us: number;
  /** License rows: the registered license, or null; user rows: always null. */
  license: InsightLicense | null;
}

/** The classes a license insights row can have; a row may have several, or none. */
export const INSIGHT_CLASSES = ['shared', 'suspicious', 'client-bug'] as const;
export type InsightClass = (typeof INSIGHT_CLASSES)[number];

/**
 * What a license's and a user's rows of the insights answer share (CONTRACT §6). The answer's
 * shapes live here, on the ground floor, so the dashboard (web/src/types.ts) imports them
 * without the query layer's Node dependencies.
 */
export interface InsightCommon {
  product_id: number;
  machines: number;
  networks: number;
  versions: string[];
  reports: number;
  flagged_reports: number;
  client_bug_reports: number;
  flags: Record<PiracyFlag, number>;
  class: InsightClass[];
  blocked: boolean;
  first_seen: string;
  last_seen: string;
}

/** A license key's row of `GET /admin/api/licenses/insights`. */
export type LicenseInsight = { license_key: string; seats: number | null; users: number } & InsightCommon;
/** A user identifier's row of `GET /admin/api/users/insights`: licenses instead of seats and users. */
export type UserInsight = { user_identifier: string; licenses: number } & InsightCommon;

/** One page of either. */
export interface InsightsPage<T> {
  data: T[];
  /** Pass as `after` for the next page; null on the last. */
  next: string | null;
}
