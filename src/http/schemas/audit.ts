import { Type, type Static, type StaticDecode } from '@sinclair/typebox';
import { DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE } from '../../model/audit-entry.js';
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS } from '../../query/export.js';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { adminResponses, InvalidParameters } from './error-answers.js';
import { Bounded, Closed, Id, Instant, IsoMicros, Nullable, OneOf, Text } from './primitives.js';

/** `GET /admin/api/audit` and `GET /admin/api/audit/export` (docs/audit.md, docs/admin-api.md "Audit log"). */

const INVALID = 'The audit log parameters are invalid.';

const filters = {
  actor: Type.Optional(Text(255, { description: "an actor's name (an email, `admin-token`, `cli:<user>`) or an account id" })),
  action: Type.Optional(Text(255, { description: 'an action (`license.create`) or its subject (`license`: every license action)' })),
  target_type: Type.Optional(Text(255, { description: '`product`, `license`, `activation`, `api_key`, `webhook`, `block`, `signing_key`, `setting`, …' })),
  target_id: Type.Optional(Text(255, { description: "the target's id (a license's, a key's, …) or name (a signing key's scope, a setting's name)" })),
  from: Type.Optional(Instant()),
  to: Type.Optional(Instant()),
};

export const AuditQuery = Type.Object({
  ...filters,
  limit: Type.Optional(Bounded(1, MAX_AUDIT_PAGE, DEFAULT_AUDIT_PAGE)),
  after: Type.Optional(Id({ description: 'the `next_after` of the previous page: entries older than that one' })),
}, { additionalProperties: false });

/** The parameters as read: decoded, with `limit`'s default filled in. */
export type AuditQuery = StaticDecode<typeof AuditQuery> & Required<Pick<Static<typeof AuditQuery>, 'limit'>>;

export const AuditExportQuery = Type.Object({ format: OneOf(EXPORT_FORMATS), ...filters }, { additionalProperties: false });
export type AuditExportQuery = StaticDecode<typeof AuditExportQuery>;

const FieldChange = Closed({ before: Type.Unknown(), after: Type.Unknown() });

/** An entry (src/audit/audit-read.ts, PublicAuditEntry): secrets appear as "(changed)". */
export const AuditEntry = Closed({
  id: Type.Integer(),
  at: IsoMicros(),
  actor_kind: Type.String({ description: '`session`, `token`, `admin-token` or `cli`' }),
  actor_account_id: Nullable(Type.Integer()),
  actor_name: Type.String(),
  ip: Nullable(Type.String({ description: "the request's client IP; null for the CLI" })),
  action: Type.String(),
  target_type: Type.String(),
  target_id: Nullable(Type.String()),
  changes: Type.Record(Type.String(), FieldChange),
});

export const auditSchema = {
  querystring: AuditQuery,
  response: adminResponses({
    200: Closed({ entries: Type.Array(AuditEntry), next_after: Nullable(Type.Integer()) }),
    400: InvalidParameters(INVALID),
  }, { query: true }),
};

export const auditExportSchema = {
  querystring: AuditExportQuery,
  response: adminResponses({
    200: {
      description: 'Every matching entry, newest first, streamed',
      content: {
        [EXPORT_CONTENT_TYPES.ndjson]: { schema: Type.String({ description: 'one entry (JSON) per line' }) },
        [EXPORT_CONTENT_TYPES.csv]: { schema: Type.String({ description: 'a header row, then one entry per row (changes as JSON text)' }) },
      },
    },
    400: InvalidParameters(INVALID),
  }, { query: true }),
};

export const auditRefusals: AdminRefusals = { query: { error: INVALID, listed: true } };
