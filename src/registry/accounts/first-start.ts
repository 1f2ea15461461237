import type { AccountStore } from '../../store/contract/account-store.js';
import { newSetupCode } from './first-owner.js';

/**
 * What the server says on start while there is no account (docs/accounts.md, "First owner"). On
 * an interactive terminal: a one-time setup link (the code is stored only as a hash, works once,
 * for an hour). Otherwise (a log, a pipe, a service manager) no secret at all: only how to make
 * the first owner with the CLI. Null when an account exists.
 */
export async function firstOwnerHint(accounts: AccountStore, baseUrl: string, interactive: boolean): Promise<string | null> {
  if ((await accounts.count()) > 0) return null;
  if (!interactive) {
    return 'No accounts yet: make the first owner on this server with `tally user create --name NAME --role owner` (same --data-dir/--database-url as the server).';
  }
  const code = await newSetupCode(accounts);
  const url = `${baseUrl.replace(/\/+$/, '')}/setup?code=${encodeURIComponent(code)}`;
  return `No accounts yet: open ${url} within an hour to make the first owner (the link works once), or run \`tally user create --name NAME --role owner\`.`;
}
