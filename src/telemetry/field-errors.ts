import { codePointLength, type FieldValue } from './field-value.js';
import type { FieldRule } from './fields.js';
import { parseDecimal } from './number.js';
import { DATA_TYPES } from '../model/record.js';

const DATA_TYPE_SET: ReadonlySet<string> = new Set(DATA_TYPES);

/** What a field's rule needs to know about the rest of the report. */
export interface FieldContext {
  dataType: string | null;
  /** Whether product_id named a product the key may use. */
  productValid: boolean;
  /** reported_at's message when its value was refused (reported-at.ts), else null. */
  reportedAtError: string | null;
}

/**
 * The messages for one field, Laravel-style: a missing required field says only that; a value
 * of the wrong shape says only that; otherwise the format rule of its kind.
 */
export function fieldErrors(rule: FieldRule, value: FieldValue, context: FieldContext): readonly string[] {
  if (value.kind === 'missing') {
    if (rule.requiredWhen === true) return [`The ${rule.label} field is required.`];
    if (rule.requiredWhen === context.dataType) return [`The ${rule.label} field is required when data type is ${context.dataType}.`];
    return NONE;
  }
  if (value.kind === 'invalid') return [`The ${rule.label} field must be a string.`];
  return formatErrors(rule, value.value, context);
}

/** No messages; shared and read-only, so a correct field allocates nothing. */
const NONE: readonly string[] = [];

function formatErrors(rule: FieldRule, text: string, context: FieldContext): readonly string[] {
  switch (rule.kind) {
    case 'product_id':
      return context.productValid ? NONE : [`The selected ${rule.label} is invalid.`];
    case 'data_type':
      return DATA_TYPE_SET.has(text) ? NONE : [`The selected ${rule.label} is invalid.`];
    case 'number':
      return parseDecimal(text) === null ? [`The ${rule.label} field must be a number.`] : NONE;
    case 'string':
      return rule.max !== null && text.length > rule.max && codePointLength(text) > rule.max
        ? [`The ${rule.label} field must not be greater than ${rule.max} characters.`]
        : NONE;
    case 'instant':
      return context.reportedAtError === null ? NONE : [context.reportedAtError];
  }
}
