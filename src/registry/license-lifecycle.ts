import type { AuditContext, FieldChange } from '../model/audit.js';
import { NotFoundError, RegistryInputError } from '../model/errors.js';
import type { License, LicenseStatus } from '../model/registry.js';
import { isoFromMicros } from '../model/iso-micros.js';
import type { LicenseChanges, ListedActivation } from '../store/contract/license-store.js';
import type { RegistryStore } from '../store/contract/store.js';
import { listActivations } from './activation-lifecycle.js';
import { readStatus } from './license-list.js';
import { normaliseExpiry, readSeats, MAX_SEATS } from './licenses.js';
import { requireId } from './products.js';

/** The longest notes a license keeps. */
export const MAX_NOTES_LENGTH = 4000;

/** What one license is, with its first activations and what its key reported. */
export interface LicenseDetail {
  license: License;
  activations: ListedActivation[];
  /** The `after` for the rest of its activations (GET …/activations), null when all are here. */
  activations_next: string | null;
  reports: { total: number; flagged: number; last_report_at: string | null };
}

/** A change as the CLI and the admin API ask for it; absent = unchanged, null or '' = cleared. */
export interface LicenseUpdate {
  status?: string;
  expiresAt?: string | null;
  maxActivations?: string | number | null;
  notes?: string | null;
}

/** The status changes that have their own command and route. */
export const STATUS_ACTIONS = ['block', 'unblock', 'revoke'] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];
const ACTION_STATUS: Record<StatusAction, LicenseStatus> = { block: 'blocked', unblock: 'active', revoke: 'revoked' };

/** The license with this id, or NotFoundError. */
export async function getLicense(registry: RegistryStore, id: number): Promise<License> {
  requireId(id, 'license');
  const license = await registry.getLicense(id);
  if (license === null) throw new NotFoundError(`No license with id ${id}.`);
  return license;
}

/**
 * The license a CLI argument names: a key (narrowed by product when given), or else, when it is
 * all digits and no license has that key, an id. A key that several products have needs the product.
 */
export async function resolveLicense(registry: RegistryStore, ref: string, productId?: number): Promise<License> {
  const text = ref.trim();
  if (text === '') throw new RegistryInputError('Name a license by its key or id.');
  const found = (await registry.findLicenses(text)).filter((license) => productId === undefined || license.product_id === productId);
  if (found.length > 1) throw new RegistryInputError(`License "${text}" exists for several products (${found.map((l) => l.product_id).join(', ')}); say which one with --product.`);
  if (found[0] !== undefined) return found[0];
  const byId = /^\d{1,15}$/.test(text) ? await registry.getLicense(Number(text)) : null;
  if (byId !== null && (productId === undefined || byId.product_id === productId)) return byId;
  throw new NotFoundError(`No license "${text}"${productId === undefined ? '' : ` for product ${productId}`}.`);
}

/** One license with its first 100 activations and its report counts (one indexed read of its reports). */
export async function showLicense(registry: RegistryStore, id: number): Promise<LicenseDetail> {
  const license = await getLicense(registry, id);
  const [page, counts] = await Promise.all([
    listActivations(registry, { licenseId: id, limit: 100 }),
    registry.licenseReportCounts(license.product_id, license.key),
  ]);
  const lastReport = counts.last_report_us === null ? null : isoFromMicros(counts.last_report_us);
  return { license, activations: page.activations, activations_next: page.next, reports: { total: counts.total, flagged: counts.flagged, last_report_at: lastReport } };
}

/** Changes a license's status, expiry, seats or notes; records the fields that changed. Revoked is final. */
export async function updateLicense(registry: RegistryStore, id: number, update: LicenseUpdate, audit: AuditContext): Promise<License> {
  const before = await getLicense(registry, id);
  const changes = readChanges(update);
  if (changes.status !== undefined) checkTransition(before, changes.status);
  return applyChanges(registry, before, changes, 'license.update', audit);
}

/** Blocks, unblocks or revokes one license; doing what is already done changes nothing and records nothing. */
export async function setLicenseStatus(registry: RegistryStore, id: number, action: StatusAction, audit: AuditContext): Promise<License> {
  const before = await getLicense(registry, id);
  const status = ACTION_STATUS[action];
  checkTransition(before, status);
  return applyChanges(registry, before, { status }, `license.${action}`, audit);
}

/** Deletes a license and its activations (its reports stay, and from then on are flagged as of an unknown key). */
export async function deleteLicense(registry: RegistryStore, id: number, audit: AuditContext): Promise<License> {
  const license = await getLicense(registry, id);
  if (!(await registry.deleteLicense(id))) throw new NotFoundError(`No license with id ${id}.`);
  const changes: Record<string, FieldChange> = {};
  for (const field of ['product_id', 'key', 'status', 'expires_at', 'max_activations', 'notes'] as const) changes[field] = { before: license[field], after: null };
  await audit.log.record({ actor: audit.actor, action: 'license.delete', targetType: 'license', targetId: String(id), changes });
  return license;
}

/** What a bulk action did to each license asked for. */
export interface BulkResult {
  action: StatusAction;
  /** Licenses whose status changed. */
  changed: number[];
  /** Licenses already in that status. */
  unchanged: number[];
  /** Licenses it could not act on, with why (no such license; a revoked one cannot be unblocked). */
  refused: { id: number; error: string }[];
}

/** The most licenses one bulk action takes (a page of the list). */
export const MAX_BULK = 1000;

/** Blocks, unblocks or revokes many licenses, each as setLicenseStatus would (each change in the audit log). */
export async function bulkLicenseAction(registry: RegistryStore, ids: readonly number[], action: StatusAction, audit: AuditContext): Promise<BulkResult> {
  if (ids.length === 0) throw new RegistryInputError('Give the ids of the licenses to act on.');
  if (ids.length > MAX_BULK) throw new RegistryInputError(`At most ${MAX_BULK} licenses at once, not ${ids.length}.`);
  const result: BulkResult = { action, changed: [], unchanged: [], refused: [] };
  for (const id of new Set(ids)) {
    try {
      const before = await getLicense(registry, id);
      const after = await setLicenseStatus(registry, id, action, audit);
      (after.status === before.status ? result.unchanged : result.changed).push(id);
    } catch (error) {
      if (!(error instanceof RegistryInputError)) throw error;
      result.refused.push({ id, error: error.message });
    }
  }
  return result;
}

function checkTransition(license: License, status: LicenseStatus): void {
  if (license.status === 'revoked' && status !== 'revoked') {
    throw new RegistryInputError(`License ${license.id} ("${license.key}") is revoked; revoking is final, it cannot be made ${status} again.`);
  }
}

function readChanges(update: LicenseUpdate): LicenseChanges {
  const changes: LicenseChanges = {};
  const status = readStatus(update.status);
  if (status !== undefined) changes.status = status;
  if (update.expiresAt !== undefined) {
    const expiry = normaliseExpiry(update.expiresAt);
    if (expiry === undefined) throw new RegistryInputError(`The expiry must be an ISO-8601 date or date-time, or empty for never, not "${update.expiresAt ?? ''}".`);
    changes.expires_at = expiry;
  }
  if (update.maxActivations !== undefined) {
    const seats = readSeats(update.maxActivations);
    if (seats === undefined) throw new RegistryInputError(`The max activations must be a whole number from 1 to ${MAX_SEATS}, or empty for none, not "${String(update.maxActivations)}".`);
    changes.max_activations = seats;
  }
  if (update.notes !== undefined) changes.notes = readNotes(update.notes);
  if (Object.keys(changes).length === 0) throw new RegistryInputError('Nothing to change: give a status, an expiry, seats or notes.');
  return changes;
}

function readNotes(raw: string | null): string | null {
  const notes = (raw ?? '').trim();
  if (notes.length > MAX_NOTES_LENGTH) throw new RegistryInputError(`The notes must not be longer than ${MAX_NOTES_LENGTH} characters.`);
  if (notes.includes('\u0000')) throw new RegistryInputError('The notes must not contain U+0000.');
  return notes === '' ? null : notes;
}

/** Writes the fields that differ (none: no write, no entry) and records them, before and after. */
async function applyChanges(registry: RegistryStore, before: License, changes: LicenseChanges, action: string, audit: AuditContext): Promise<License> {
  const changed: Record<string, FieldChange> = {};
  const write: LicenseChanges = {};
  for (const [field, value] of Object.entries(changes) as [keyof LicenseChanges, LicenseChanges[keyof LicenseChanges]][]) {
    if (value === before[field]) continue;
    changed[field] = { before: before[field], after: value };
    Object.assign(write, { [field]: value });
  }
  if (Object.keys(write).length === 0) return before;
  const after = await registry.updateLicense(before.id, write);
  if (after === null) throw new NotFoundError(`No license with id ${before.id}.`);
  await audit.log.record({ actor: audit.actor, action, targetType: 'license', targetId: String(before.id), changes: changed });
  return after;
}
