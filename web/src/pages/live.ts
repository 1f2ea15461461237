import { getJson } from '../api.js';
import { h, statusLine } from '../dom.js';
import { clockTime, zoneLabel } from '../time.js';
import { recordsTable } from '../records-table.js';
import { emptyState } from '../empty-state.js';
import { products } from '../products.js';
import type { RecordsAnswer, TelemetryRecord } from '../types.js';

const POLL_MS = 3000;
const SHOWN = 100;

/**
 * New reports as they arrive (item 7), by polling every few seconds for records received since
 * the page was opened, after the last id seen: a cheap query (the id window of the last time
 * block) that holds no connection open, so it never delays a server shutdown.
 */
export async function livePage(main: HTMLElement): Promise<() => void> {
  const since = new Date().toISOString();
  const status = statusLine();
  const holder = h('div', {}, emptyState('Waiting for new reports…', await products()));
  main.append(h('h1', {}, 'Live'), h('p', {}, `New reports since ${clockTime(new Date(since))} (${zoneLabel()}) appear below, newest first.`), status, holder);
  let shown: TelemetryRecord[] = [];
  let afterId = 0;
  let total = 0;
  let stopped = false;
  let polling = false;
  const poll = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      for (let more = true; more && !stopped; ) {
        const page = await getJson<RecordsAnswer>('/admin/api/records', { from: since, after_id: String(afterId), limit: '500' });
        if (page.records.length > 0) afterId = page.records[page.records.length - 1]?.id ?? afterId;
        total += page.records.length;
        shown = [...page.records.reverse(), ...shown].slice(0, SHOWN);
        more = page.next_after_id !== null;
      }
      if (stopped) return;
      status.textContent = `${total} new report${total === 1 ? '' : 's'} · last checked ${clockTime()} (${zoneLabel()})`;
      if (shown.length > 0) holder.replaceChildren(recordsTable('Newest reports', shown));
    } catch (error) {
      status.textContent = `Could not check for new reports: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      polling = false;
    }
  };
  await poll();
  const timer = window.setInterval(() => void poll(), POLL_MS);
  return () => {
    stopped = true;
    window.clearInterval(timer);
  };
}
