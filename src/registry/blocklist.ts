import type { BlocklistStore, RegistryStore } from '../store/contract/store.js';
import { BLOCK_KINDS, type BlockEntry, type BlockKind, type NewBlockEntry } from '../model/blocklist.js';
import { NotFoundError, RegistryInputError } from '../model/errors.js';
import { isIpOrCidr } from '../model/ip-prefix-set.js';
import { blockMatchForm } from '../model/block-match.js';
import type { AuditContext } from '../model/audit.js';
import { createdFields, removedFields } from './audit/field-changes.js';
import { recordChange } from './audit/record-change.js';

/** An entry's fields the audit log shows when it is added or removed. */
const BLOCK_AUDIT_FIELDS = ['kind', 'value', 'product_id', 'reason', 'ignore_case'] as const;

/** Most characters a value may have, like the report fields it is compared with. */
const MAX_VALUE_LENGTH = 255;
const MAX_REASON_LENGTH = 1000;

/** What a field of a block request that is not of its kind is told (the admin API's body schema says the same). */
export const BLOCK_FIELD_MESSAGES = {
  kind: `kind must be one of ${BLOCK_KINDS.join(', ')}.`,
  value: 'value must be a non-empty string.',
  product_id: 'product_id must be a positive integer.',
  reason: 'reason must be a string.',
  ignore_case: 'ignore_case must be true or false.',
} as const;

/** A block request as the CLI or the admin API receives it: nothing checked yet. */
export interface BlockRequest {
  kind: unknown;
  value: unknown;
  product_id?: unknown;
  reason?: unknown;
  /** true: a user_identifier or license_key entry that matches whatever the case. */
  ignore_case?: unknown;
}

/**
 * Checks and adds an entry. Values are trimmed (reports are trimmed before they are matched, and
 * both are compared in their blockMatchForm, without invisible characters; `ignore_case` entries
 * case-folded too);
 * an `ip` value must be an IPv4/IPv6 address or CIDR; `product_id` must name an existing
 * product. Throws RegistryInputError for bad input and DuplicateError (from the store) when the
 * same kind, value and product scope is already blocked.
 */
export async function addBlockEntry(blocklist: BlocklistStore, registry: RegistryStore, request: BlockRequest, audit: AuditContext): Promise<BlockEntry> {
  const entry = checkBlockRequest(request);
  if (entry.product_id !== null && (await registry.getProduct(entry.product_id)) === null) {
    throw new RegistryInputError(`Product ${entry.product_id} does not exist.`);
  }
  const added = await blocklist.add(entry);
  await recordChange(audit, { action: 'block.add', targetType: 'block', targetId: added.id, changes: createdFields(added, BLOCK_AUDIT_FIELDS) });
  return added;
}

/** Removes an entry; throws NotFoundError when there is none with that id. */
export async function removeBlockEntry(blocklist: BlocklistStore, id: number, audit: AuditContext): Promise<void> {
  const entry = (await blocklist.list()).find((candidate) => candidate.id === id);
  if (entry === undefined || !(await blocklist.remove(id))) throw new NotFoundError(`No blocklist entry ${id}.`);
  await recordChange(audit, { action: 'block.remove', targetType: 'block', targetId: id, changes: removedFields(entry, BLOCK_AUDIT_FIELDS) });
}

function checkBlockRequest(request: BlockRequest): NewBlockEntry {
  const kind = request.kind;
  if (typeof kind !== 'string' || !(BLOCK_KINDS as readonly string[]).includes(kind)) {
    throw new RegistryInputError(BLOCK_FIELD_MESSAGES.kind);
  }
  const value = checkValue(kind as BlockKind, request.value);
  const ignoreCase = checkIgnoreCase(kind as BlockKind, request.ignore_case);
  return { kind: kind as BlockKind, value, product_id: checkProductId(request.product_id), reason: checkReason(request.reason), ignore_case: ignoreCase };
}

function checkIgnoreCase(kind: BlockKind, raw: unknown): boolean {
  if (raw === undefined || raw === null || raw === false) return false;
  if (raw !== true) throw new RegistryInputError(BLOCK_FIELD_MESSAGES.ignore_case);
  if (kind === 'ip') throw new RegistryInputError('ignore_case applies to user_identifier and license_key entries only.');
  return true;
}

function checkValue(kind: BlockKind, raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new RegistryInputError(BLOCK_FIELD_MESSAGES.value);
  const value = raw.trim();
  if ([...value].length > MAX_VALUE_LENGTH) throw new RegistryInputError(`value must not be longer than ${MAX_VALUE_LENGTH} characters.`);
  if (value.includes('\u0000')) throw new RegistryInputError('value must not contain U+0000.');
  if (kind !== 'ip' && blockMatchForm(value, false) === '') throw new RegistryInputError('value must have a visible character.');
  if (kind === 'ip' && !isIpOrCidr(value)) throw new RegistryInputError(`"${value}" is not an IP address or CIDR (e.g. 203.0.113.7, 10.0.0.0/8, 2001:db8::/32).`);
  return value;
}

function checkProductId(raw: unknown): number | null {
  if (raw === undefined || raw === null) return null;
  const id = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw new RegistryInputError(BLOCK_FIELD_MESSAGES.product_id);
  return id;
}

function checkReason(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') throw new RegistryInputError(BLOCK_FIELD_MESSAGES.reason);
  const reason = raw.trim();
  if (reason.length > MAX_REASON_LENGTH) throw new RegistryInputError(`reason must not be longer than ${MAX_REASON_LENGTH} characters.`);
  if (reason.includes('\u0000')) throw new RegistryInputError('reason must not contain U+0000.');
  return reason === '' ? null : reason;
}
