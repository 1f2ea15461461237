import type { Command } from 'commander';
import type { AccessToken } from '../model/access-tokens.js';
import { createAccessToken, revokeAccessToken } from '../registry/accounts/access-tokens.js';
import { findAccount } from '../registry/accounts/account-changes.js';
import { cliActor } from './cli-actor.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId } from './parse-values.js';
import { runWithStore } from './run-command.js';

interface CreateOptions extends ConfigFlags {
  account: string;
  name: string;
  expiresAt?: string;
  json?: boolean;
}

type ListOptions = ConfigFlags & { account?: string; json?: boolean };

function describe(token: AccessToken): string {
  const state = token.revoked_at !== null ? `revoked ${token.revoked_at}` : token.expires_at !== null ? `expires ${token.expires_at}` : 'no expiry';
  return `${token.id}\taccount ${token.account_id}\t${token.name}\tcreated ${token.created_at}\tlast used ${token.last_used_at ?? 'never'}\t${state}`;
}

/**
 * `tally token create|list|revoke` (docs/accounts.md "Personal API tokens"): machine access to the
 * admin API for an account, with its role and products. The secret is printed once, at create.
 */
export function registerTokenCommands(program: Command): void {
  const group = program.command('token').description('personal API tokens: Bearer tokens for the admin API that act with an account\'s role and products');
  addConfigOptions(
    group.command('create').description('make a token for an account and print its secret once')
      .requiredOption('--account <name|id>', 'the account the token acts for')
      .requiredOption('--name <name>', 'what the token is for (e.g. ci)')
      .option('--expires-at <iso>', 'ISO-8601 date or date-time (default: never)')
      .option('--json', 'print one JSON object'),
  ).action((options: CreateOptions) =>
    runWithStore(options, async ({ store }) => {
      const account = await findAccount(store.accounts, options.account);
      const deps = { tokens: store.accessTokens, accounts: store.accounts };
      const { token, secret } = await createAccessToken(deps, { accountId: account.id, name: options.name, expiresAt: options.expiresAt }, { log: store.audit, actor: cliActor() });
      if (options.json) return printJson({ ...token, token: secret });
      printLine(`Token ${token.id} "${token.name}" for ${account.name} (${account.role}).`);
      printLine(`Secret (shown once; send it as Authorization: Bearer <secret>): ${secret}`);
    }),
  );
  addConfigOptions(
    group.command('list').description('list tokens (never their secrets)').option('--account <name|id>', 'only this account\'s').option('--json', 'print one JSON array'),
  ).action((options: ListOptions) =>
    runWithStore(options, async ({ store }) => {
      const accountId = options.account === undefined ? undefined : (await findAccount(store.accounts, options.account)).id;
      const tokens = await store.accessTokens.list(accountId);
      if (options.json) return printJson(tokens);
      if (tokens.length === 0) printLine('No tokens.');
      for (const token of tokens) printLine(describe(token));
    }),
  );
  addConfigOptions(group.command('revoke').description('revoke a token: it stops working at once').argument('<id>', 'token id', parseId).option('--json', 'print one JSON object'))
    .action((id: number, options: ConfigFlags & { json?: boolean }) =>
      runWithStore(options, async ({ store }) => {
        const token = await revokeAccessToken(store.accessTokens, id, { log: store.audit, actor: cliActor() });
        if (options.json) return printJson(token);
        printLine(`Revoked token ${id} ("${token.name}") at ${token.revoked_at ?? ''}.`);
      }),
    );
}
