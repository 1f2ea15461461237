import type { Reply } from '../model/codes.js';
import type { ApiKey, ReportFacts, ReportLookup } from '../model/registry.js';
import type { RegistryStore } from '../store/contract/store.js';
import { checkReport } from '../telemetry/check-report.js';
import { lookupFor, readReport, type ReadReport } from '../telemetry/read-report.js';
import type { FieldErrors, NewTelemetryRecord } from '../model/record.js';
import { nowMicros } from '../model/clock.js';
import { identityOf, keptClientIp, type IngestDeps } from './ingest-report.js';

export const NOT_AN_OBJECT = 'The report must be a JSON object.';

/** One item's outcome in the 840 answer, in request order. */
export interface BatchItemResult {
  code: 150 | 830 | 831 | 832;
  errors: FieldErrors | [];
  event_id?: string;
}

/**
 * The batch ingest use case: every item is read, checked and flagged exactly as a single report
 * (ingestReport), then all of them commit in ONE transaction, all or none, before the answer.
 * A failed commit answers 503 (retry the whole batch; with event ids the retry is idempotent).
 * An item the blocklist matches is stored flagged `blocked` and its result is 150, as a single
 * report's answer would be. Under the free-disk floor (503) or past the key's daily quota (104)
 * no item is stored (write-admission.ts).
 */
export async function ingestBatch(deps: IngestDeps, items: readonly unknown[], apiKey: ApiKey, clientIp: string): Promise<Reply> {
  const nowUs = nowMicros();
  const reads = items.map((item) => readReport(isFieldSet(item) ? item : {}));
  const [facts, blocklist] = await Promise.all([factsOf(deps.registry, reads), deps.blocklist()]);
  const keptIp = keptClientIp(deps, clientIp, nowUs);
  const records = reads.map((read, i) => {
    const blocked = blocklist.blocksReport(identityOf(read, clientIp));
    const record = checkReport(read, facts[i] as ReportFacts, { apiKeyId: apiKey.id, allowedProducts: apiKey.products, clientIp: keptIp, nowUs, blocked, maxReportAgeDays: deps.maxReportAgeDays });
    const item = items[i];
    return isFieldSet(item) ? record : asNotAnObject(record, item);
  });
  const admission = await deps.admission?.admit(apiKey.id, records);
  if (admission?.ok === false) return admission.reply;
  let ids: (number | null)[];
  try {
    ids = await deps.committer.appendAll(records);
  } catch {
    admission?.undo();
    return { code: 503, headers: { 'retry-after': '1' } };
  }
  deps.observer?.stored(records.filter((_, i) => (ids[i] ?? null) !== null));
  const results = records.map((record, i) => resultOf(record, ids[i] ?? null));
  const stored = ids.filter((id) => id !== null).length;
  return { code: 840, fields: { results, stored, duplicates: ids.length - stored } };
}

function isFieldSet(item: unknown): item is Record<string, unknown> {
  return typeof item === 'object' && item !== null && !Array.isArray(item);
}

/**
 * The registry's facts for each report. The reports of a batch mostly come from one install and
 * name the same product, license, version and activation, so a report that names what the one
 * before it named shares its lookup.
 */
function factsOf(registry: RegistryStore, reads: readonly ReadReport[]): Promise<ReportFacts[]> {
  let previous: { lookup: ReportLookup; facts: Promise<ReportFacts> } | null = null;
  return Promise.all(reads.map((read) => {
    const lookup = lookupFor(read);
    if (previous === null || !sameLookup(previous.lookup, lookup)) previous = { lookup, facts: registry.lookupReportFacts(lookup) };
    return previous.facts;
  }));
}

function sameLookup(a: ReportLookup, b: ReportLookup): boolean {
  return a.productId === b.productId && a.licenseKey === b.licenseKey && a.productVersion === b.productVersion &&
    a.activationIdentifier === b.activationIdentifier;
}

/** An item that is not an object is stored as an empty report plus an `item` error, kept as `metadata.raw_item`. */
function asNotAnObject(record: NewTelemetryRecord, item: unknown): NewTelemetryRecord {
  return { ...record, is_correct_format: 0, has_red_flags: 1, errors: { item: [NOT_AN_OBJECT], ...record.errors }, metadata: { ...record.metadata, raw_item: item } };
}

/** The results of most items: shared, since JSON.stringify is all that reads them. */
const ACCEPTED: BatchItemResult = Object.freeze({ code: 830, errors: [] as [] });
const BLOCKED: BatchItemResult = Object.freeze({ code: 150, errors: [] as [] });

function resultOf(record: NewTelemetryRecord, id: number | null): BatchItemResult {
  const code = record.blocked === 1 ? 150 : id === null ? 832 : record.is_correct_format === 1 ? 830 : 831;
  const errors: FieldErrors | [] = code === 831 ? record.errors : [];
  if (record.event_id) return { code, errors, event_id: record.event_id };
  return code === 830 ? ACCEPTED : code === 150 ? BLOCKED : { code, errors };
}
