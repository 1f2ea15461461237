import { getJson, sendJson } from '../api.js';
import { actionForm, textOf } from '../action-form.js';
import { may } from '../access.js';
import { field, h, select, statusLine, table } from '../dom.js';
import { formatTime, zoneLabel } from '../time.js';
import { productName } from '../products.js';
import type { Product } from '../types.js';

/** A blocklist entry as `GET /admin/api/blocklist` lists it. */
interface BlockEntry {
  id: number;
  kind: 'ip' | 'user_identifier' | 'license_key';
  value: string;
  product_id: number | null;
  reason: string | null;
  /** A user identifier or license key entry that matches whatever the case. */
  ignore_case: boolean;
  created_at: string;
}

const KINDS: readonly (readonly [string, string])[] = [['license_key', 'License key'], ['user_identifier', 'User identifier'], ['ip', 'IP address or CIDR']];

/** Blocks a license key or user identifier from the piracy view; resolves to what happened. */
export async function block(kind: 'license_key' | 'user_identifier', value: string, productId: number, reason: string): Promise<string> {
  const entry = await sendJson<BlockEntry>('POST', '/admin/api/blocklist', { kind, value, product_id: productId, reason });
  return `Blocked ${entry.value} (entry #${entry.id}).`;
}

function entriesTable(list: readonly Product[], entries: readonly BlockEntry[], refresh: () => Promise<void>, status: HTMLElement): HTMLElement {
  return table('Blocked IPs, users and license keys', ['Id', 'Kind', 'Value', 'Case', 'Product', 'Reason', `Added (${zoneLabel()})`, 'Actions'], entries.map((e) => [
    String(e.id), KINDS.find(([kind]) => kind === e.kind)?.[1] ?? e.kind, h('code', {}, e.value), e.ignore_case ? 'any case' : 'exact',
    e.product_id === null ? 'all products' : productName(list, e.product_id), e.reason ?? '', formatTime(e.created_at),
    h('button', {
      type: 'button', class: 'secondary small', 'aria-label': `Unblock ${e.value}`, hidden: !may('admin'),
      onclick: () => {
        sendJson('DELETE', `/admin/api/blocklist/${e.id}`)
          .then(async () => {
            status.textContent = `Unblocked ${e.value}.`;
            await refresh();
          })
          .catch((error: unknown) => { status.textContent = String(error instanceof Error ? error.message : error); });
      },
    }, 'Unblock'),
  ]));
}

/** The blocklist (item 6): list, add, remove. */
export async function blocklistSection(list: readonly Product[]): Promise<HTMLElement> {
  const status = statusLine();
  const holder = h('div', {});
  const refresh = async (): Promise<void> => {
    const { entries } = await getJson<{ entries: BlockEntry[] }>('/admin/api/blocklist');
    holder.replaceChildren(entries.length === 0 ? h('p', {}, 'Nothing is blocked.') : entriesTable(list, entries, refresh, status));
  };
  await refresh();
  const add = actionForm('Block', [
    field('Kind', select('kind', KINDS, 'license_key')), field('Value', h('input', { name: 'value', required: true })),
    field('Product', select('product_id', [['', 'All products'], ...list.map((p): [string, string] => [String(p.id), `${p.name} (#${p.id})`])], '')),
    field('Reason (optional)', h('input', { name: 'reason' })),
    field('Ignore case (user identifiers and license keys)', h('input', { name: 'ignore_case', type: 'checkbox', value: '1' })),
  ], 'Block', async (data) => {
    const body: Record<string, unknown> = { kind: textOf(data, 'kind'), value: textOf(data, 'value') };
    if (textOf(data, 'product_id') !== '') body['product_id'] = Number(textOf(data, 'product_id'));
    if (textOf(data, 'reason') !== '') body['reason'] = textOf(data, 'reason');
    if (textOf(data, 'ignore_case') === '1') body['ignore_case'] = true;
    const entry = await sendJson<BlockEntry>('POST', '/admin/api/blocklist', body);
    await refresh();
    return `Blocked ${entry.value}.`;
  });
  return h('section', { 'aria-labelledby': 'blocklist-title' }, h('h2', { id: 'blocklist-title' }, 'Blocklist'),
    h('p', {}, 'Reports from blocked IPs, users and license keys are still stored (marked blocked) and answered 150.'),
    holder, status, h('div', { class: 'forms' }, add));
}
