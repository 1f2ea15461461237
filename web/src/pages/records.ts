import { getJson, queryString } from '../api.js';
import { field, h, select } from '../dom.js';
import { collapsible, filterForm, flagField, productField } from '../filters.js';
import { products } from '../products.js';
import { recordsTable } from '../records-table.js';
import type { RecordsAnswer } from '../types.js';
import { emptyState } from '../empty-state.js';

/** The query API's filters (CONTRACT §4) the Records page offers. */
const FILTERS = ['product_id', 'data_type', 'data_group', 'product_version', 'user_identifier', 'license_key', 'activation_identifier', 'has_red_flags', 'blocked', 'from', 'to'] as const;

function textField(label: string, name: string, params: URLSearchParams, placeholder = ''): HTMLElement {
  return field(label, h('input', { name, value: params.get(name) ?? '', placeholder }));
}

/** A paged, filterable table of raw reports, oldest first (id order, as the query API pages), with export of the current filter (item 5). */
export async function recordsPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const list = await products();
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? undefined]));
  const limit = params.get('limit') ?? '50';
  main.append(h('h1', {}, 'Records'), collapsible('Filters', filterForm('records', 'Record filters', [
    productField(list, params),
    field('Data type', select('data_type', [['', 'Any'], ['numeric-single-value', 'numeric-single-value'], ['numeric-xy-axis', 'numeric-xy-axis'], ['text', 'text']], params.get('data_type') ?? '')),
    textField('Data group', 'data_group', params), textField('Version', 'product_version', params),
    textField('User identifier', 'user_identifier', params), textField('License key', 'license_key', params),
    textField('Activation', 'activation_identifier', params), flagField(params),
    field('Blocked', select('blocked', [['', 'Any'], ['0', 'Not blocked'], ['1', 'Blocked only']], params.get('blocked') ?? '')),
    textField('From', 'from', params, '2024-02-01 or ISO time'), textField('To', 'to', params, '2024-02-29 or ISO time'),
    field('Per page', select('limit', [['25', '25'], ['50', '50'], ['100', '100'], ['500', '500']], limit)),
  ])));
  const exportQuery = (format: string): string => `/admin/api/export${queryString({ format, ...filters })}`;
  main.append(h('p', { class: 'exports' }, 'Export this filter: ',
    h('a', { href: exportQuery('csv'), download: 'tally-export.csv', 'data-export': 'csv' }, 'CSV'), ' · ',
    h('a', { href: exportQuery('ndjson'), download: 'tally-export.ndjson', 'data-export': 'ndjson' }, 'NDJSON')));
  const afterId = params.get('after_id') ?? undefined;
  const page = await getJson<RecordsAnswer>('/admin/api/records', { ...filters, limit, after_id: afterId });
  main.append(page.records.length === 0 ? emptyState('No records match.', list, params.get('product_id')) : recordsTable(`Records${afterId ? ` after id ${afterId}` : ''}`, page.records));
  const here = new URLSearchParams(params);
  here.delete('after_id');
  const nav = h('nav', { class: 'pager', 'aria-label': 'Pages of records' });
  if (afterId !== undefined) nav.append(h('a', { href: `#/records?${here.toString()}` }, 'First page'));
  if (page.next_after_id !== null) {
    here.set('after_id', String(page.next_after_id));
    nav.append(h('a', { href: `#/records?${here.toString()}`, rel: 'next' }, 'Next page'));
  }
  main.append(nav);
}
