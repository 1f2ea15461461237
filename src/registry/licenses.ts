import type { NewLicense, RegistryStore } from '../store/contract/store.js';
import { MAX_IDENTIFIER_LENGTH, requireProduct } from './products.js';
import type { License, LicenseStatus } from '../model/registry.js';
import { DuplicateError, RegistryInputError } from '../model/errors.js';
import type { AuditContext } from '../model/audit.js';
import { createdFields } from './audit/field-changes.js';
import { recordChange } from './audit/record-change.js';

/** What a license may be created or imported as; `revoked` is reached only by revoking one (license-lifecycle.ts). */
export const NEW_LICENSE_STATUSES: readonly LicenseStatus[] = ['active', 'blocked'];

export interface LicenseRequest {
  productId: number;
  key: string;
  /** 'active' (the default) or 'blocked'. */
  status?: string | null;
  /** ISO-8601 date or date-time; empty or absent = never expires. */
  expiresAt?: string | null;
  /** Seats: a whole number from 1 up (as text or a number); empty or absent = none. */
  maxActivations?: string | number | null;
}

export type LicenseCheck = { ok: true; license: NewLicense } | { ok: false; problems: string[] };

/**
 * Registers one license so that reports using its key are not red-flagged. The product must
 * exist; a key already registered for that product is refused rather than overwritten.
 */
export async function createLicense(registry: RegistryStore, request: LicenseRequest, audit: AuditContext): Promise<License> {
  const check = checkLicense(request);
  if (!check.ok) throw new RegistryInputError(check.problems.join(' '));
  await requireProduct(registry, check.license.product_id);
  let license: License;
  try {
    license = await registry.createLicense(check.license);
  } catch (error) {
    if (!(error instanceof DuplicateError)) throw error;
    throw new RegistryInputError(`License "${check.license.key}" already exists for product ${check.license.product_id}.`);
  }
  await recordChange(audit, { action: 'license.create', targetType: 'license', targetId: license.id, changes: createdFields(license, LICENSE_AUDIT_FIELDS) });
  return license;
}

/** A license's fields the audit log shows when one is made or changed (docs/audit.md). */
export const LICENSE_AUDIT_FIELDS = ['product_id', 'key', 'status', 'expires_at', 'max_activations'] as const;

/**
 * Checks a license's own fields (not whether its product exists) and normalises them: the key
 * trimmed, the expiry as `toISOString()`. Returns every problem so a bulk import can list them.
 */
export function checkLicense(request: LicenseRequest): LicenseCheck {
  const problems: string[] = [];
  if (!Number.isSafeInteger(request.productId) || request.productId < 1) problems.push('The product id must be a positive integer.');
  const key = request.key.trim();
  if (key === '') problems.push('The license key must not be empty.');
  if (key.length > MAX_IDENTIFIER_LENGTH) problems.push(`The license key must not be longer than ${MAX_IDENTIFIER_LENGTH} characters.`);
  // PostgreSQL's text cannot hold it (the import would fail as a whole); SQLite refuses it the same.
  if (key.includes('\u0000')) problems.push('The license key must not contain U+0000.');
  const status = (request.status ?? '').trim() || 'active';
  if (!(NEW_LICENSE_STATUSES as readonly string[]).includes(status)) problems.push(`The status must be active or blocked, not "${status}".`);
  const expiry = normaliseExpiry(request.expiresAt);
  if (expiry === undefined) problems.push(`The expiry must be an ISO-8601 date or date-time, not "${request.expiresAt ?? ''}".`);
  const seats = readSeats(request.maxActivations);
  if (seats === undefined) problems.push(`The max activations must be a whole number from 1 to ${MAX_SEATS}, or empty for none, not "${String(request.maxActivations)}".`);
  if (problems.length > 0 || expiry === undefined || seats === undefined) return { ok: false, problems };
  return { ok: true, license: { product_id: request.productId, key, status: status as LicenseStatus, expires_at: expiry, max_activations: seats } };
}

/** The most seats a license may have (PostgreSQL's integer holds it with room to spare). */
export const MAX_SEATS = 1_000_000_000;

/** A license's seats: null for none (absent or empty), undefined when unreadable. */
export function readSeats(raw: string | number | null | undefined): number | null | undefined {
  const text = typeof raw === 'number' ? String(raw) : (raw ?? '').trim();
  if (text === '') return null;
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const seats = Number(text);
  return seats >= 1 && seats <= MAX_SEATS ? seats : undefined;
}

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?$/;

/**
 * `YYYY-MM-DD`, or that plus `THH:MM[:SS[.fff]]` and an optional `Z`/offset. A date alone is
 * midnight UTC; a time without a zone is read as UTC too, so the result does not depend on
 * the machine's time zone. Returns null for "never expires", undefined when unreadable.
 */
export function normaliseExpiry(raw: string | null | undefined): string | null | undefined {
  const text = (raw ?? '').trim();
  if (text === '') return null;
  const match = ISO_8601.exec(text);
  if (match === null || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) return undefined;
  const hasTime = text.length > 10;
  const ms = Date.parse(text.replace(' ', 'T') + (hasTime && match[4] === undefined ? 'Z' : ''));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}
