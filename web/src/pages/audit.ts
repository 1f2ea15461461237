import type { PublicAuditEntry } from '../../../src/query/audit-read.js';
import { getJson, queryString } from '../api.js';
import { field, h, table } from '../dom.js';
import { collapsible, filterForm } from '../filters.js';
import { dayBound, formatTime, zoneLabel } from '../time.js';

/** An entry as `GET /admin/api/audit` gives it (docs/audit.md); secrets appear as "(changed)". */
type AuditEntry = PublicAuditEntry;

const TEXT_FILTERS: readonly (readonly [string, string, string])[] = [
  ['actor', 'Actor (name or account id)', 'ana@example.com'],
  ['action', 'Action (or its subject)', 'license'],
  ['target_type', 'Target type', 'api_key'],
  ['target_id', 'Target id', '17'],
];

/** The API's filters from the page's address: text as given, the dates as the chosen zone's day bounds. */
function apiFilters(params: URLSearchParams): Record<string, string | undefined> {
  const filters: Record<string, string | undefined> = {};
  for (const [name] of TEXT_FILTERS) filters[name] = params.get(name) ?? undefined;
  const from = params.get('from');
  const to = params.get('to');
  filters['from'] = from === null ? undefined : dayBound(from, false);
  filters['to'] = to === null ? undefined : dayBound(to, true);
  return filters;
}

function shown(value: unknown): string {
  return value === null || value === undefined ? '–' : typeof value === 'string' ? value : JSON.stringify(value);
}

/** The changed fields as a list: `status: active → blocked`. */
function changeList(changes: AuditEntry['changes']): HTMLElement {
  const items = Object.entries(changes).map(([name, change]) => h('li', {}, h('code', {}, name), `: ${shown(change.before)} → ${shown(change.after)}`));
  return items.length === 0 ? h('span', {}, '–') : h('ul', { class: 'changes' }, ...items);
}

function entriesTable(entries: readonly AuditEntry[]): HTMLElement {
  return table('Audit log entries', [`Time (${zoneLabel()})`, 'Actor', 'From', 'Action', 'Target', 'Changes'], entries.map((e) => [
    formatTime(e.at), e.actor_account_id === null ? `${e.actor_name} (${e.actor_kind})` : `${e.actor_name} (#${e.actor_account_id})`, e.ip ?? 'server (CLI)',
    h('code', {}, e.action), e.target_id === null ? e.target_type : `${e.target_type} ${e.target_id}`, changeList(e.changes),
  ]));
}

/**
 * The audit log (docs/audit.md): who changed what, when and from where, newest first, filtered by
 * actor, action, target and days (in the shown time zone), a page at a time, with the same
 * filters' exports as NDJSON and CSV.
 */
export async function auditPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const controls = [
    ...TEXT_FILTERS.map(([name, label, example]) => field(label, h('input', { name, value: params.get(name) ?? '', placeholder: example }))),
    field(`From day (${zoneLabel()})`, h('input', { type: 'date', name: 'from', value: params.get('from') ?? '' })),
    field(`To day (${zoneLabel()})`, h('input', { type: 'date', name: 'to', value: params.get('to') ?? '' })),
  ];
  const filters = apiFilters(params);
  const after = params.get('after') ?? undefined;
  const { entries, next_after: nextAfter } = await getJson<{ entries: AuditEntry[]; next_after: number | null }>('/admin/api/audit', { ...filters, after, limit: '50' });
  const exportLink = (format: string): HTMLElement => h('a', { href: `/admin/api/audit/export${queryString({ ...filters, format })}`, download: `tally-audit.${format}` }, `Export ${format.toUpperCase()}`);
  const older = new URLSearchParams(params);
  if (nextAfter !== null) older.set('after', String(nextAfter));
  main.append(
    h('h1', {}, 'Audit log'),
    h('p', {}, 'Every change to the registry, keys, webhooks, the blocklist and settings: who made it, when, from where, and the fields that changed. Secrets show as "(changed)".'),
    collapsible('Filters', filterForm('audit', 'Audit log filters', controls)),
    h('p', { class: 'actions' }, exportLink('ndjson'), ' ', exportLink('csv')),
    entries.length === 0 ? h('p', {}, after === undefined ? 'No changes match.' : 'No older changes.') : entriesTable(entries),
    h('p', {},
      after === undefined ? null : h('a', { href: `#/audit?${withoutAfter(params)}` }, 'Newest'), ' ',
      nextAfter === null ? null : h('a', { href: `#/audit?${older.toString()}` }, 'Older')),
  );
}

function withoutAfter(params: URLSearchParams): string {
  const copy = new URLSearchParams(params);
  copy.delete('after');
  return copy.toString();
}
