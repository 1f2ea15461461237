import { h, table } from './dom.js';
import { formatTime, zoneLabel } from './time.js';
import { CHECK_LABELS, type CheckName, type TelemetryRecord } from './types.js';

function value(r: TelemetryRecord): string {
  if (r.data_type === 'numeric-xy-axis' && r.numeric_data_x !== null) return `(${r.numeric_data_x}, ${r.numeric_data_y ?? ''})`;
  if (r.data_type === 'numeric-single-value' && r.numeric_data_single_value !== null) return String(r.numeric_data_single_value);
  const text = r.text_data ?? r.data ?? '';
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function flags(r: TelemetryRecord): HTMLElement | string {
  const blocked = r['blocked'] === 1 ? [h('li', { class: 'flag blocked' }, 'blocked')] : [];
  if (r.has_red_flags === 0 && blocked.length === 0) return h('span', { class: 'ok' }, 'clean');
  const failed = (Object.keys(CHECK_LABELS) as CheckName[]).filter((check) => r[check] === 0);
  return h('ul', { class: 'flags' }, ...blocked, ...failed.map((check) => h('li', { class: 'flag' }, CHECK_LABELS[check])));
}

/** The table's column headers; the times name the zone they are shown in. The client IP is as kept (--client-ip-mode, docs/privacy.md). */
export function recordHeaders(): string[] {
  return ['Id', `Received (${zoneLabel()})`, `Reported (${zoneLabel()})`, 'Product', 'Version', 'Data group', 'Type', 'Value', 'User', 'License key', 'Activation', 'Client IP', 'Red flags'];
}

/** Raw reports as table rows; every value goes in as text. */
export function recordsTable(caption: string, records: readonly TelemetryRecord[]): HTMLElement {
  return table(caption, recordHeaders(), records.map((r) => [
    String(r.id), formatTime(r.created_at), r.reported_at === null ? '' : formatTime(r.reported_at), r.product_id === null ? '' : String(r.product_id), r.product_version ?? '',
    r.data_group ?? '', r.data_type ?? '', value(r), r.user_identifier ?? '', r.license_key ?? '', r.activation_identifier ?? '', r.client_ip ?? '', flags(r),
  ]));
}
