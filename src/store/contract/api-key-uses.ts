import type { ApiKeyUse } from './store.js';

/**
 * The latest use per key id, as `toISOString` text (so that text order is time order on both
 * backends); unreadable times and ids are dropped. Both backends write only these.
 */
export function latestUses(uses: readonly ApiKeyUse[]): ApiKeyUse[] {
  const latest = new Map<number, number>();
  for (const use of uses) {
    const ms = Date.parse(use.at);
    if (!Number.isSafeInteger(use.id) || !Number.isFinite(ms)) continue;
    if (ms > (latest.get(use.id) ?? -Infinity)) latest.set(use.id, ms);
  }
  return [...latest].map(([id, ms]) => ({ id, at: new Date(ms).toISOString() }));
}
