import { Type, type Static } from '@sinclair/typebox';
import { LICENSE_STATUSES } from '../../model/registry.js';
import { MAX_BULK, MAX_NOTES_LENGTH, STATUS_ACTIONS } from '../../registry/license-lifecycle.js';
import { PAGE_LIMIT } from '../../registry/license-list.js';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { adminResponses, ErrorBody, InvalidParameters } from './error-answers.js';
import { Bounded, Closed, Count, Id, IdParams, IsoMicros, IsoMillis, Nullable, OneOf, Text } from './primitives.js';
import { License } from './registry.js';

/**
 * The license lifecycle under `/admin/api/licenses` and `/admin/api/activations`
 * (docs/admin-api.md, "Licenses"; docs/licenses.md): lists with filters and keyset paging
 * (`limit`, `after` → `next`), one license with its activations and report counts, changes,
 * block/unblock/revoke (one or many), delete, and activations listed, imported and deactivated.
 * Shapes here; values (an expiry's form, a transition out of revoked) are the registry's to refuse.
 */

const paging = {
  limit: Type.Optional(Bounded(PAGE_LIMIT.min, PAGE_LIMIT.max, PAGE_LIMIT.fallback)),
  after: Type.Optional(Text(32, { description: 'the `next` of the page before' })),
};

export const LicenseListQuery = Type.Object({
  key: Type.Optional(Text(255, { description: 'this key exactly (every product\'s, unless product_id is given); one page' })),
  product_id: Type.Optional(Id()),
  status: Type.Optional(OneOf(LICENSE_STATUSES)),
  expiry: Type.Optional(OneOf(['expired', 'never'] as const, { description: 'expired (now) or never expiring' })),
  expires_before: Type.Optional(Text(64, { description: 'ISO-8601: licenses that expire before then' })),
  search: Type.Optional(Text(255, { description: 'text in the key or the notes, any case' })),
  ...paging,
}, { additionalProperties: false });
export type LicenseListQuery = Static<typeof LicenseListQuery> & { limit: number };

export const PageQuery = Type.Object(paging, { additionalProperties: false });
export type PageQuery = Static<typeof PageQuery> & { limit: number };

export const ActivationListQuery = Type.Object({ product_id: Type.Optional(Id()), license_id: Type.Optional(Id()), ...paging }, { additionalProperties: false });
export type ActivationListQuery = Static<typeof ActivationListQuery> & { limit: number };

export const LicensePatch = Type.Object({
  status: Type.Optional(OneOf(LICENSE_STATUSES, { description: 'revoked is final', errorMessage: `status must be one of ${LICENSE_STATUSES.join(', ')}.` })),
  expires_at: Type.Optional(Nullable(Type.String({ maxLength: 64 }), {
    description: 'ISO-8601 date or date-time; null or "" = never', errorMessage: 'expires_at must be an ISO-8601 date or date-time, or null for never.',
  })),
  max_activations: Type.Optional(Nullable(Type.Integer(), {
    description: 'seats; null = none (--default-seats applies)', errorMessage: 'max_activations must be a whole number, or null for none.',
  })),
  notes: Type.Optional(Nullable(Type.String({ maxLength: MAX_NOTES_LENGTH }), {
    description: 'null or "" clears them', errorMessage: `notes must be text of at most ${MAX_NOTES_LENGTH} characters, or null.`,
  })),
}, { additionalProperties: false, errorMessage: 'Send a JSON object with some of status, expires_at, max_activations, notes.' });
export type LicensePatch = Static<typeof LicensePatch>;

export const BulkBody = Type.Object({
  ids: Type.Array(Id(), { minItems: 1, maxItems: MAX_BULK, description: 'license ids', errorMessage: `ids must be a list of 1 to ${MAX_BULK} license ids.` }),
  action: OneOf(STATUS_ACTIONS, { errorMessage: `action must be one of ${STATUS_ACTIONS.join(', ')}.` }),
}, { additionalProperties: false, errorMessage: 'Send a JSON object: {"ids": [1, 2, …], "action": "block" | "unblock" | "revoke"}.' });
export type BulkBody = Static<typeof BulkBody>;

export const ActivationImportBody = Type.Object({
  text: Type.String({ description: 'the file: CSV with a header row, or NDJSON (as `tally activation import`)', errorMessage: 'text must be the file\'s text.' }),
}, { additionalProperties: false, errorMessage: 'Send a JSON object: {"text": "<CSV or NDJSON>"}.' });
export type ActivationImportBody = Static<typeof ActivationImportBody>;

export const ListedActivation = Closed({
  id: Type.Integer(), license_id: Type.Integer(), identifier: Type.String(), created_at: IsoMillis(), deactivated_at: Nullable(IsoMillis()),
  license_key: Type.String(), product_id: Type.Integer(),
});
export const LicensePage = Closed({ licenses: Type.Array(License), next: Nullable(Type.String()) });
export const ActivationPage = Closed({ activations: Type.Array(ListedActivation), next: Nullable(Type.String()) });
export const LicenseDetail = Closed({
  license: License,
  activations: Type.Array(ListedActivation),
  activations_next: Nullable(Type.String()),
  reports: Closed({ total: Count(), flagged: Count(), last_report_at: Nullable(IsoMicros()) }),
});
export const BulkResult = Closed({
  action: OneOf(STATUS_ACTIONS),
  changed: Type.Array(Type.Integer()),
  unchanged: Type.Array(Type.Integer()),
  refused: Type.Array(Closed({ id: Type.Integer(), error: Type.String() })),
});

const INVALID = 'The list parameters are invalid.';
/** A refused parameter (the schema's, per field) or a value the registry refuses (an unreadable expires_before, after). */
const BadList = Type.Union([InvalidParameters(INVALID), ErrorBody]);
const change = { changes: true };
const byId = { params: IdParams };
export const listLicensesSchema = { querystring: LicenseListQuery, response: adminResponses({ 200: LicensePage, 400: BadList }, { query: true }) };
export const showLicenseSchema = { ...byId, response: adminResponses({ 200: LicenseDetail, 404: ErrorBody }) };
export const patchLicenseSchema = { ...byId, body: LicensePatch, response: adminResponses({ 200: License, 400: ErrorBody, 404: ErrorBody }, change) };
export const licenseActionSchema = { ...byId, response: adminResponses({ 200: License, 400: ErrorBody, 404: ErrorBody }, change) };
export const deleteLicenseSchema = { ...byId, response: adminResponses({ 200: Closed({ id: Type.Integer(), deleted: Type.Literal(true) }), 404: ErrorBody }, change) };
export const bulkSchema = { body: BulkBody, response: adminResponses({ 200: BulkResult, 400: ErrorBody }, change) };
export const licenseActivationsSchema = { ...byId, querystring: PageQuery, response: adminResponses({ 200: ActivationPage, 400: BadList, 404: ErrorBody }, { query: true }) };
export const activationsSchema = { querystring: ActivationListQuery, response: adminResponses({ 200: ActivationPage, 400: BadList }, { query: true }) };
export const importActivationsSchema = { body: ActivationImportBody, response: adminResponses({ 200: Closed({ imported: Count(), unchanged: Count() }), 400: ErrorBody }, change) };
export const deactivateSchema = { ...byId, response: adminResponses({ 200: ListedActivation, 404: ErrorBody }, change) };

/** An id that names no license, or is not an id, is not found. */
export const licenseRefusals: AdminRefusals = { id: ({ text }) => ({ status: 404, error: `No license with id ${text}.` }) };
/** Refused list parameters: 400 with the messages per field. */
export const listRefusals: AdminRefusals = { query: { error: INVALID, listed: true } };
export const licenseListRefusals: AdminRefusals = { ...licenseRefusals, ...listRefusals };
export const activationRefusals: AdminRefusals = { id: ({ text }) => ({ status: 404, error: `No activation with id ${text}.` }) };
