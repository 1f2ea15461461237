import { ApiError, getJson, queryString } from '../api.js';
import { append, formatNumber, h, table } from '../dom.js';
import { formatTime } from '../time.js';
import { block } from './blocklist.js';
import { filterForm, productField, rangeBounds, rangeFields } from '../filters.js';
import { productName, products } from '../products.js';
import { CHECK_LABELS, type CheckName, type PiracyAnswer, type Product, type Suspect } from '../types.js';

function failedChecks(suspect: Suspect): HTMLElement {
  const items = (Object.keys(CHECK_LABELS) as CheckName[])
    .filter((check) => suspect.failed_checks[check] > 0)
    .map((check) => h('li', { class: 'flag' }, `${CHECK_LABELS[check]} × ${formatNumber(suspect.failed_checks[check])}`));
  return h('ul', { class: 'flags' }, ...items);
}

/** A button that puts the suspect on the blocklist for its product, and says what happened. */
function blockButton(kind: 'license_key' | 'user_identifier', suspect: Suspect): HTMLElement | string {
  const value = suspect.value;
  if (value === null) return '';
  const outcome = h('span', { role: 'status' });
  const button = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Block ${value}` }, 'Block');
  button.addEventListener('click', () => {
    button.disabled = true;
    block(kind, value, suspect.product_id, 'blocked from the piracy view')
      .then((text) => { outcome.textContent = text; })
      .catch((error: unknown) => {
        button.disabled = false;
        outcome.textContent = error instanceof ApiError ? error.detail : String(error);
      });
  });
  return h('div', { class: 'row-actions' }, button, outcome);
}

function suspectTable(caption: string, column: string, filterName: 'license_key' | 'user_identifier', suspects: Suspect[], list: readonly Product[], range: Record<string, string | undefined>): HTMLElement {
  if (suspects.length === 0) return h('p', {}, `No ${column.toLowerCase()}s with red flags in this range.`);
  return table(caption, [column, 'Product', 'Flagged reports', 'Failed checks', 'First seen', 'Last seen', 'Reports', 'Blocklist'], suspects.map((s) => {
    const drill = `#/records${queryString({ product_id: String(s.product_id), [filterName]: s.value, has_red_flags: '1', ...range })}`;
    return [
      h('code', {}, s.value ?? '(none sent)'), productName(list, s.product_id), formatNumber(s.count), failedChecks(s),
      formatTime(s.first_seen), formatTime(s.last_seen), h('a', { href: drill }, 'Show reports'), blockButton(filterName, s),
    ];
  }));
}

/** License keys and user identifiers with red flags, which flags, first and last seen, drill-down (item 4). */
export async function piracyPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const list = await products();
  const range = rangeBounds(params, '30d');
  main.append(h('h1', {}, 'Piracy'), filterForm('piracy', 'Piracy filters', [...rangeFields(params, '30d'), productField(list, params)]));
  const data = await getJson<PiracyAnswer>('/admin/api/piracy', { ...range, product_id: params.get('product_id') });
  // Drill-down links keep the range, as dates the records filter reads.
  const bounds = { from: data.from, to: data.to };
  append(main, [
    h('p', { class: 'range-note' }, 'Reports of a suspect are listed with their activation identifiers under "Show reports".'),
    h('h2', {}, 'License keys'),
    suspectTable('License keys with red-flagged reports', 'License key', 'license_key', data.license_keys, list, bounds),
    h('h2', {}, 'User identifiers'),
    suspectTable('User identifiers with red-flagged reports', 'User identifier', 'user_identifier', data.user_identifiers, list, bounds),
    data.unattributed > 0 ? h('p', {}, `${formatNumber(data.unattributed)} red-flagged reports named no product or data group.`) : null,
    data.truncated ? h('p', { class: 'error' }, 'Only the first 200 data groups with red flags were read; narrow the range or product.') : null,
  ]);
}
