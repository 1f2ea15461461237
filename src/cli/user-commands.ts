import type { Command } from 'commander';
import { ROLES } from '../model/accounts.js';
import type { Account } from '../model/account-record.js';
import { createAccount, findAccount, resetPassword, setAccountDisabled, updateAccount, type AccountDeps, type AccountUpdate } from '../registry/accounts/account-changes.js';
import { passwordCost } from '../registry/accounts/passwords.js';
import { cliActor } from './cli-actor.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseIdList } from './parse-values.js';
import { chosenPassword } from './password-input.js';
import { CliInputError, runWithStore, type StoreContext } from './run-command.js';

interface CreateOptions extends ConfigFlags {
  name: string;
  role?: string;
  products?: number[];
  passwordStdin?: boolean;
  json?: boolean;
}

interface UpdateOptions extends ConfigFlags {
  name?: string;
  role?: string;
  products?: number[];
  allProducts?: boolean;
  json?: boolean;
}

interface PasswordOptions extends ConfigFlags {
  passwordStdin?: boolean;
  json?: boolean;
}

type JsonFlag = ConfigFlags & { json?: boolean };

const ROLE_HELP = `${ROLES.slice().reverse().join('|')}: owner does everything incl. accounts; admin the registry and keys; viewer reads`;

function depsOf({ store, config }: StoreContext): AccountDeps {
  return { accounts: store.accounts, registry: store.registry, passwordCost: passwordCost(config.passwordHashCost) };
}

const audit = (context: StoreContext) => ({ log: context.store.audit, actor: cliActor() });

/** `tally user create|list|update|disable|enable|reset-password` (docs/accounts.md). */
export function registerUserCommands(program: Command): void {
  const group = program.command('user').description('people who sign in to the dashboard: accounts, roles, passwords');
  addConfigOptions(
    group.command('create').description('make an account (no password given and no terminal: one is generated and printed once)')
      .requiredOption('--name <name>', 'email address or name (unique whatever the case)')
      .option('--role <role>', `${ROLE_HELP} (default viewer)`)
      .option('--products <ids>', 'comma-separated product ids the account is limited to (default all)', parseIdList)
      .option('--password-stdin', 'read the password from standard input')
      .option('--json', 'print one JSON object'),
    ['passwordHashCost'],
  ).action((options: CreateOptions) => runWithStore(options, (context) => create(context, options)));
  addConfigOptions(group.command('list').description('list accounts (never their passwords)').option('--json', 'print one JSON object'))
    .action((options: JsonFlag) => runWithStore(options, (context) => list(context, options.json)));
  addConfigOptions(
    group.command('update').description("change an account's role, products or name")
      .argument('<account>', 'account name or id')
      .option('--role <role>', ROLE_HELP)
      .option('--products <ids>', 'comma-separated product ids to limit the account to', parseIdList)
      .option('--all-products', 'lift the product limit')
      .option('--name <name>', 'new name')
      .option('--json', 'print the account as one JSON object'),
  ).action((ref: string, options: UpdateOptions) => runWithStore(options, (context) => update(context, ref, options)));
  for (const [name, disabled, description] of [['disable', true, 'stop an account from signing in; its sessions end now'], ['enable', false, 'let a disabled account sign in again']] as const) {
    addConfigOptions(group.command(name).description(description).argument('<account>', 'account name or id').option('--json', 'print the account as one JSON object'))
      .action((ref: string, options: JsonFlag) => runWithStore(options, (context) => toggle(context, ref, disabled, options.json)));
  }
  addConfigOptions(
    group.command('reset-password').description('set a new password (asked, read from stdin, or generated and printed once); its sessions end')
      .argument('<account>', 'account name or id')
      .option('--password-stdin', 'read the password from standard input')
      .option('--json', 'print one JSON object'),
    ['passwordHashCost'],
  ).action((ref: string, options: PasswordOptions) => runWithStore(options, (context) => reset(context, ref, options)));
}

function describe(account: Account): string {
  const products = account.products === null ? 'all products' : `products ${account.products.join(', ')}`;
  return `${account.name} (${account.role}, ${products}${account.disabled ? ', disabled' : ''})`;
}

function printPassword(password: string | null): void {
  if (password === null) return;
  printLine('Its password, shown this once (only a hash is stored, it cannot be shown again):');
  printLine(password);
}

async function create(context: StoreContext, options: CreateOptions): Promise<void> {
  const password = await chosenPassword(options.passwordStdin);
  const made = await createAccount(depsOf(context), { name: options.name, role: options.role ?? 'viewer', products: options.products ?? null, password }, audit(context));
  if (options.json) return printJson(made);
  printLine(`Created account ${made.account.id}: ${describe(made.account)}.`);
  printPassword(made.password);
}

async function list({ store }: StoreContext, json: boolean | undefined): Promise<void> {
  const accounts = await store.accounts.list();
  if (json) return printJson({ accounts });
  if (accounts.length === 0) printLine('No accounts.');
  for (const a of accounts) {
    printLine(`${a.id}\t${a.disabled ? 'disabled' : 'enabled'}\t${a.role}\t${a.name}\t${a.products === null ? 'all products' : a.products.join(',')}\tlast login ${a.last_login_at ?? 'never'}`);
  }
}

async function update(context: StoreContext, ref: string, options: UpdateOptions): Promise<void> {
  if (options.products !== undefined && options.allProducts === true) throw new CliInputError('Give --products or --all-products, not both.');
  const changes: AccountUpdate = { name: options.name, role: options.role, products: options.allProducts === true ? null : options.products };
  if (Object.values(changes).every((value) => value === undefined)) throw new CliInputError('Nothing to change: give --role, --products, --all-products or --name.');
  const account = await findAccount(context.store.accounts, ref);
  const updated = await updateAccount(depsOf(context), account.id, changes, audit(context));
  if (options.json) printJson(updated);
  else printLine(`Updated account ${updated.id}: ${describe(updated)}.`);
}

async function toggle(context: StoreContext, ref: string, disabled: boolean, json: boolean | undefined): Promise<void> {
  const account = await findAccount(context.store.accounts, ref);
  const changed = await setAccountDisabled(context.store.accounts, account.id, disabled, audit(context));
  if (json) printJson(changed);
  else printLine(`${disabled ? 'Disabled' : 'Enabled'} account ${changed.id}: ${describe(changed)}.`);
}

async function reset(context: StoreContext, ref: string, options: PasswordOptions): Promise<void> {
  const account = await findAccount(context.store.accounts, ref);
  const password = await chosenPassword(options.passwordStdin);
  const done = await resetPassword(depsOf(context), account.id, password, audit(context));
  if (options.json) return printJson(done);
  printLine(`Set a new password for account ${done.account.id}: ${describe(done.account)}; its sessions ended.`);
  printPassword(done.password);
}
