import type { ReportFlags } from './record.js';

/**
 * Which stored records a query, an export or a summary is about (CONTRACT §4 filters, already
 * validated). Every field is optional; absent = no condition. Shared by all backends.
 */
export interface TelemetryFilter {
  /**
   * The products the records must belong to: the `product_id` filter intersected with the API
   * key's product scope. null = any product (no filter and an unscoped key); an empty array
   * matches nothing.
   */
  productIds: readonly number[] | null;
  dataType?: string;
  dataGroup?: string;
  userIdentifier?: string;
  licenseKey?: string;
  activationIdentifier?: string;
  productVersion?: string;
  flags?: Partial<Record<keyof ReportFlags, 0 | 1>>;
  /** The `blocked` flag (Tally's own, not one of the checks behind has_red_flags). */
  blocked?: 0 | 1;
  /** created_at bounds, microseconds since the epoch, inclusive. */
  fromUs?: number;
  toUs?: number;
}

/** Keyset paging: records with id > afterId, ordered by id, at most limit. */
export interface PageRequest {
  afterId: number;
  limit: number;
}

/** The text filters and the column each one compares by equality; both backends build their SQL from this list. */
export const TEXT_FILTERS = [
  ['dataType', 'data_type'],
  ['dataGroup', 'data_group'],
  ['userIdentifier', 'user_identifier'],
  ['licenseKey', 'license_key'],
  ['activationIdentifier', 'activation_identifier'],
  ['productVersion', 'product_version'],
] as const satisfies readonly (readonly [keyof TelemetryFilter, string])[];
