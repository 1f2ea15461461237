import { Type } from '@sinclair/typebox';
import { adminResponses } from './error-answers.js';
import { Closed, IsoMillis } from './primitives.js';

/** `GET|DELETE /admin/api/session` (docs/dashboard.md, "Login, session, CSRF"). */

export const SessionAnswer = Type.Union([
  Closed({ authenticated_by: Type.Literal('token') }),
  Closed({ authenticated_by: Type.Literal('session'), csrf_token: Type.String(), expires_at: IsoMillis() }),
]);

export const sessionSchema = { response: adminResponses({ 200: SessionAnswer }) };
export const logoutSchema = { response: adminResponses({ 204: Type.Null({ description: 'logged out: the cookie is cleared' }) }, { changes: true }) };
