import { getJson, sendJson } from '../api.js';
import { actionForm, textOf } from '../action-form.js';
import { field, formatNumber, h, select, statusLine, table } from '../dom.js';
import { collapsible, filterForm, productField } from '../filters.js';
import { productName, products } from '../products.js';
import { formatTime, zoneLabel } from '../time.js';
import type { BulkResult, License, LicenseDetail, ListedActivation, Product } from '../types.js';

const STATUSES = [['', 'Any'], ['active', 'active'], ['blocked', 'blocked'], ['revoked', 'revoked']] as const;
const EXPIRIES = [['', 'Any'], ['expired', 'Expired'], ['never', 'Never expires']] as const;
/** The list's parameters that go to GET /admin/api/licenses as they are in the page's address. */
const LIST_PARAMS = ['product_id', 'status', 'expiry', 'expires_before', 'search', 'after'] as const;
const PAGE_SIZE = '50';

function filters(list: readonly Product[], params: URLSearchParams): HTMLElement {
  return collapsible('Filters', filterForm('licenses', 'License filters', [
    productField(list, params),
    field('Status', select('status', STATUSES, params.get('status') ?? '')),
    field('Expiry', select('expiry', EXPIRIES, params.get('expiry') ?? '')),
    field('Expires before', h('input', { name: 'expires_before', type: 'date', value: params.get('expires_before') ?? '' })),
    field('Search key or notes', h('input', { name: 'search', type: 'search', value: params.get('search') ?? '' })),
  ]));
}

function seats(license: License): string {
  return license.max_activations === null ? 'default' : String(license.max_activations);
}

/** The address of this list with other parameters (a page further, or back to the first). */
function pageLink(params: URLSearchParams, after: string | null): string {
  const next = new URLSearchParams(params);
  if (after === null) next.delete('after');
  else next.set('after', after);
  return `#/licenses?${next.toString()}`;
}

/**
 * Licenses (docs/licenses.md): the filtered, paged table, a bulk block/unblock of the ones ticked,
 * a license's details (report counts, activations to deactivate), its edit form and its
 * block/unblock/revoke/delete buttons, and the activation import.
 */
export async function licensesPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const list = await products();
  const status = statusLine();
  const detail = h('div', {});
  const holder = h('div', {});
  const query = Object.fromEntries(LIST_PARAMS.map((name) => [name, params.get(name)]));
  const say = (text: string): void => { status.textContent = text; };
  const act = (work: () => Promise<string>): void => { work().then(say).catch((error: unknown) => say(error instanceof Error ? error.message : String(error))); };

  const refresh = async (): Promise<void> => {
    const page = await getJson<{ licenses: License[]; next: string | null }>('/admin/api/licenses', { ...query, limit: PAGE_SIZE });
    holder.replaceChildren(listView(page.licenses, page.next));
  };
  const showDetail = async (id: number): Promise<void> => {
    detail.replaceChildren(detailView(await getJson<LicenseDetail>(`/admin/api/licenses/${id}`)));
    detail.querySelector('h2')?.scrollIntoView();
  };
  /** After a change: the list and the details drawn again, and what happened said in the page's status line (a form's own may be redrawn). */
  const after = async (text: string, id: number | null): Promise<string> => {
    await refresh();
    if (id === null) detail.replaceChildren();
    else await showDetail(id);
    say(text);
    return text;
  };

  const listView = (licenses: readonly License[], next: string | null): HTMLElement => {
    if (licenses.length === 0) return h('p', {}, 'No licenses match. Create or import them on the Registry page, or with `tally license import FILE`.');
    const boxes = licenses.map((l) => h('input', { type: 'checkbox', value: String(l.id), 'aria-label': `Select ${l.key}` }));
    const bulk = (action: 'block' | 'unblock'): void => act(async () => {
      const ids = boxes.filter((box) => box.checked).map((box) => Number(box.value));
      if (ids.length === 0) return 'Tick some licenses first.';
      const result = await sendJson<BulkResult>('POST', '/admin/api/licenses/bulk', { ids, action });
      const refused = result.refused.map((r) => r.error).join(' ');
      return after(`${action === 'block' ? 'Blocked' : 'Unblocked'} ${result.changed.length}, unchanged ${result.unchanged.length}${refused === '' ? '' : `; refused: ${refused}`}.`, null);
    });
    const all = h('input', { type: 'checkbox', 'aria-label': 'Select all on this page', onchange: (event: Event) => {
      for (const box of boxes) box.checked = (event.target as HTMLInputElement).checked;
    } });
    return h('div', {},
      h('div', { class: 'actions' }, all,
        h('button', { type: 'button', class: 'secondary small', onclick: () => bulk('block') }, 'Block selected'),
        h('button', { type: 'button', class: 'secondary small', onclick: () => bulk('unblock') }, 'Unblock selected')),
      table('Licenses', ['Select', 'Id', 'Product', 'Key', 'Status', 'Seats', 'Expires', 'Notes', 'Details'], licenses.map((l, i) => [
        boxes[i], String(l.id), productName(list, l.product_id), l.key, l.status, seats(l), l.expires_at === null ? 'never' : formatTime(l.expires_at), l.notes ?? '',
        h('button', { type: 'button', class: 'secondary small', 'aria-label': `Details of ${l.key}`, onclick: () => act(async () => { await showDetail(l.id); return `License ${l.key}.`; }) }, 'Details'),
      ])),
      h('p', { class: 'actions' },
        params.get('after') === null ? null : h('a', { href: pageLink(params, null) }, 'First page'),
        next === null ? null : h('a', { href: pageLink(params, next) }, 'Next page')));
  };

  const detailView = (shown: LicenseDetail): HTMLElement => {
    const l = shown.license;
    const lifecycle = (action: 'block' | 'unblock' | 'revoke'): HTMLButtonElement => h('button', { type: 'button', class: 'secondary small', onclick: () => act(async () => {
      if (action === 'revoke' && !window.confirm(`Revoke ${l.key}? Revoking is final.`)) return 'Not revoked.';
      const changed = await sendJson<License>('POST', `/admin/api/licenses/${l.id}/${action}`);
      return after(`License ${changed.key} is ${changed.status}.`, l.id);
    }) }, action[0]?.toUpperCase() + action.slice(1));
    const remove = h('button', { type: 'button', class: 'secondary small', onclick: () => act(async () => {
      if (!window.confirm(`Delete ${l.key} and its activations?`)) return 'Not deleted.';
      await sendJson('DELETE', `/admin/api/licenses/${l.id}`);
      return after(`Deleted license ${l.key}.`, null);
    }) }, 'Delete');
    const saveEdit = async (text: string): Promise<string> => {
      await after(text, l.id);
      return '';
    };
    const statusChoice = select('status', STATUSES.slice(1), l.status);
    const edit = actionForm(`Edit ${l.key}`, [
      field('Status', statusChoice),
      field('Expires (empty: never)', h('input', { name: 'expires_at', type: 'date', value: l.expires_at?.slice(0, 10) ?? '' })),
      field('Seats (empty: server default)', h('input', { name: 'max_activations', type: 'number', min: '1', step: '1', value: l.max_activations === null ? '' : String(l.max_activations) })),
      field('Notes', h('textarea', { name: 'notes', rows: 2 }, l.notes ?? '')),
    ], 'Save', async (data) => {
      const max = textOf(data, 'max_activations');
      const expires = textOf(data, 'expires_at');
      const changed = await sendJson<License>('PATCH', `/admin/api/licenses/${l.id}`, {
        status: textOf(data, 'status'), expires_at: expires === '' ? null : expires, max_activations: max === '' ? null : Number(max), notes: textOf(data, 'notes'),
      });
      return saveEdit(`Saved ${changed.key}.`);
    });
    const activations = shown.activations.length === 0 ? h('p', {}, 'No activations.') : table(`Activations of ${l.key}`,
      ['Id', 'Identifier', `Since (${zoneLabel()})`, 'State', 'Action'], shown.activations.map((a: ListedActivation) => [
        String(a.id), a.identifier, formatTime(a.created_at), a.deactivated_at === null ? 'active' : `deactivated ${formatTime(a.deactivated_at)}`,
        a.deactivated_at !== null ? '' : h('button', { type: 'button', class: 'secondary small', 'aria-label': `Deactivate ${a.identifier}`, onclick: () => act(async () => {
          await sendJson('POST', `/admin/api/activations/${a.id}/deactivate`);
          return after(`Deactivated ${a.identifier}.`, l.id);
        }) }, 'Deactivate'),
      ]));
    const { total, flagged, last_report_at: last } = shown.reports;
    return h('section', { 'aria-labelledby': 'license-detail' },
      h('h2', { id: 'license-detail' }, `License ${l.key}`),
      h('p', {}, `${productName(list, l.product_id)} · ${l.status} · ${formatNumber(total)} reports, ${formatNumber(flagged)} red-flagged, last ${last === null ? 'never' : formatTime(last)}`),
      h('p', { class: 'actions' }, l.status === 'revoked' ? null : lifecycle(l.status === 'blocked' ? 'unblock' : 'block'), l.status === 'revoked' ? null : lifecycle('revoke'), remove),
      h('div', { class: 'forms' }, edit), activations,
      shown.activations_next === null ? null : h('p', {}, 'More activations: tally activation list --license … --after ' + shown.activations_next));
  };

  const file = h('input', { name: 'file', type: 'file', accept: '.csv,.ndjson,.jsonl,.txt,text/csv', required: true });
  const importForm = actionForm('Import activations', [field('CSV (license_key,identifier,product_id) or NDJSON file', file)], 'Import activations', async () => {
    const chosen = file.files?.[0];
    if (chosen === undefined) return 'Choose a file first.';
    const result = await sendJson<{ imported: number; unchanged: number }>('POST', '/admin/api/activations/import', { text: await chosen.text() });
    await refresh();
    return `Imported ${result.imported} activation(s); ${result.unchanged} were recorded already.`;
  });

  await refresh();
  main.append(h('h1', {}, 'Licenses'), filters(list, params), status, holder, detail, h('div', { class: 'forms' }, importForm));
}
