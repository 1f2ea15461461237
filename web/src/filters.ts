import { field, h, select } from './dom.js';
import { dayBound, zoneLabel } from './time.js';
import type { Product } from './types.js';

const HOUR_MS = 3_600_000;
export const RANGES: readonly (readonly [string, string])[] = [
  ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['30d', 'Last 30 days'], ['90d', 'Last 90 days'], ['custom', 'Custom'],
];
const RANGE_HOURS: Record<string, number> = { '24h': 24, '7d': 24 * 7, '30d': 24 * 30, '90d': 24 * 90 };

/** The `from`/`to` the API gets for the range chosen in the page's parameters (`range`, `from`, `to`). */
export function rangeBounds(params: URLSearchParams, fallback = '7d'): { from: string | undefined; to: string | undefined } {
  const range = params.get('range') ?? fallback;
  if (range === 'custom') {
    const from = params.get('from');
    const to = params.get('to');
    return { from: from === null ? undefined : dayBound(from, false), to: to === null ? undefined : dayBound(to, true) };
  }
  const hours = RANGE_HOURS[range] ?? RANGE_HOURS[fallback] ?? 24 * 7;
  return { from: new Date(Date.now() - hours * HOUR_MS).toISOString(), to: undefined };
}

/** The range controls: a preset, or two dates (shown for Custom). */
export function rangeFields(params: URLSearchParams, fallback = '7d'): HTMLElement[] {
  const choice = select('range', RANGES, params.get('range') ?? fallback);
  const from = h('input', { type: 'date', name: 'from', value: params.get('from') ?? '' });
  const to = h('input', { type: 'date', name: 'to', value: params.get('to') ?? '' });
  const custom = [field(`From (${zoneLabel()})`, from), field(`To (${zoneLabel()})`, to)];
  const show = (): void => custom.forEach((element) => { element.hidden = choice.value !== 'custom'; });
  choice.addEventListener('change', show);
  show();
  return [field('Time range', choice), ...custom];
}

export function productField(products: readonly Product[], params: URLSearchParams, anyLabel = 'All products'): HTMLElement {
  const options: [string, string][] = [['', anyLabel], ...products.map((p): [string, string] => [String(p.id), `${p.name} (#${p.id})`])];
  return field('Product', select('product_id', options, params.get('product_id') ?? ''));
}

export function flagField(params: URLSearchParams): HTMLElement {
  return field('Red flags', select('has_red_flags', [['', 'Any'], ['0', 'Clean only'], ['1', 'Flagged only']], params.get('has_red_flags') ?? ''));
}

/**
 * A filter form: submitting it puts its non-empty values in the page's address (#/page?…), so
 * every filtered view can be bookmarked, shared and reloaded.
 */
export function filterForm(page: string, label: string, controls: readonly HTMLElement[]): HTMLFormElement {
  const form = h('form', { class: 'filters', 'aria-label': label }, ...controls, h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Apply')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const search = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value.trim() !== '') search.set(name, value.trim());
    if (search.get('range') !== 'custom') {
      search.delete('from');
      search.delete('to');
    }
    location.hash = `#/${page}?${search.toString()}`;
  });
  return form;
}

/** The form in a disclosure: open on wide screens, closed on phones so the results come first. */
export function collapsible(summary: string, form: HTMLFormElement): HTMLDetailsElement {
  const open = !window.matchMedia('(max-width: 640px)').matches;
  return h('details', { class: 'filter-box', open }, h('summary', {}, summary), form);
}
