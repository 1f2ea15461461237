import { getJson } from '../api.js';
import { ACCENT_COLOR, chartFigure, cleanFlaggedBars } from '../charts.js';
import { field, formatNumber, h, select, table } from '../dom.js';
import { filterForm, flagField, productField, rangeBounds, rangeFields } from '../filters.js';
import { productName, products } from '../products.js';
import type { OverviewAnswer, SummaryAnswer, TextPatternsAnswer } from '../types.js';
import { versionComparison } from './version-chart.js';
import { emptyState } from '../empty-state.js';

type Filters = Record<string, string | undefined>;

async function numericPart(filters: Filters, params: URLSearchParams, s: SummaryAnswer): Promise<HTMLElement> {
  const n = s.numeric;
  const stats = table('Statistics (exact, nearest rank)', ['Count', 'Min', 'Max', 'Mean', 'p50', 'p90', 'p99'],
    [[n.count, n.min, n.max, n.mean, n.p50, n.p90, n.p99].map((v) => formatNumber(v))]);
  const histogram = chartFigure('histogram', 'Histogram', `Histogram of ${n.count} values from ${formatNumber(n.min)} to ${formatNumber(n.max)}.`, {
    type: 'bar',
    data: { labels: n.histogram.map((b) => formatNumber(b.from)), datasets: [{ label: 'Reports', data: n.histogram.map((b) => b.count), backgroundColor: ACCENT_COLOR }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
  });
  return h('section', { 'aria-label': 'Single values' }, h('h2', {}, 'Single values'), stats, h('div', { class: 'charts' }, histogram), await versionComparison(filters, params));
}

function xyPart(s: SummaryAnswer): HTMLElement {
  const note = s.xy.downsampling === 'none' ? `${s.xy.count} points` : `${s.xy.count} points, ${s.xy.points.length} shown (min–max downsampled)`;
  return h('section', { 'aria-label': 'XY values' }, h('h2', {}, 'XY values'), h('p', {}, note),
    chartFigure('xy', 'X against Y', `Scatter chart of ${s.xy.points.length} x/y points.`, {
      type: 'scatter',
      data: { datasets: [{ label: 'Reports', data: s.xy.points.map((p) => ({ x: p.x, y: p.y })), backgroundColor: ACCENT_COLOR, pointRadius: 2 }] },
      options: { plugins: { legend: { display: false } } },
    }));
}

/**
 * Text values grouped by pattern (numbers, hex ids, paths, UUIDs, emails and IPs collapsed), most
 * reports first; each pattern's exact values are one click away, in a disclosure.
 */
function patternsTable(answer: TextPatternsAnswer): HTMLElement {
  const note = answer.read.reports < answer.count
    ? `The ${formatNumber(answer.read.limit)} most frequent distinct values, ${formatNumber(answer.read.reports)} of ${formatNumber(answer.count)} reports, are grouped.`
    : `All ${formatNumber(answer.count)} reports are grouped.`;
  const rows = answer.patterns.map((p) => [
    h('details', { class: 'pattern', 'data-pattern': p.pattern },
      h('summary', {}, h('code', {}, p.pattern)),
      h('ul', { class: 'exact-values', 'aria-label': `Exact values of ${p.pattern}` },
        ...p.values.map((v) => h('li', {}, h('code', {}, v.value), ` × ${formatNumber(v.count)}`)),
        p.distinct_values > p.values.length ? h('li', {}, `… and ${formatNumber(p.distinct_values - p.values.length)} more values`) : null)),
    formatNumber(p.count), formatNumber(p.distinct_values),
  ]);
  return h('section', { 'aria-label': 'Text patterns' }, h('h3', {}, 'Values by pattern'), h('p', { class: 'range-note' }, note),
    table('Text values by pattern', ['Pattern (open for the exact values)', 'Reports', 'Distinct values'], rows));
}

async function textPart(filters: Filters, s: SummaryAnswer): Promise<HTMLElement> {
  const top = s.text.top;
  const patterns = await getJson<TextPatternsAnswer>('/admin/api/summary/text-patterns', filters);
  return h('section', { 'aria-label': 'Text values' }, h('h2', {}, 'Text values'), patternsTable(patterns),
    h('div', { class: 'charts' },
      chartFigure('top-texts', 'Most frequent values', `Bar chart of the ${top.length} most frequent of ${s.text.count} text values.`, {
        type: 'bar',
        data: { labels: top.map((t) => (t.value.length > 40 ? `${t.value.slice(0, 39)}…` : t.value)), datasets: [{ label: 'Reports', data: top.map((t) => t.count), backgroundColor: ACCENT_COLOR }] },
        options: { indexAxis: 'y', plugins: { legend: { display: false } } },
      }),
      table('Most frequent values', ['Value', 'Reports'], top.map((t) => [t.value, formatNumber(t.count)])),
    ));
}

/**
 * The natural chart per data type of one product's data group, filterable by flag and date (item
 * 3); single values are compared across versions with a version picker (version-chart.ts).
 */
export async function groupsPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const list = await products();
  const range = rangeBounds(params, '30d');
  const overview = await getJson<OverviewAnswer>('/admin/api/overview', { ...range, product_id: params.get('product_id') });
  const groups = overview.groups.filter((g) => g.product_id !== null && g.data_group !== null).sort((a, b) => b.total - a.total);
  const chosen = groups.find((g) => g.data_group === params.get('data_group')) ?? groups[0];
  const names = [...new Set(groups.map((g) => g.data_group ?? ''))].sort();
  main.append(h('h1', {}, 'Data groups'), filterForm('groups', 'Data group filters', [
    ...rangeFields(params, '30d'), productField(list, params),
    field('Data group', select('data_group', names.map((n): [string, string] => [n, n]), chosen?.data_group ?? '')),
    flagField(params),
  ]));
  if (chosen === undefined) {
    main.append(emptyState('No reports in this range.', list, params.get('product_id')));
    return;
  }
  const filters: Filters = {
    product_id: String(chosen.product_id), data_group: chosen.data_group ?? '', ...range,
    has_red_flags: params.get('has_red_flags') ?? undefined,
  };
  const s = await getJson<SummaryAnswer>('/admin/api/summary', { ...filters, buckets: '20', points: '1000', top: '20' });
  main.append(h('p', { class: 'range-note' }, `${productName(list, chosen.product_id)} · ${chosen.data_group} · ${formatNumber(s.total)} reports`),
    cleanFlaggedBars('group-days', 'Reports per UTC day', s.days.map((d) => d.day), s.days.map((d) => d.clean), s.days.map((d) => d.flagged)));
  if (s.numeric.count > 0) main.append(await numericPart(filters, params, s));
  if (s.xy.count > 0) main.append(xyPart(s));
  if (s.text.count > 0) main.append(await textPart(filters, s));
  if (s.numeric.count + s.xy.count + s.text.count === 0) main.append(h('p', {}, 'No readable values in this selection.'));
}
