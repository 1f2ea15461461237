import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement,
  PointElement, ScatterController, Tooltip, type ChartConfiguration,
} from 'chart.js';
import { formatNumber, h, table } from './dom.js';

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip);
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.color = '#1f2933';
Chart.defaults.animation = false;

export const CLEAN_COLOR = '#2e7d32';
export const FLAGGED_COLOR = '#c62828';
export const ACCENT_COLOR = '#1f5fbf';

/** Charts drawn by the current page, destroyed when the page is left. */
const live = new Set<Chart>();

/**
 * A chart in a figure: the canvas is an image to assistive technology, named by `label` (which
 * should say what the chart shows); the caption repeats the title. `data-chart` lets tests find it.
 */
export function chartFigure(name: string, title: string, label: string, config: ChartConfiguration): HTMLElement {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  const figure = h('figure', { class: 'chart', 'data-chart': name }, h('figcaption', {}, title), h('div', { class: 'chart-box' }, canvas));
  const options = config.options ?? {};
  live.add(new Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, ...options } } as ChartConfiguration));
  return figure;
}

/** Destroys the chart drawn inside `element` (a figure chartFigure made), so that it can be replaced. */
export function destroyChartIn(element: Element): void {
  for (const chart of live) {
    if (!element.contains(chart.canvas)) continue;
    chart.destroy();
    live.delete(chart);
  }
}

export function destroyCharts(): void {
  for (const chart of live) chart.destroy();
  live.clear();
}

/** The numbers behind a chart, for screen readers and for reading exact values: a table in a disclosure. */
export function dataTable(caption: string, headers: readonly string[], rows: readonly (readonly (string | number)[])[]): HTMLElement {
  return h('details', { class: 'chart-data' }, h('summary', {}, 'Show as table'),
    table(caption, headers, rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)))));
}

/** Stacked bars of clean and flagged reports per bucket, with its numbers in a table. */
export function cleanFlaggedBars(name: string, title: string, labels: string[], clean: number[], flagged: number[]): HTMLElement {
  const total = clean.reduce((a, b) => a + b, 0) + flagged.reduce((a, b) => a + b, 0);
  const figure = barsFigure(name, title, `${title}: ${total} reports in ${labels.length} periods, clean in green, flagged in red.`, labels, clean, flagged);
  figure.append(dataTable(title, ['Period', 'Clean', 'Flagged'], labels.map((label, i) => [label, clean[i] ?? 0, flagged[i] ?? 0])));
  return figure;
}

function barsFigure(name: string, title: string, label: string, labels: string[], clean: number[], flagged: number[]): HTMLElement {
  return chartFigure(name, title, label, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'Clean', data: clean, backgroundColor: CLEAN_COLOR, stack: 'reports' },
        { label: 'Flagged', data: flagged, backgroundColor: FLAGGED_COLOR, stack: 'reports' },
      ],
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'reports' } } } },
  });
}
