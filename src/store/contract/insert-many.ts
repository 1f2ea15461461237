import type { TelemetryStore } from './store.js';

/** `TelemetryStore.insertMany` for any backend: insertUnique, keeping the ids of the records stored. */
export function insertManyVia(insertUnique: TelemetryStore['insertUnique']): TelemetryStore['insertMany'] {
  return async (records) => (await insertUnique(records)).filter((id) => id !== null);
}
