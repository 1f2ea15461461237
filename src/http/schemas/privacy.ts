import { Type, type Static } from '@sinclair/typebox';
import { SUBJECT_MESSAGES } from '../../privacy/subject-request.js';
import { adminResponses, ErrorBody } from './error-answers.js';
import { Closed, Id, Nullable } from './primitives.js';

/**
 * `POST /admin/api/privacy/export` and `/privacy/erase` (docs/privacy.md, docs/admin-api.md):
 * whose records, matched exactly as stored. Other fields are ignored.
 */
export const SubjectBody = Type.Object({
  user_identifier: Type.String({ minLength: 1, errorMessage: SUBJECT_MESSAGES.user_identifier, description: 'the user identifier exactly as stored (case and spaces count)' }),
  license_key: Type.Optional(Nullable(Type.String({ minLength: 1 }), { errorMessage: SUBJECT_MESSAGES.license_key, description: 'only their records with this license key' })),
  activation_identifier: Type.Optional(Nullable(Type.String({ minLength: 1 }), {
    errorMessage: SUBJECT_MESSAGES.activation_identifier, description: 'only their records with this activation identifier',
  })),
  product_id: Type.Optional(Nullable(Id(), { errorMessage: SUBJECT_MESSAGES.product_id, description: 'only their records of this product' })),
}, { errorMessage: 'Send a JSON object: {"user_identifier": …, "license_key"?: …, "activation_identifier"?: …, "product_id"?: …}.' });

export type SubjectBody = Static<typeof SubjectBody>;

export const privacyExportSchema = {
  body: SubjectBody,
  response: adminResponses({
    200: {
      description: 'Every stored record of the subject, streamed',
      content: { 'application/x-ndjson': { schema: Type.String({ description: 'one admin record (JSON: the public record and client_ip) per line' }) } },
    },
    400: ErrorBody,
  }, { changes: true }),
};

export const privacyEraseSchema = {
  body: SubjectBody,
  response: adminResponses({
    200: Closed({ records: Type.Integer({ description: 'records deleted' }), event_ids: Type.Integer({ description: 'event ids deleted with them' }) }),
    400: ErrorBody,
  }, { changes: true }),
};
