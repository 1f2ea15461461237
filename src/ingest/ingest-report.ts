import { constantReply, type Reply } from '../model/codes.js';
import type { BlocklistMatcher, ReportIdentity } from '../registry/blocklist-matcher.js';
import type { ApiKey } from '../model/registry.js';
import type { GroupCommitter } from './group-commit.js';
import type { RegistryStore } from '../store/contract/store.js';
import { checkReport } from '../telemetry/check-report.js';
import { lookupFor, readReport, stringOf, type ReadReport } from '../telemetry/read-report.js';
import { nowMicros } from '../model/clock.js';
import type { WriteAdmission } from './write-admission.js';
import type { NewTelemetryRecord } from '../model/record.js';

/** Told of the records each commit stored, after the commit and before the answer; must return at once (no await on the answer's path). */
export interface StoredReportsObserver {
  stored(records: readonly NewTelemetryRecord[]): void;
}

export interface IngestDeps {
  registry: RegistryStore;
  committer: GroupCommitter;
  /** The compiled blocklist (registry/cached-blocklist.ts). */
  blocklist: () => Promise<BlocklistMatcher>;
  /** The free-disk floor and per-key quotas, asked before anything commits; absent = always write. */
  admission?: WriteAdmission;
  /** Told of every stored record (the webhook alerts, src/jobs/unreleased-version-alerts.ts); absent = nobody. */
  observer?: StoredReportsObserver;
  /** `--max-report-age-days`: the oldest `reported_at` a report may carry; absent = the default (90). */
  maxReportAgeDays?: number;
  /** What is stored of the client address (`--client-ip-mode`, privacy/client-ip-policy.ts); absent = the address in full. */
  clientIp?: StoredClientIp;
}

/** The client-IP mode as ingest applies it: the value stored for a report received at `nowUs` (µs). */
export interface StoredClientIp {
  stored(ip: string, nowUs: number): string | null;
}

/** The address a record keeps: the blocklist still matches the full one, which is never stored unless the mode is `full`. */
export function keptClientIp(deps: IngestDeps, clientIp: string, nowUs: number): string | null {
  return deps.clientIp === undefined ? clientIp : deps.clientIp.stored(clientIp, nowUs);
}

/** The answers that never change: one object each, so the signer can reuse their JSON (envelope.ts). */
const SAVED = constantReply(830, { errors: [] });
const ALREADY_SAVED = constantReply(832, { errors: [] });
const BLOCKED = constantReply(150);

/**
 * The ingest use case, free of HTTP: read the fields, ask the registry about them, apply the
 * rules, and answer only once the record is committed. A commit that fails answers 503 so the
 * client retries; nothing unsaved is ever acknowledged. A report from a blocked IP, user
 * identifier or license key is stored too (flagged `blocked`) and answered 150, which says no
 * more than that (docs/decisions/0012-blocked-reports-are-stored.md). Under the free-disk floor
 * (503) or past the key's daily quota (104) nothing is stored (write-admission.ts).
 */
export async function ingestReport(deps: IngestDeps, input: Readonly<Record<string, unknown>>, apiKey: ApiKey, clientIp: string): Promise<Reply> {
  const read = readReport(input);
  const [facts, blocklist] = await Promise.all([deps.registry.lookupReportFacts(lookupFor(read)), deps.blocklist()]);
  const blocked = blocklist.blocksReport(identityOf(read, clientIp));
  const nowUs = nowMicros();
  const stored = keptClientIp(deps, clientIp, nowUs);
  const record = checkReport(read, facts, { apiKeyId: apiKey.id, allowedProducts: apiKey.products, clientIp: stored, nowUs, blocked, maxReportAgeDays: deps.maxReportAgeDays });
  const admission = await deps.admission?.admit(apiKey.id, [record]);
  if (admission?.ok === false) return admission.reply;
  let id: number | null;
  try {
    id = await deps.committer.append(record);
  } catch {
    admission?.undo();
    return { code: 503, headers: { 'retry-after': '1' } };
  }
  if (id !== null) deps.observer?.stored([record]);
  if (blocked) return BLOCKED;
  // Its event_id was stored before: nothing new was written (docs/ingest-behaviour.md).
  if (id === null) return ALREADY_SAVED;
  return record.is_correct_format === 1 ? SAVED : { code: 831, fields: { errors: record.errors } };
}

/** Who the report says sent it, as the blocklist matches: trimmed values, like the stored record. */
export function identityOf(read: ReadReport, clientIp: string): ReportIdentity {
  return {
    clientIp,
    productId: read.productId,
    userIdentifier: stringOf(read, 'user_identifier'),
    licenseKey: stringOf(read, 'license_key'),
  };
}
