import { Type } from '@sinclair/typebox';
import type { FastifySchema } from 'fastify';
import { Closed } from './primitives.js';

/**
 * What the OpenAPI description says of the dashboard's login and first-owner pages
 * (docs/dashboard.md, docs/accounts.md). Documentation only (route config `openapi`): these
 * routes read their forms themselves. The dashboard's static files are not described.
 */

const Redirect = { description: 'See Other: Location is /, or the form again with why it failed (?login=failed, ?login=disabled, /setup?failed=…)', type: 'null' } as const;
const CrossSite = { ...Closed({ error: Type.String() }), description: 'a cross-site request' };
const Throttled = { ...Closed({ error: Type.String() }), description: 'too many failed logins from this IP (or for this account name); Retry-After says when to try again' };
const Form = (schema: ReturnType<typeof Type.Object>) => ({ content: { 'application/x-www-form-urlencoded': { schema } } });

export const setupPageDocs: FastifySchema = {
  summary: 'The first owner\'s form',
  description: 'The dashboard page, showing the form that makes the first owner with the one-time setup code.',
  response: { 200: { description: 'the dashboard (index.html)', content: { 'text/html': { schema: Type.String() } } } },
};

export const loginDocs: FastifySchema = {
  summary: 'Open a dashboard session',
  description: 'A name and password, or the admin token in token. Right: the session cookie and a redirect to /.',
  body: Form(Type.Object({ name: Type.Optional(Type.String()), password: Type.Optional(Type.String()), token: Type.Optional(Type.String()) })),
  response: { 303: Redirect, 403: CrossSite, 429: Throttled },
};

export const setupDocs: FastifySchema = {
  summary: 'Make the first owner',
  description: 'With the one-time code the server printed to its terminal. Made: the session cookie and a redirect to /.',
  body: Form(Type.Object({ code: Type.String(), name: Type.String(), password: Type.String(), password2: Type.String() })),
  response: { 303: Redirect, 403: CrossSite, 429: Throttled },
};
