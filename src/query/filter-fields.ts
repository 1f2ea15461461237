import { FLAG_NAMES } from '../model/record.js';

/** How a query field's value is read and which messages it can earn. */
export type FilterFieldKind = 'product_id' | 'data_type' | 'string' | 'flag' | 'date' | 'limit' | 'after_id';

/**
 * A field of the query API (CONTRACT §4), in the order its errors are listed. A text filter has
 * no length limit of its own: any value that can be stored can be looked for, bounded only by the
 * request's size.
 */
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
  field('reported_from', 'date'),
  field('reported_to', 'date'),
  field('limit', 'limit'),
  field('after_id', 'after_id'),
];

/**
 * What a flag filter (`has_red_flags`, `blocked`, …) accepts and means: `1`/`0` as the records
 * show flags, and `true`/`false` as the published SDKs send them (CONTRACT §4). In this order
 * in messages: `must be 1, 0, true or false`.
 */
export const FLAG_WORDS: ReadonlyMap<string, 0 | 1> = new Map([['1', 1], ['0', 0], ['true', 1], ['false', 0]]);

/** `1, 0, true or false`: the words of FLAG_WORDS as a message lists them. */
export const FLAG_WORDS_TEXT = `${[...FLAG_WORDS.keys()].slice(0, -1).join(', ')} or ${[...FLAG_WORDS.keys()].at(-1) ?? ''}`;

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
