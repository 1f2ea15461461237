import { InvalidArgumentError, type Command } from 'commander';
import { auditExportLines, auditPage, type AuditFilters, type PublicAuditEntry } from '../query/audit-read.js';
import { DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE } from '../model/audit-entry.js';
import { parseInstant, type Instant } from '../model/parse-instant.js';
import { inChunks } from '../query/export.js';
import type { AuditStore } from '../store/contract/audit-store.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId } from './parse-values.js';
import { runWithStore } from './run-command.js';
import { writeAll } from './write-out.js';

const FORMATS = ['table', 'ndjson', 'csv'] as const;
type Format = (typeof FORMATS)[number];

interface AuditOptions extends ConfigFlags {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Instant;
  to?: Instant;
  limit?: number;
  after?: number;
  format?: Format;
  json?: boolean;
}

function parseTime(text: string): Instant {
  const instant = parseInstant(text.trim());
  if (instant === null) throw new InvalidArgumentError('Not an ISO-8601 date or date-time, or Unix seconds.');
  return instant;
}

function parseLimit(text: string): number {
  const limit = parseId(text);
  if (limit > MAX_AUDIT_PAGE) throw new InvalidArgumentError(`At most ${MAX_AUDIT_PAGE}.`);
  return limit;
}

function parseFormat(text: string): Format {
  const format = FORMATS.find((candidate) => candidate === text.trim());
  if (format === undefined) throw new InvalidArgumentError(`Not one of ${FORMATS.join(', ')}.`);
  return format;
}

/**
 * `tally audit [filters] [--format table|ndjson|csv] [--json]` (docs/audit.md): the audit log,
 * newest first. The table and `--json` show one page (`--limit`, default 100; `--after` the
 * `next_after` of the previous); ndjson and csv stream every match (at most `--limit` when given).
 */
export function registerAuditCommand(program: Command): void {
  addConfigOptions(
    program.command('audit').description('show or export the audit log: who changed what, when and from where (newest first)')
      .option('--actor <name-or-id>', "an actor's name (an email, admin-token, cli:<user>) or an account id")
      .option('--action <action>', 'an action (license.create) or its subject (license: every license action)')
      .option('--target-type <type>', 'product, license, activation, api_key, webhook, block, signing_key, setting, …')
      .option('--target-id <id>', "the target's id, or name (a signing key's scope, a setting's name)")
      .option('--from <time>', 'entries at or after this (ISO-8601, UTC unless it has an offset, or Unix seconds)', parseTime)
      .option('--to <time>', 'entries up to this, the whole unit it names included (2026-01-31: that day)', parseTime)
      .option('--limit <n>', `most entries (table and --json: default ${DEFAULT_AUDIT_PAGE}, at most ${MAX_AUDIT_PAGE}; ndjson and csv: default all)`, parseLimit)
      .option('--after <id>', 'table and --json: the page after this entry (the next_after of the previous page)', parseId)
      .option('--format <format>', 'table (default), ndjson or csv', parseFormat)
      .option('--json', 'print one JSON object: {entries, next_after}'),
  ).action((options: AuditOptions) => runWithStore(options, ({ store }) => show(store.audit, options)));
}

async function show(audit: AuditStore, options: AuditOptions): Promise<void> {
  const filters: AuditFilters = {
    actor: options.actor, action: options.action, target_type: options.targetType, target_id: options.targetId, from: options.from, to: options.to,
  };
  const format = options.format ?? 'table';
  if (!options.json && format !== 'table') {
    const lines = auditExportLines(audit, filters, format);
    // A CSV's header line is not an entry.
    await writeAll(inChunks(options.limit === undefined ? lines : limited(lines, options.limit + (format === 'csv' ? 1 : 0))));
    return;
  }
  const page = await auditPage(audit, filters, options.limit ?? DEFAULT_AUDIT_PAGE, options.after);
  if (options.json) return printJson(page);
  if (page.entries.length === 0) printLine('No audit log entries.');
  for (const entry of page.entries) printLine(tableRow(entry));
  if (page.next_after !== null) printLine(`(more: --after ${page.next_after})`);
}

async function* limited(lines: AsyncIterable<string>, count: number): AsyncGenerator<string> {
  let left = count;
  for await (const line of lines) {
    if (left-- <= 0) return;
    yield line;
  }
}

/** `2026-01-10T12:00:00.000000Z  cli:ops  -  license.create  license 17  status: null → "active"; …` */
function tableRow(entry: PublicAuditEntry): string {
  const target = entry.target_id === null ? entry.target_type : `${entry.target_type} ${entry.target_id}`;
  const changes = Object.entries(entry.changes).map(([field, { before, after }]) => `${field}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  return [entry.at, entry.id, entry.actor_name, entry.ip ?? '-', entry.action, target, changes.join('; ')].join('\t');
}
