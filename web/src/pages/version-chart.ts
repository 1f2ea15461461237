import { ApiError, getJson } from '../api.js';
import { chartFigure, dataTable, destroyChartIn } from '../charts.js';
import { formatNumber, h } from '../dom.js';
import { hourLabel, zoneLabel } from '../time.js';
import type { VersionSeriesAnswer } from '../types.js';

/** At most this many versions are charted (the API's limit), and this many are picked at first. */
const MAX_PICKED = 8;
const FIRST_PICKED = 4;
/** One colour per version, in pick order: distinct hues that stay apart for the common colour blindnesses. */
export const VERSION_COLORS = ['#1f5fbf', '#d95f02', '#1b9e77', '#7570b3', '#e7298a', '#66a61e', '#a6761d', '#444444'];

type Interval = VersionSeriesAnswer['interval'];
type Filters = Record<string, string | undefined>;

/** One line as the chart draws it; also written on the figure (`data-series`) for tests and tools. */
export interface VersionLine {
  version: string;
  stat: 'p50' | 'p90';
  label: string;
  color: string;
  dashed: boolean;
  data: (number | null)[];
}

/** Hours up to a week, days up to 900 days, weeks beyond: always within the API's 1000 buckets. */
export function intervalFor(from: string | undefined, to: string | undefined): Interval {
  const end = to === undefined ? Date.now() : Date.parse(to);
  const days = (end - (from === undefined ? end - 30 * 86_400_000 : Date.parse(from))) / 86_400_000;
  return days <= 7 ? 'hour' : days <= 900 ? 'day' : 'week';
}

function axisTitle(interval: Interval): string {
  return interval === 'hour' ? `Hour (${zoneLabel()})` : interval === 'day' ? 'UTC day' : 'UTC week (from Monday)';
}

/**
 * Colours that stay with their version while it is picked: a newly picked version takes the first
 * colour no picked version has (at most MAX_PICKED are picked, so no two share one).
 */
export class VersionColors {
  readonly #given = new Map<string, string>();

  /** Keeps the colours of `picked`, frees the others, gives the new ones a free colour. */
  update(picked: readonly string[]): void {
    for (const version of [...this.#given.keys()]) if (!picked.includes(version)) this.#given.delete(version);
    for (const version of picked) {
      if (this.#given.has(version)) continue;
      const taken = new Set(this.#given.values());
      this.#given.set(version, VERSION_COLORS.find((color) => !taken.has(color)) ?? '#000000');
    }
  }

  of(version: string): string {
    return this.#given.get(version) ?? '#000000';
  }
}

/** p50 solid and p90 dashed, in the version's colour, null where the bucket has no values. */
export function versionLines(answer: VersionSeriesAnswer, picked: readonly string[], colors: VersionColors): VersionLine[] {
  const index = new Map(answer.buckets.map((bucket, i) => [bucket, i]));
  return picked.flatMap((version) => {
    const color = colors.of(version);
    const p50: (number | null)[] = answer.buckets.map(() => null);
    const p90: (number | null)[] = answer.buckets.map(() => null);
    for (const point of answer.series) {
      const at = index.get(point.bucket);
      if (point.product_version !== version || at === undefined) continue;
      p50[at] = point.p50;
      p90[at] = point.p90;
    }
    return [
      { version, stat: 'p50' as const, label: `${version} p50`, color, dashed: false, data: p50 },
      { version, stat: 'p90' as const, label: `${version} p90`, color, dashed: true, data: p90 },
    ];
  });
}

function chartOf(answer: VersionSeriesAnswer, picked: readonly string[], colors: VersionColors): HTMLElement {
  colors.update(picked);
  const lines = versionLines(answer, picked, colors);
  const labels = answer.interval === 'hour' ? answer.buckets.map(hourLabel) : answer.buckets;
  const figure = chartFigure('value-over-time', 'p50 / p90 over time, one line per version',
    `Line chart of the median (solid) and 90th percentile (dashed) of the value per ${answer.interval}, one colour per version: ${picked.join(', ') || 'no version picked'}.`, {
      type: 'line',
      data: {
        labels,
        datasets: lines.map((line) => ({
          label: line.label, data: line.data, borderColor: line.color, backgroundColor: line.color,
          borderDash: line.dashed ? [6, 4] : [], spanGaps: true, pointRadius: 2,
        })),
      },
      options: { scales: { x: { title: { display: true, text: axisTitle(answer.interval) } } } },
    });
  figure.dataset['labels'] = JSON.stringify(labels);
  figure.dataset['series'] = JSON.stringify(lines);
  const rows = answer.series.filter((p) => p.product_version !== null && picked.includes(p.product_version))
    .map((p) => [answer.interval === 'hour' ? hourLabel(p.bucket) : p.bucket, p.product_version ?? '', p.count, p.p50, p.p90]);
  figure.append(dataTable('p50 and p90 per version', [axisTitle(answer.interval), 'Version', 'Reports', 'p50', 'p90'], rows));
  return figure;
}

/** The versions the picker offers: the charted ones, then the others seen, most reported first; reports without a version cannot be named. */
function offered(answer: VersionSeriesAnswer): { version: string; count: number }[] {
  return [...answer.versions, ...answer.versions_left_out]
    .flatMap((v) => (v.product_version === null ? [] : [{ version: v.product_version, count: v.count }]));
}

/**
 * Per-version comparison of a data group's single values: a picker of the versions seen in the
 * range (the most reported FIRST_PICKED picked at first, at most MAX_PICKED) and a chart of
 * their p50 (solid) and p90 (dashed) over time, one colour per version. Changing the picks asks
 * the API for those versions and redraws the chart in place; the picks are kept in the address.
 */
export async function versionComparison(filters: Filters, params: URLSearchParams): Promise<HTMLElement> {
  const interval = intervalFor(filters['from'], filters['to']);
  const asked = params.get('versions') ?? undefined;
  // The comparison covers every report of the group (it has no red-flag filter).
  const { product_id, data_group, from, to } = filters;
  const request = (versions: string | undefined): Promise<VersionSeriesAnswer> =>
    getJson<VersionSeriesAnswer>('/admin/api/summary/versions', { product_id, data_group, from, to, interval, versions });
  // Versions from an edited address that the API refuses: start from the most reported instead.
  let named = asked;
  let answer = await request(asked).catch((error: unknown) => {
    if (asked === undefined || !(error instanceof ApiError) || error.status !== 400) throw error;
    named = undefined;
    return request(undefined);
  });
  const choices = offered(answer);
  const picked = named === undefined ? choices.slice(0, FIRST_PICKED).map((c) => c.version) : answer.versions.flatMap((v) => (v.product_version === null ? [] : [v.product_version]));
  const colors = new VersionColors();
  let chart = chartOf(answer, picked, colors);
  const boxes = choices.map((choice) => h('input', { type: 'checkbox', name: 'version', value: choice.version, checked: picked.includes(choice.version) }));
  const limit = (): void => {
    const full = boxes.filter((box) => box.checked).length >= MAX_PICKED;
    for (const box of boxes) box.disabled = full && !box.checked;
  };
  const status = h('p', { class: 'range-note', role: 'status', 'aria-live': 'polite' });
  const picker = h('fieldset', { class: 'version-picker' }, h('legend', {}, `Versions (at most ${MAX_PICKED})`),
    ...boxes.map((box, i) => h('label', {}, box, ` ${choices[i]?.version ?? ''} `, h('span', { class: 'count' }, `· ${formatNumber(choices[i]?.count)}`))));
  if (choices.length === 0) picker.append(h('p', {}, 'No version named in these reports.'));
  const left = answer.distinct_versions - choices.length;
  if (left > 0) picker.append(h('p', { class: 'range-note' }, `${formatNumber(left)} more ${left === 1 ? 'version' : 'versions'} (or reports without one) not listed.`));
  picker.addEventListener('change', () => {
    limit();
    const now = boxes.filter((box) => box.checked).map((box) => box.value);
    keepInAddress(now);
    status.textContent = 'Loading…';
    void request(now.length === 0 ? undefined : now.join(',')).then((next) => {
      answer = next;
      destroyChartIn(chart);
      const fresh = chartOf(answer, now, colors);
      chart.replaceWith(fresh);
      chart = fresh;
      status.textContent = `${now.length} ${now.length === 1 ? 'version' : 'versions'} shown.`;
    }, (error: unknown) => {
      status.textContent = `Could not load the versions: ${error instanceof Error ? error.message : String(error)}`;
    });
  });
  limit();
  const unfiltered = filters['has_red_flags'] === undefined ? null : h('p', { class: 'range-note' }, 'The comparison counts every report, flagged or not.');
  return h('section', { class: 'version-comparison', 'aria-label': 'Versions compared' }, h('h3', {}, 'Versions compared'), unfiltered, picker, status, chart);
}

/** The picks in the page's address (#/groups?…&versions=a,b), without re-rendering the page. */
function keepInAddress(versions: readonly string[]): void {
  const [path = '', query = ''] = location.hash.split('?');
  const search = new URLSearchParams(query);
  if (versions.length === 0) search.delete('versions');
  else search.set('versions', versions.join(','));
  history.replaceState(null, '', `${location.pathname}${location.search}${path}?${search.toString()}`);
}
