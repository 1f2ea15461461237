import { getJson } from '../api.js';
import { BUCKET_NAMES, bucketsBetween, firstDayOf } from '../buckets.js';
import { ACCENT_COLOR, chartFigure, CLEAN_COLOR, dataTable, FLAGGED_COLOR } from '../charts.js';
import { field, formatNumber, formatPercent, h, select, table } from '../dom.js';
import { emptyState } from '../empty-state.js';
import { filterForm } from '../filters.js';
import { products } from '../products.js';
import { formatMinute, zoneLabel } from '../time.js';
import type { InstallsAnswer, InstallsBy, InstallsInterval, InstallsSeriesRow, Product } from '../types.js';

const RANGE_DAYS: readonly (readonly [string, string])[] = [['7', 'Last 7 days'], ['30', 'Last 30 days'], ['90', 'Last 90 days']];
const INTERVALS: readonly (readonly [InstallsInterval, string])[] = [['day', 'Day'], ['week', 'Week'], ['month', 'Month']];
const KEY_COLORS = ['#1f5fbf', '#ef6c00', '#00796b', '#8e24aa', '#c2185b', '#5d4037', '#7cb342', '#0097a7', '#fbc02d', '#455a64'];
const REST_COLOR = '#9aa5b1';

/** The three answers the page reads: all together, by version, by OS. */
interface Answers {
  all: InstallsAnswer;
  version: InstallsAnswer;
  os: InstallsAnswer;
}

/** A key's entry per bucket. */
type ByBucket = Map<string, InstallsSeriesRow>;

function byBucketAndKey(series: readonly InstallsSeriesRow[]): Map<string, ByBucket> {
  const keys = new Map<string, ByBucket>();
  for (const row of series) {
    const buckets = keys.get(row.key) ?? new Map<string, InstallsSeriesRow>();
    buckets.set(row.bucket, row);
    keys.set(row.key, buckets);
  }
  return keys;
}

/** Versions newest first as people read them (1.10 after 1.9), then `unknown`, then `other`. */
function versionOrder(a: string, b: string): number {
  const rank = (key: string): number => (key === 'other' ? 2 : key === 'unknown' ? 1 : 0);
  return rank(a) - rank(b) || b.localeCompare(a, 'en', { numeric: true });
}

const colorOf = (key: string, i: number): string => (key === 'other' || key === 'unknown' ? REST_COLOR : KEY_COLORS[i % KEY_COLORS.length] ?? ACCENT_COLOR);

/** What a chart draws, written on its figure (`data-series`) for tests and tools: the bucket labels and each dataset's points. */
interface DrawnSeries {
  labels: string[];
  datasets: { label: string; data: (number | null)[] }[];
}

function withSeries(figure: HTMLElement, series: DrawnSeries): HTMLElement {
  figure.setAttribute('data-series', JSON.stringify(series));
  return figure;
}

function tile(name: string, label: string, value: string, note: string): HTMLElement {
  return h('div', { class: 'tile', 'data-tile': name }, h('span', { class: 'tile-label' }, label), h('span', { class: 'tile-value' }, value), h('span', { class: 'tile-note' }, note));
}

/** Active machines, active users and new machines per bucket (every bucket of the range, empty ones at 0). */
function activityChart(all: InstallsAnswer, labels: readonly string[]): HTMLElement {
  const rows = byBucketAndKey(all.series).get('all') ?? new Map<string, InstallsSeriesRow>();
  const pick = (name: 'machines' | 'users' | 'new_machines'): number[] => labels.map((bucket) => rows.get(bucket)?.[name] ?? 0);
  const machines = pick('machines');
  const users = pick('users');
  const fresh = pick('new_machines');
  const unit = BUCKET_NAMES[all.interval];
  const series: DrawnSeries = {
    labels: [...labels],
    datasets: [{ label: 'Active machines', data: machines }, { label: 'Active users', data: users }, { label: 'New machines', data: fresh }],
  };
  const styles = [
    { borderColor: ACCENT_COLOR, backgroundColor: ACCENT_COLOR },
    { borderColor: CLEAN_COLOR, backgroundColor: CLEAN_COLOR, borderDash: [6, 3] },
    { borderColor: FLAGGED_COLOR, backgroundColor: FLAGGED_COLOR },
  ];
  const figure = withSeries(chartFigure('installs-activity', `Active and new machines and users per ${unit}`,
    `Line chart of distinct active machines, active users and new machines in each of ${labels.length} periods (${unit}).`, {
      type: 'line',
      data: { labels: series.labels, datasets: series.datasets.map((dataset, i) => ({ ...dataset, ...styles[i] })) },
      options: { scales: { x: { title: { display: true, text: unit } }, y: { beginAtZero: true, title: { display: true, text: 'distinct' } } } },
    }), series);
  figure.append(dataTable(`Active and new per ${unit}`, [unit, 'Active machines', 'Active users', 'New machines'],
    labels.map((bucket, i) => [bucket, machines[i] ?? 0, users[i] ?? 0, fresh[i] ?? 0])));
  return figure;
}

/**
 * Version adoption: per bucket, the share of its active machines that ran each version
 * (machines of the version ÷ machines of the bucket). Lines, not stacked areas: a machine that
 * upgrades within a bucket counts under both versions, so the shares may add up to more than 100 %.
 */
function adoptionChart(answers: Answers, labels: readonly string[]): HTMLElement {
  const totals = byBucketAndKey(answers.all.series).get('all') ?? new Map<string, InstallsSeriesRow>();
  const versions = byBucketAndKey(answers.version.series);
  const keys = [...versions.keys()].sort(versionOrder);
  const share = (key: string, bucket: string): number | null => {
    const whole = totals.get(bucket)?.machines ?? 0;
    return whole === 0 ? null : Math.round((10_000 * (versions.get(key)?.get(bucket)?.machines ?? 0)) / whole) / 100;
  };
  const unit = BUCKET_NAMES[answers.all.interval];
  const series: DrawnSeries = { labels: [...labels], datasets: keys.map((key) => ({ label: key, data: labels.map((bucket) => share(key, bucket)) })) };
  const figure = withSeries(chartFigure('version-adoption', 'Version adoption (share of active machines)',
    `Line chart of the percentage of active machines running each of ${keys.length} versions in each period (${unit}).`, {
      type: 'line',
      data: {
        labels: series.labels,
        datasets: series.datasets.map((dataset, i) => ({ ...dataset, borderColor: colorOf(dataset.label, i), backgroundColor: colorOf(dataset.label, i), spanGaps: false })),
      },
      options: { scales: { x: { title: { display: true, text: unit } }, y: { min: 0, max: 100, title: { display: true, text: '% of active machines' } } } },
    }), series);
  figure.append(
    h('p', { class: 'chart-note' }, 'A machine that upgrades within a period counts under both versions in it, so a period\'s shares can add up to more than 100 %.'),
    dataTable('Share of active machines per version', [unit, ...keys], labels.map((bucket) => [
      bucket, ...keys.map((key) => {
        const value = share(key, bucket);
        return value === null ? '–' : `${value.toFixed(2)} %`;
      }),
    ])));
  return figure;
}

/** The last bucket with reports: what the OS split and the version table describe. */
function latestBucket(all: InstallsAnswer): string | undefined {
  return all.series.at(-1)?.bucket;
}

/** Machines per OS in the latest bucket with reports (distinct machines are exact per bucket, not summable across them). */
function osChart(os: InstallsAnswer, latest: string, bucketMachines: number): HTMLElement {
  const rows = os.series.filter((row) => row.bucket === latest).sort((a, b) => b.machines - a.machines || (a.key < b.key ? -1 : 1));
  const unit = BUCKET_NAMES[os.interval];
  const title = `Machines by OS, ${unit} ${latest}`;
  const series: DrawnSeries = { labels: rows.map((row) => row.key), datasets: [{ label: 'Machines', data: rows.map((row) => row.machines) }] };
  const figure = withSeries(chartFigure('os-split', title, `Bar chart of distinct machines per operating system in ${unit} ${latest}: ${rows.length} systems.`, {
    type: 'bar',
    data: { labels: series.labels, datasets: series.datasets.map((dataset) => ({ ...dataset, backgroundColor: rows.map((row, i) => colorOf(row.key, i)) })) },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, title: { display: true, text: 'machines' } } } },
  }), series);
  figure.append(
    h('p', { class: 'chart-note' }, `The latest ${unit} with reports. OS is the reports' metadata.os ("unknown" when absent).`),
    dataTable(title, ['OS', 'Machines', 'Share of machines'], rows.map((row) => [row.key, row.machines, formatPercent(row.machines, bucketMachines)])));
  return figure;
}

/** Per version: machines and users in the latest bucket, new machines over the whole range. */
function versionTable(answers: Answers, latest: string, bucketMachines: number): HTMLElement {
  const unit = BUCKET_NAMES[answers.all.interval];
  const versions = byBucketAndKey(answers.version.series);
  const keys = [...versions.keys()].sort(versionOrder);
  const newInRange = (key: string): number => [...(versions.get(key)?.values() ?? [])].reduce((sum, row) => sum + row.new_machines, 0);
  return table(`Versions: machines and users in ${unit} ${latest}, new machines over the range`,
    ['Version', `Machines (${latest})`, 'Share of machines', `Users (${latest})`, 'New machines (range)'],
    keys.map((key) => {
      const row = versions.get(key)?.get(latest);
      return [h('code', {}, key), formatNumber(row?.machines ?? 0), formatPercent(row?.machines ?? 0, bucketMachines), formatNumber(row?.users ?? 0), formatNumber(newInRange(key))];
    }));
}

function filters(list: readonly Product[], params: URLSearchParams, productId: string): HTMLFormElement {
  return filterForm('installs', 'Installs filters', [
    field('Product', select('product_id', list.map((p): [string, string] => [String(p.id), `${p.name} (#${p.id})`]), productId)),
    field('Time range', select('days', RANGE_DAYS, params.get('days') ?? '30')),
    field('Interval', select('interval', INTERVALS, params.get('interval') ?? 'day')),
  ]);
}

function readInterval(params: URLSearchParams): InstallsInterval {
  const interval = params.get('interval');
  return interval === 'week' || interval === 'month' ? interval : 'day';
}

function readDays(params: URLSearchParams): number {
  const days = Number(params.get('days') ?? '30');
  return days === 7 || days === 90 ? days : 30;
}

/**
 * Installs (issue 17, item 5): how many machines and users run the product, how many are new,
 * which versions they run and on which OS, per UTC day, ISO week or month over the last 7, 30 or
 * 90 UTC days (today included). Reads GET /admin/api/installs three times: all together, by
 * version, by OS.
 */
export async function installsPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const list = await products();
  const product = list.find((p) => String(p.id) === params.get('product_id')) ?? list[0];
  main.append(h('h1', {}, 'Installs'));
  if (product === undefined) {
    main.append(emptyState('No product is registered yet.', list));
    return;
  }
  main.append(filters(list, params, String(product.id)));
  const interval = readInterval(params);
  const query = (by: InstallsBy): Promise<InstallsAnswer> => getJson<InstallsAnswer>('/admin/api/installs', {
    product_id: String(product.id), from: firstDayOf(readDays(params)), interval, by,
  });
  const [all, version, os] = await Promise.all([query('none'), query('version'), query('os')]);
  const latest = latestBucket(all);
  if (latest === undefined) {
    main.append(emptyState(`No reports of ${product.name} in this range.`, list, String(product.id)));
    return;
  }
  const answers: Answers = { all, version, os };
  const labels = bucketsBetween(all.from, all.to, interval);
  const bucketMachines = all.series.find((row) => row.bucket === latest)?.machines ?? 0;
  const fresh = all.series.reduce((sum, row) => sum + row.new_machines, 0);
  main.append(
    h('p', { class: 'range-note' }, `${product.name} · ${formatMinute(all.from)} – ${formatMinute(all.to)} (${zoneLabel()}), per ${BUCKET_NAMES[interval]} · counts ${all.distinct}`),
    h('div', { class: 'tiles' },
      tile('machines', 'Active machines', formatNumber(all.totals.machines), 'distinct, in the range'),
      tile('users', 'Active users', formatNumber(all.totals.users), 'distinct, in the range'),
      tile('new-machines', 'New machines', formatNumber(fresh), 'first report ever in the range')),
    h('div', { class: 'charts' }, activityChart(all, labels), adoptionChart(answers, labels), osChart(os, latest, bucketMachines)),
    h('h2', {}, 'Versions'),
    versionTable(answers, latest, bucketMachines),
  );
}
