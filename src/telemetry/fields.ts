import type { DataType } from '../model/record.js';

/** A field of the contract's table, in the order its errors are listed. */
export interface FieldRule {
  name: string;
  /** How messages name it: `user_identifier` → `user identifier`. */
  label: string;
  /** Most characters (Unicode code points) allowed; null = no limit. */
  max: number | null;
  /** Required always (true), only when data_type is this value, or never (false). */
  requiredWhen: boolean | DataType;
  kind: 'product_id' | 'string' | 'data_type' | 'number' | 'instant';
}

function rule(name: string, kind: FieldRule['kind'], max: number | null, requiredWhen: FieldRule['requiredWhen'] = true): FieldRule {
  return { name, label: name.replaceAll('_', ' '), max, requiredWhen, kind };
}

export const FIELD_RULES: readonly FieldRule[] = [
  rule('product_id', 'product_id', null),
  rule('user_identifier', 'string', 255),
  rule('license_key', 'string', 255),
  rule('activation_identifier', 'string', 255),
  rule('product_version', 'string', 255),
  rule('data_type', 'data_type', null),
  rule('numeric_data_single_value', 'number', null, 'numeric-single-value'),
  rule('numeric_data_x', 'number', null, 'numeric-xy-axis'),
  rule('numeric_data_y', 'number', null, 'numeric-xy-axis'),
  rule('text_data', 'string', 65535, 'text'),
  rule('data_group', 'string', 255),
  // Optional: when the client recorded the report (telemetry/reported-at.ts).
  rule('reported_at', 'instant', null, false),
];

/** Where each field's rule sits in FIELD_RULES (and its value in a ReadReport's fields). */
export const FIELD_INDEX: Readonly<Record<string, number>> = Object.fromEntries(FIELD_RULES.map((r, i) => [r.name, i]));

/**
 * Field names that are never kept as metadata: `event_id` has its own table (docs/ingest-behaviour.md);
 * `nonce` is about the answer, echoed in it and never stored (envelope/request-nonce.ts).
 */
export const RESERVED_FIELDS: ReadonlySet<string> = new Set([...FIELD_RULES.map((r) => r.name), 'api_key', 'event_id', 'nonce']);
