import { getJson } from '../api.js';
import { ACCENT_COLOR, chartFigure, cleanFlaggedBars } from '../charts.js';
import { formatNumber, formatPercent, h, table } from '../dom.js';
import { filterForm, productField, rangeBounds, rangeFields } from '../filters.js';
import { productName, products } from '../products.js';
import type { Bucket, OverviewAnswer } from '../types.js';
import { emptyState } from '../empty-state.js';
import { formatMinute, hourLabel, zoneLabel } from '../time.js';

/** An hour bucket as its start in the chosen zone (`02-27 11:00`); a day bucket as its UTC day (`2024-02-27`). */
export function bucketLabel(start: string, bucket: 'hour' | 'day'): string {
  return bucket === 'hour' ? hourLabel(start) : start.slice(0, 10);
}

function tile(name: string, label: string, value: string): HTMLElement {
  return h('div', { class: 'tile', 'data-tile': name }, h('span', { class: 'tile-label' }, label), h('span', { class: 'tile-value' }, value));
}

function shareTrend(series: Bucket[], labels: string[]): HTMLElement {
  const share = series.map((b) => (b.clean + b.flagged === 0 ? null : (100 * b.flagged) / (b.clean + b.flagged)));
  return chartFigure('flagged-share', 'Share of flagged reports', 'Line chart of the percentage of reports with red flags per period.', {
    type: 'line',
    data: { labels, datasets: [{ label: 'Flagged %', data: share, borderColor: ACCENT_COLOR, backgroundColor: ACCENT_COLOR, spanGaps: true }] },
    options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '% flagged' } } } },
  });
}

const PRODUCT_COLORS = ['#1f5fbf', '#8e24aa', '#00796b', '#ef6c00', '#5d4037', '#c2185b', '#455a64', '#7cb342'];

/** One line per product (the 8 with most reports): how each product's reports move. */
function perProduct(data: OverviewAnswer, labels: string[], list: Awaited<ReturnType<typeof products>>): HTMLElement {
  const top = [...data.products].sort((a, b) => b.total - a.total).slice(0, PRODUCT_COLORS.length);
  return chartFigure('per-product', 'Reports per product', `Line chart of reports per period for ${top.length} products.`, {
    type: 'line',
    data: {
      labels,
      datasets: top.map((p, i) => ({
        label: productName(list, p.product_id), data: p.series.map((b) => b.clean + b.flagged),
        borderColor: PRODUCT_COLORS[i], backgroundColor: PRODUCT_COLORS[i],
      })),
    },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'reports' } } } },
  });
}

/** Reports over time, clean vs flagged and its trend, per product (issue 8, item 2). */
export async function overviewPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const list = await products();
  main.append(h('h1', {}, 'Overview'), filterForm('overview', 'Overview filters', [...rangeFields(params), productField(list, params)]));
  const data = await getJson<OverviewAnswer>('/admin/api/overview', { ...rangeBounds(params), product_id: params.get('product_id') });
  if (data.total === 0) {
    main.append(emptyState('No reports in this range.', list, params.get('product_id')));
    return;
  }
  const labels = data.series.map((b) => bucketLabel(b.start, data.bucket));
  main.append(
    h('p', { class: 'range-note' }, `${formatMinute(data.from)} – ${formatMinute(data.to)} (${zoneLabel()}), per ${data.bucket === 'hour' ? 'hour' : 'UTC day'}`),
    h('div', { class: 'tiles' },
      tile('total', 'Reports', formatNumber(data.total)),
      tile('clean', 'Clean', formatNumber(data.clean)),
      tile('flagged', 'Flagged', formatNumber(data.flagged)),
      tile('share', 'Flagged share', formatPercent(data.flagged, data.total)),
    ),
    h('div', { class: 'charts' },
      cleanFlaggedBars('reports-over-time', 'Reports over time', labels, data.series.map((b) => b.clean), data.series.map((b) => b.flagged)),
      shareTrend(data.series, labels),
      perProduct(data, labels, list),
    ),
    table('Reports per product', ['Product', 'Reports', 'Clean', 'Flagged', 'Flagged share'],
      data.products.sort((a, b) => b.total - a.total).map((p) => [
        productName(list, p.product_id), formatNumber(p.total), formatNumber(p.clean), formatNumber(p.flagged), formatPercent(p.flagged, p.total),
      ])),
  );
}
