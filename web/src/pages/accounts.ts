import { getJson, sendJson } from '../api.js';
import { actionForm, textOf } from '../action-form.js';
import { field, h, select, statusLine, table } from '../dom.js';
import { productName, products } from '../products.js';
import { formatTime } from '../time.js';
import type { Account, Product } from '../types.js';

/** What create and reset-password answer: the account, and a generated password shown this once. */
interface WithPassword {
  account: Account;
  password: string | null;
}

const ROLE_OPTIONS: [string, string][] = [['viewer', 'viewer (reads)'], ['admin', 'admin (registry and keys)'], ['owner', 'owner (everything)']];

/** `1, 2` → [1, 2]; '' → null (every product). */
function productIds(text: string): number[] | null {
  const ids = text.split(',').map((part) => part.trim()).filter((part) => part !== '').map(Number);
  return ids.length === 0 ? null : ids;
}

function passwordNotice(name: string, password: string): HTMLElement {
  return h('div', { class: 'secret-box' },
    h('p', {}, `The password of ${name}, shown only this once: give it to them over a safe channel.`),
    h('code', { class: 'secret', 'data-secret': '' }, password));
}

function reportError(status: HTMLElement, error: unknown): void {
  status.textContent = error instanceof Error ? ('detail' in error ? String(error.detail) : error.message) : String(error);
}

/** The controls of one account's row: its role, its products, disable/enable, reset password. */
function accountControls(account: Account, refresh: () => Promise<void>, status: HTMLElement, notice: HTMLElement): HTMLElement {
  const change = (request: Promise<Account | WithPassword>, done: (answer: Account | WithPassword) => void): void => {
    request.then((answer) => { done(answer); return refresh(); }).catch((error: unknown) => { reportError(status, error); void refresh(); });
  };
  const role = select('role', ROLE_OPTIONS, account.role);
  role.setAttribute('aria-label', `Role of ${account.name}`);
  role.addEventListener('change', () => change(sendJson('PATCH', `/admin/api/accounts/${account.id}`, { role: role.value }), () => {
    status.textContent = `${account.name} is now ${role.value}.`;
  }));
  const limit = h('input', { name: 'products', value: account.products?.join(', ') ?? '', placeholder: 'all', size: 8, 'aria-label': `Product ids of ${account.name} (empty = all)` });
  const saveProducts = h('button', { type: 'button', class: 'secondary small', onclick: () => change(
    sendJson('PATCH', `/admin/api/accounts/${account.id}`, { products: productIds(limit.value) }), () => { status.textContent = `Saved the products of ${account.name}.`; }),
  }, 'Save products');
  const toggle = account.disabled ? 'enable' : 'disable';
  const toggleButton = h('button', { type: 'button', class: 'secondary small', 'aria-label': `${account.disabled ? 'Enable' : 'Disable'} ${account.name}`, onclick: () => change(
    sendJson('POST', `/admin/api/accounts/${account.id}/${toggle}`), () => { status.textContent = `${account.name} is ${toggle}d.`; }),
  }, account.disabled ? 'Enable' : 'Disable');
  const reset = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Reset the password of ${account.name}`, onclick: () => {
    if (!window.confirm(`Give ${account.name} a new password? Their sessions end now.`)) return;
    change(sendJson<WithPassword>('POST', `/admin/api/accounts/${account.id}/reset-password`, {}), (answer) => {
      if ('password' in answer && answer.password !== null) notice.replaceChildren(passwordNotice(account.name, answer.password));
    });
  } }, 'Reset password');
  return h('div', { class: 'row-actions' }, role, limit, saveProducts, toggleButton, reset);
}

function accountsTable(accounts: readonly Account[], list: readonly Product[], refresh: () => Promise<void>, status: HTMLElement, notice: HTMLElement): HTMLElement {
  return table('Accounts', ['Id', 'Name', 'Role', 'Products', 'State', 'Last login', 'Change'], accounts.map((a) => [
    String(a.id), a.name, a.role, a.products === null ? 'all' : a.products.map((id) => productName(list, id)).join(', '),
    a.disabled ? 'disabled' : 'enabled', a.last_login_at === null ? 'never' : formatTime(a.last_login_at), accountControls(a, refresh, status, notice),
  ]));
}

/** Accounts (owners only; docs/accounts.md): list, create (a generated password shown once), role, products, disable/enable, reset password. */
export async function accountsPage(main: HTMLElement): Promise<void> {
  const list = await products();
  const status = statusLine();
  const notice = h('div', {});
  const holder = h('div', {});
  const refresh = async (): Promise<void> => {
    const { accounts } = await getJson<{ accounts: Account[] }>('/admin/api/accounts');
    holder.replaceChildren(accountsTable(accounts, list, refresh, status, notice));
  };
  await refresh();
  const create = actionForm('Create an account', [
    field('Email or name', h('input', { name: 'name', required: true, autocomplete: 'off' })),
    field('Role', select('role', ROLE_OPTIONS, 'viewer')),
    field('Product ids (comma-separated; empty = all)', h('input', { name: 'products', placeholder: 'all' })),
    field('Password (empty = generate one)', h('input', { name: 'password', type: 'password', autocomplete: 'new-password' })),
  ], 'Create account', async (data) => {
    const password = textOf(data, 'password');
    const made = await sendJson<WithPassword>('POST', '/admin/api/accounts', {
      name: textOf(data, 'name'), role: textOf(data, 'role'), products: productIds(textOf(data, 'products')), password: password === '' ? null : password,
    });
    await refresh();
    return made.password === null ? `Created ${made.account.name} (${made.account.role}).` : passwordNotice(made.account.name, made.password);
  });
  main.append(
    h('h1', {}, 'Accounts'),
    h('p', {}, 'People who sign in to the dashboard. Owners do everything; admins manage the registry, keys, webhooks and the blocklist; viewers only read. An account limited to products sees only those.'),
    holder, status, notice, h('div', { class: 'forms' }, create),
  );
}
