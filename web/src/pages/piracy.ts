import { ApiError, getJson, queryString } from '../api.js';
import { may } from '../access.js';
import { field, formatNumber, h, select, statusLine, table, type Child } from '../dom.js';
import { emptyState } from '../empty-state.js';
import { filterForm, productField } from '../filters.js';
import { causeLabels, classBadges, machinesVsSeats, versionList } from '../insight-cells.js';
import { productName, products } from '../products.js';
import { formatMinute, formatTime, zoneLabel } from '../time.js';
import type { InsightsPage, LicenseInsight, Product, UserInsight } from '../types.js';
import { block } from './blocklist.js';

type View = 'licenses' | 'users';
type ClassTab = 'shared' | 'suspicious' | 'client-bug' | 'all';

const TABS: readonly (readonly [ClassTab, string])[] = [['shared', 'Shared'], ['suspicious', 'Suspicious'], ['client-bug', 'Client bugs'], ['all', 'All']];
const VIEWS: readonly (readonly [View, string])[] = [['licenses', 'License keys'], ['users', 'Users']];
const SORTS: Record<View, readonly (readonly [string, string])[]> = {
  licenses: [['machines', 'Machines'], ['users', 'Users'], ['flagged', 'Flagged reports'], ['last_seen', 'Last seen']],
  users: [['machines', 'Machines'], ['licenses', 'Licenses'], ['flagged', 'Flagged reports'], ['last_seen', 'Last seen']],
};
const WINDOWS: readonly (readonly [string, string])[] = [['7', 'Last 7 days'], ['30', 'Last 30 days'], ['90', 'Last 90 days']];
const LIMITS: readonly (readonly [string, string])[] = [['10', '10'], ['25', '25'], ['50', '50'], ['100', '100']];

/** What the page shows, read from its address (#/piracy?view=…&class=…&sort=…&search=…). */
interface Query {
  view: View;
  tab: ClassTab;
  sort: string;
  search: string;
  windowDays: string;
  limit: string;
  productId: string;
}

const pickOf = <T extends string>(options: readonly (readonly [T, string])[], value: string | null, fallback: T): T =>
  options.find(([option]) => option === value)?.[0] ?? fallback;

function readQuery(params: URLSearchParams): Query {
  const view = pickOf(VIEWS, params.get('view'), 'licenses');
  return {
    view, tab: pickOf(TABS, params.get('class'), 'all'), sort: pickOf(SORTS[view], params.get('sort'), 'machines'),
    search: params.get('search') ?? '', windowDays: pickOf(WINDOWS, params.get('window_days'), '30'),
    limit: pickOf(LIMITS, params.get('limit'), '50'), productId: params.get('product_id') ?? '',
  };
}

/** The address of this page with some of its parameters changed. */
function hrefWith(query: Query, change: Partial<Query>): string {
  const q = { ...query, ...change };
  return `#/piracy${queryString({ view: q.view, class: q.tab, sort: q.sort, search: q.search, window_days: q.windowDays, limit: q.limit, product_id: q.productId })}`;
}

/** Links between views or tabs; the current one is marked for screen readers and styles. */
function tabLinks(label: string, links: readonly (readonly [string, string, boolean])[]): HTMLElement {
  return h('nav', { class: 'tabs', 'aria-label': label },
    ...links.map(([text, href, current]) => h('a', { href, 'aria-current': current ? 'page' : undefined }, text)));
}

function controls(list: readonly Product[], params: URLSearchParams, query: Query): HTMLFormElement {
  const subject = query.view === 'users' ? 'user identifiers' : 'license keys';
  return filterForm('piracy', 'Piracy filters', [
    h('input', { type: 'hidden', name: 'view', value: query.view }), h('input', { type: 'hidden', name: 'class', value: query.tab }),
    field(`Search ${subject}`, h('input', { type: 'search', name: 'search', value: query.search, placeholder: 'part of a key, any case' })),
    field('Sort by', select('sort', SORTS[query.view], query.sort)),
    field('Window', select('window_days', WINDOWS, query.windowDays)),
    productField(list, params),
    field('Rows per page', select('limit', LIMITS, query.limit)),
  ]);
}

/** Reports of a row on the Records page, over the window. */
function reportsLink(query: Query, productId: number, filter: 'license_key' | 'user_identifier', value: string): HTMLElement {
  const from = new Date(Date.now() - Number(query.windowDays) * 86_400_000).toISOString();
  return h('a', { href: `#/records${queryString({ product_id: String(productId), [filter]: value, from })}` }, 'Show reports');
}

/**
 * The blocked state, or a Block button: a blocked key or user has no Block button. Blocking
 * puts it on the blocklist for its product, then `reload` shows the row as the server now sees it.
 */
function blockCell(kind: 'license_key' | 'user_identifier', value: string, productId: number, blocked: boolean, status: HTMLElement, reload: () => Promise<void>): HTMLElement {
  if (blocked) return h('span', { class: 'flag blocked', 'data-blocked': '' }, 'blocked');
  const button = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Block ${value}`, hidden: !may('admin') }, 'Block');
  button.addEventListener('click', () => {
    button.disabled = true;
    block(kind, value, productId, 'blocked from the piracy view')
      .then(async (text) => {
        status.textContent = text;
        await reload();
      })
      .catch((error: unknown) => {
        button.disabled = false;
        status.textContent = error instanceof ApiError ? error.detail : String(error);
      });
  });
  return button;
}

interface RowContext {
  list: readonly Product[];
  query: Query;
  status: HTMLElement;
  reload: () => Promise<void>;
}

/** The row's first cell: its key or identifier, its classes, then its actions (Block or blocked; its reports). */
function subjectCell(row: LicenseInsight | UserInsight, kind: 'license_key' | 'user_identifier', value: string, context: RowContext): HTMLElement {
  return h('div', { class: 'subject' }, h('code', {}, value), classBadges(row.class),
    h('div', { class: 'row-actions' }, blockCell(kind, value, row.product_id, row.blocked, context.status, context.reload), reportsLink(context.query, row.product_id, kind, value)));
}

/** The cells every row has after its own: networks … first and last seen. */
function commonCells(row: LicenseInsight | UserInsight): Child[] {
  return [
    formatNumber(row.networks), versionList(row.versions), formatNumber(row.reports), formatNumber(row.flagged_reports),
    formatNumber(row.client_bug_reports), causeLabels(row.flags), seenCell(row.first_seen, row.last_seen),
  ];
}

const TAIL_HEADERS = (): string[] => ['Networks', 'Versions', 'Reports', 'Flagged', 'Client bugs', 'Causes', `First / last seen (${zoneLabel()})`];

/** First and last seen, one above the other, to the minute in the zone shown (the exact times in the title). */
function seenCell(first: string, last: string): HTMLElement {
  return h('span', { class: 'seen', title: `${formatTime(first)} – ${formatTime(last)}` },
    h('span', { 'data-seen': 'first' }, formatMinute(first)), h('span', { 'data-seen': 'last' }, formatMinute(last)));
}

function licenseTable(rows: readonly LicenseInsight[], context: RowContext): HTMLElement {
  return table('License keys', ['License key', 'Product', 'Machines / seats', 'Users', ...TAIL_HEADERS()], rows.map((row) => [
    subjectCell(row, 'license_key', row.license_key, context), productName(context.list, row.product_id),
    machinesVsSeats(row), formatNumber(row.users), ...commonCells(row),
  ]));
}

function userTable(rows: readonly UserInsight[], context: RowContext): HTMLElement {
  return table('User identifiers', ['User identifier', 'Product', 'Machines', 'Licenses', ...TAIL_HEADERS()], rows.map((row) => [
    subjectCell(row, 'user_identifier', row.user_identifier, context), productName(context.list, row.product_id),
    h('span', { class: row.class.includes('shared') ? 'over-seats' : undefined }, formatNumber(row.machines)), formatNumber(row.licenses),
    ...commonCells(row),
  ]));
}

const NOTES: Record<ClassTab, string> = {
  shared: 'More distinct machines than the license\'s seats (or the server\'s default seats when it has none) in the window. A user is shared on more machines than the default seats, or under more than one license key.',
  suspicious: 'Reports with a piracy flag: an unknown key or product, no activation, an inactive (blocked or expired) license, an unreleased version.',
  'client-bug': 'Reports whose only problem is their format, and no flagged report: a bug in the client, not piracy.',
  all: 'Every license key (or user) that sent a report in the window, registered or not.',
};

/** The page of rows for a cursor, with Previous/Next keeping a stack of the cursors that led here. */
function pagedTable(list: readonly Product[], query: Query, status: HTMLElement): { element: HTMLElement; load: () => Promise<boolean> } {
  const holder = h('div', { class: 'insights' });
  const pageNote = h('span', { class: 'range-note' });
  const previous = h('button', { type: 'button', class: 'secondary' }, 'Previous');
  const next = h('button', { type: 'button', class: 'secondary' }, 'Next');
  const cursors: (string | undefined)[] = [undefined];
  let nextCursor: string | null = null;
  const load = async (): Promise<boolean> => {
    const path = query.view === 'users' ? '/admin/api/users/insights' : '/admin/api/licenses/insights';
    const answer = await getJson<InsightsPage<LicenseInsight | UserInsight>>(path, {
      class: query.tab, sort: query.sort, search: query.search, window_days: query.windowDays, limit: query.limit, product_id: query.productId, after: cursors.at(-1),
    });
    nextCursor = answer.next;
    const context: RowContext = { list, query, status, reload: async () => { await load(); } };
    holder.replaceChildren(answer.data.length === 0
      ? h('p', { class: 'no-rows' }, `Nothing in this tab for the last ${query.windowDays} days${query.search === '' ? '' : ` matching "${query.search}"`}.`)
      : query.view === 'users' ? userTable(answer.data as UserInsight[], context) : licenseTable(answer.data as LicenseInsight[], context));
    previous.disabled = cursors.length === 1;
    next.disabled = nextCursor === null;
    pageNote.textContent = `Page ${cursors.length}`;
    return answer.data.length > 0 || cursors.length > 1;
  };
  const move = (forward: boolean): void => {
    if (forward && nextCursor !== null) cursors.push(nextCursor);
    else if (!forward && cursors.length > 1) cursors.pop();
    else return;
    load().catch((error: unknown) => { status.textContent = error instanceof ApiError ? error.detail : String(error); });
  };
  previous.addEventListener('click', () => move(false));
  next.addEventListener('click', () => move(true));
  return { element: h('div', {}, holder, h('div', { class: 'pager' }, previous, pageNote, next)), load };
}

/**
 * Piracy, on license intelligence (issue 17, item 5): per license key (or user identifier) of
 * the window, its machines against its seats, users, networks, versions, reports, flagged
 * reports and their causes, client-bug reports, first and last seen, and its blocked state;
 * in tabs Shared / Suspicious / Client bugs / All, searchable, sortable, paged by the answer's
 * cursor. Reads GET /admin/api/licenses/insights and /admin/api/users/insights.
 */
export async function piracyPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const list = await products();
  const query = readQuery(params);
  const status = statusLine();
  const paged = pagedTable(list, query, status);
  main.append(
    h('h1', {}, 'Piracy'),
    tabLinks('Piracy views', VIEWS.map(([view, text]) => [text, hrefWith(query, { view, sort: 'machines' }), view === query.view])),
    tabLinks('Piracy classes', TABS.map(([tab, text]) => [text, hrefWith(query, { tab }), tab === query.tab])),
    h('p', { class: 'range-note tab-note' }, NOTES[query.tab]),
    controls(list, params, query), status, paged.element,
  );
  const anything = await paged.load();
  if (!anything && query.tab === 'all' && query.search === '') {
    main.append(emptyState(`No reports with a ${query.view === 'users' ? 'user identifier' : 'license key'} in the last ${query.windowDays} days.`, list, query.productId));
  }
}
