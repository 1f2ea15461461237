import { Type, type StaticDecode } from '@sinclair/typebox';
import { ROLES } from '../../model/accounts.js';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { adminResponses, ErrorBody } from './error-answers.js';
import { Closed, Id, IdParams, IsoMillis, Nullable, OneOf } from './primitives.js';

/**
 * `/admin/api/accounts…` (docs/admin-api.md, "Accounts"), owner only. Names, roles, products and
 * passwords are checked by src/registry/accounts/ with the same texts as `tally user`; the
 * schemas only read the shapes. Other fields are ignored.
 */

const Products = Nullable(Type.Array(Id(), { maxItems: 10_000 }), {
  description: 'product ids the account is limited to; null = every product', errorMessage: 'products must be a list of product ids, or null for every product.',
});

export const AccountAnswer = Closed({
  id: Type.Integer(),
  name: Type.String(),
  role: OneOf(ROLES),
  products: Nullable(Type.Array(Type.Integer())),
  disabled: Type.Boolean(),
  created_at: IsoMillis(),
  updated_at: IsoMillis(),
  last_login_at: Nullable(IsoMillis()),
});

/** An account with the password that was generated for it, shown this once (null when the caller gave one). */
const WithPassword = Closed({ account: AccountAnswer, password: Nullable(Type.String()) });

export const CreateAccountBody = Type.Object({
  name: Type.String({ maxLength: 1024, errorMessage: 'name must be a string (an email address or a name).' }),
  role: Type.Optional(OneOf(ROLES, { errorMessage: `role must be one of ${ROLES.join(', ')}.` })),
  products: Type.Optional(Products),
  password: Type.Optional(Nullable(Type.String({ maxLength: 4096 }), { errorMessage: 'password must be a string; absent or null = generate one' })),
}, { errorMessage: 'Send a JSON object: {"name": …, "role"?: "owner"|"admin"|"viewer", "products"?: [ids]|null, "password"?: …}.' });
export type CreateAccountBody = StaticDecode<typeof CreateAccountBody>;

export const UpdateAccountBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 1024, errorMessage: 'name must be a string.' })),
  role: Type.Optional(OneOf(ROLES, { errorMessage: `role must be one of ${ROLES.join(', ')}.` })),
  products: Type.Optional(Products),
}, { errorMessage: 'Send a JSON object: {"name"?: …, "role"?: …, "products"?: [ids]|null}.' });
export type UpdateAccountBody = StaticDecode<typeof UpdateAccountBody>;

export const ResetPasswordBody = Type.Object({
  password: Type.Optional(Nullable(Type.String({ maxLength: 4096 }), { errorMessage: 'password must be a string; absent or null = generate one' })),
}, { errorMessage: 'Send a JSON object: {"password"?: …} (absent or null = generate one).' });
export type ResetPasswordBody = StaticDecode<typeof ResetPasswordBody>;

export const listAccountsSchema = { response: adminResponses({ 200: Closed({ accounts: Type.Array(AccountAnswer) }) }) };
export const createAccountSchema = { body: CreateAccountBody, response: adminResponses({ 201: WithPassword, 400: ErrorBody, 409: ErrorBody }, { changes: true }) };
export const updateAccountSchema = {
  params: IdParams, body: UpdateAccountBody, response: adminResponses({ 200: AccountAnswer, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody }, { changes: true }),
};
export const accountActionSchema = { params: IdParams, response: adminResponses({ 200: AccountAnswer, 400: ErrorBody, 404: ErrorBody }, { changes: true }) };
export const resetPasswordSchema = { params: IdParams, body: ResetPasswordBody, response: adminResponses({ 200: WithPassword, 400: ErrorBody, 404: ErrorBody }, { changes: true }) };

/** An id that names no account, or is not an id at all, is not found; a taken name is a conflict. */
export const accountRefusals: AdminRefusals = {
  id: ({ text }) => ({ status: 404, error: `No account with id ${text}.` }),
  conflict: 'An account with this name already exists.',
};
