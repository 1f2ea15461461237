import { Type } from '@sinclair/typebox';
import { ROLES } from '../../model/accounts.js';
import { adminResponses } from './error-answers.js';
import { Closed, IsoMillis, Nullable, OneOf } from './primitives.js';

/** `GET|DELETE /admin/api/session` (docs/dashboard.md, "Login, session, CSRF"; docs/accounts.md). */

/** Who is signed in: the account, or null for the admin token. */
const SessionAccount = Closed({ id: Type.Integer(), name: Type.String(), role: OneOf(ROLES), products: Nullable(Type.Array(Type.Integer())) });

export const SessionAnswer = Closed({
  authenticated_by: OneOf(['token', 'session'] as const, { description: 'token: an Authorization: Bearer header; session: the dashboard\'s cookie' }),
  account: Nullable(SessionAccount),
  role: OneOf(ROLES),
  csrf_token: Nullable(Type.String({ description: 'for a session: what X-Tally-CSRF must carry' })),
  expires_at: Nullable(IsoMillis()),
});

export const sessionSchema = { response: adminResponses({ 200: SessionAnswer }) };
export const logoutSchema = { response: adminResponses({ 204: Type.Null({ description: 'logged out: the cookie is cleared' }) }, { changes: true }) };
