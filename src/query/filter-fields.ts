import { FLAG_NAMES } from '../model/record.js';

/** How a query field's value is read and which messages it can earn. */
export type FilterFieldKind = 'product_id' | 'data_type' | 'string' | 'flag' | 'date' | 'limit' | 'after_id';

/** A field of the query API (CONTRACT §4), in the order its errors are listed. */
export interface FilterField {
  name: string;
  /** How messages name it: `after_id` → `after id`. */
  label: string;
  kind: FilterFieldKind;
}

function field(name: string, kind: FilterFieldKind): FilterField {
  return { name, label: name.replaceAll('_', ' '), kind };
}

/**
 * Every field the query API reads. The HTTP endpoint, the export route and the CLI's flags
 * (`--product-id`, `--has-red-flags`…) are all derived from this one list.
 */
export const FILTER_FIELDS: readonly FilterField[] = [
  field('product_id', 'product_id'),
  field('data_type', 'data_type'),
  field('data_group', 'string'),
  field('user_identifier', 'string'),
  field('license_key', 'string'),
  field('activation_identifier', 'string'),
  field('product_version', 'string'),
  ...FLAG_NAMES.map((name) => field(name, 'flag')),
  field('blocked', 'flag'),
  field('from', 'date'),
  field('to', 'date'),
  field('limit', 'limit'),
  field('after_id', 'after_id'),
];

/** Most characters (code points) a string filter may have, like the columns it is compared with. */
export const MAX_FILTER_LENGTH = 255;
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
