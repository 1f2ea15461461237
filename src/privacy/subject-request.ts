import type { FieldErrors } from '../model/record.js';
import type { PrivacySubject } from '../model/privacy-subject.js';

/** A privacy request's fields as the CLI's flags and the admin API's body name them. */
export interface SubjectFields {
  user_identifier?: unknown;
  license_key?: unknown;
  activation_identifier?: unknown;
  product_id?: unknown;
}

export type SubjectReading = { ok: true; subject: PrivacySubject } | { ok: false; errors: FieldErrors };

export const SUBJECT_MESSAGES = {
  user_identifier: 'user_identifier is required: the user identifier exactly as stored',
  license_key: 'license_key must be a non-empty string when given',
  activation_identifier: 'activation_identifier must be a non-empty string when given',
  product_id: 'product_id must be a positive integer when given',
} as const;

/**
 * Whose records a privacy export or erasure is about (model/privacy-subject.ts), read from the
 * CLI's flags or the admin API's body: the user identifier is required and matched exactly as
 * stored (never trimmed: erasing `alice ` must not erase `alice`); the others narrow it.
 */
export function readSubject(fields: SubjectFields): SubjectReading {
  const errors: FieldErrors = {};
  const text = (name: 'license_key' | 'activation_identifier'): string | null => {
    const value = fields[name];
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' && value !== '') return value;
    errors[name] = [SUBJECT_MESSAGES[name]];
    return null;
  };
  const user = fields.user_identifier;
  if (typeof user !== 'string' || user === '') errors['user_identifier'] = [SUBJECT_MESSAGES.user_identifier];
  const subject: PrivacySubject = {
    userIdentifier: typeof user === 'string' ? user : '',
    licenseKey: text('license_key'),
    activationIdentifier: text('activation_identifier'),
    productId: productIdOf(fields.product_id, errors),
  };
  return Object.keys(errors).length === 0 ? { ok: true, subject } : { ok: false, errors };
}

function productIdOf(value: unknown, errors: FieldErrors): number | null {
  if (value === undefined || value === null) return null;
  const id = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return id;
  errors['product_id'] = [SUBJECT_MESSAGES.product_id];
  return null;
}
