import { formatNumber, h } from './dom.js';
import type { InsightClass, LicenseInsight, PiracyFlag } from './types.js';

/**
 * What the piracy page calls each cause of a flagged report, in words, in the order shown. A
 * format error is not among them: it is a client bug, counted apart and never called piracy.
 */
export const CAUSE_LABELS: readonly (readonly [PiracyFlag, string])[] = [
  ['license_key_exists', 'unknown key'],
  ['activation_exists', 'no activation'],
  ['license_active', 'inactive license'],
  ['product_version_exists', 'unreleased version'],
  ['product_exists', 'unknown product'],
];

const CLASS_LABELS: Record<InsightClass, string> = { shared: 'shared', suspicious: 'suspicious', 'client-bug': 'client bug' };

/** One label per cause with its reports (`unknown key × 12`), or a dash when no report was flagged. */
export function causeLabels(flags: Record<PiracyFlag, number>): HTMLElement | string {
  const items = CAUSE_LABELS.filter(([flag]) => flags[flag] > 0)
    .map(([flag, label]) => h('li', { class: 'flag', 'data-cause': flag }, `${label} × ${formatNumber(flags[flag])}`));
  return items.length === 0 ? '–' : h('ul', { class: 'flags', 'aria-label': 'Causes' }, ...items);
}

/** The row's classes as badges: shared and suspicious stand out, a client bug is neutral. */
export function classBadges(classes: readonly InsightClass[]): HTMLElement | null {
  if (classes.length === 0) return null;
  return h('ul', { class: 'flags badges' }, ...classes.map((c) => h('li', { class: `badge badge-${c}`, 'data-class': c }, CLASS_LABELS[c])));
}

/** `7 / 2 seats`, highlighted when the key is shared; `7` over "no seats set" for a key without seats. */
export function machinesVsSeats(row: LicenseInsight): HTMLElement {
  const shared = row.class.includes('shared');
  const title = shared ? 'More machines than seats: shared' : undefined;
  if (row.seats === null) {
    return h('span', { class: 'seats' }, h('span', { class: shared ? 'over-seats' : undefined, title }, formatNumber(row.machines)), h('span', { class: 'no-seats' }, 'no seats set'));
  }
  return h('span', { class: shared ? 'over-seats' : undefined, title }, `${formatNumber(row.machines)} / ${formatNumber(row.seats)} ${row.seats === 1 ? 'seat' : 'seats'}`);
}

/** The versions seen, in version order, as one line. */
export function versionList(versions: readonly string[]): HTMLElement | string {
  return versions.length === 0 ? '–' : h('span', { class: 'versions' }, versions.join(', '));
}
