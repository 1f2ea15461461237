import type { FastifyInstance } from 'fastify';
import type { Role } from '../../../model/accounts.js';
import { createAccount, resetPassword, setAccountDisabled, updateAccount, type AccountDeps } from '../../../registry/accounts/account-changes.js';
import { actorOf } from '../../plugins/admin/principal.js';
import {
  accountActionSchema, accountRefusals, createAccountSchema, listAccountsSchema, resetPasswordSchema, updateAccountSchema,
  type CreateAccountBody, type ResetPasswordBody, type UpdateAccountBody,
} from '../../schemas/accounts.js';
import type { IdParams } from '../../schemas/primitives.js';
import type { AuditLog } from '../../../model/audit.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The weakest role that may use the route (enforced by the admin scope; docs/accounts.md). */
    minRole?: Role;
  }
}

type Id = { Params: IdParams };

/**
 * `/admin/api/accounts…` (docs/admin-api.md, "Accounts"), owner only: list, create, update (name,
 * role, products), reset-password (a generated password is answered once), disable, enable. Thin
 * over the functions `tally user` uses; every change is in the audit log. Refusals (400, a taken
 * name 409, an unknown id 404, the last enabled owner 400) are the admin error handler's.
 */
export function adminAccountRoutes(admin: FastifyInstance, deps: AccountDeps, log: AuditLog): void {
  const owner = { minRole: 'owner' as const, adminRefusals: accountRefusals };
  const audit = (request: Parameters<typeof actorOf>[0]) => ({ log, actor: actorOf(request) });
  admin.get('/accounts', { schema: listAccountsSchema, config: owner }, async () => ({ accounts: await deps.accounts.list() }));
  admin.post<{ Body: CreateAccountBody }>('/accounts', { schema: createAccountSchema, config: owner }, async (request, reply) => {
    const { name, role, products, password } = request.body;
    const made = await createAccount(deps, { name, role: role ?? 'viewer', products: products ?? null, password: password ?? null }, audit(request));
    return reply.code(201).send(made);
  });
  admin.patch<Id & { Body: UpdateAccountBody }>('/accounts/:id', { schema: updateAccountSchema, config: owner }, async (request) =>
    updateAccount(deps, request.params.id, request.body, audit(request)));
  admin.post<Id & { Body: ResetPasswordBody }>('/accounts/:id/reset-password', { schema: resetPasswordSchema, config: owner }, async (request) =>
    resetPassword(deps, request.params.id, request.body.password ?? null, audit(request)));
  admin.post<Id>('/accounts/:id/disable', { schema: accountActionSchema, config: owner }, async (request) =>
    setAccountDisabled(deps.accounts, request.params.id, true, audit(request)));
  admin.post<Id>('/accounts/:id/enable', { schema: accountActionSchema, config: owner }, async (request) =>
    setAccountDisabled(deps.accounts, request.params.id, false, audit(request)));
}
