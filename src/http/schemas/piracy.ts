import { Type, type Static, type StaticDecode } from '@sinclair/typebox';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { adminResponses, InvalidParameters } from './error-answers.js';
import { Bounded, Closed, Count, Id, Instant, IsoMicros, Nullable } from './primitives.js';
import { alertFields } from './summary.js';

/** `GET /admin/api/piracy` (docs/dashboard.md). */

const INVALID = 'The piracy parameters are invalid.';

export const PiracyQuery = Type.Object({
  from: Type.Optional(Instant()),
  to: Type.Optional(Instant()),
  product_id: Type.Optional(Id()),
  top: Type.Optional(Bounded(1, 100, 50)),
}, { additionalProperties: false });

/** The parameters as read: decoded, with `top`'s default filled in. */
export type PiracyQuery = StaticDecode<typeof PiracyQuery> & Required<Pick<Static<typeof PiracyQuery>, 'top'>>;

const Suspects = Type.Array(Closed({ product_id: Type.Integer(), value: Nullable(Type.String()), ...alertFields }));

/** The answer (src/query/piracy.ts, PiracyAnswer). */
export const PiracyAnswer = Closed({
  from: IsoMicros(),
  to: IsoMicros(),
  license_keys: Suspects,
  user_identifiers: Suspects,
  unattributed: Count(),
  truncated: Type.Boolean(),
});

export const piracySchema = {
  querystring: PiracyQuery,
  response: adminResponses({ 200: PiracyAnswer, 400: InvalidParameters(INVALID) }, { query: true }),
};

export const piracyRefusals: AdminRefusals = { query: { error: INVALID, listed: true } };
