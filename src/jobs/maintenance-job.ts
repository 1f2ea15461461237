import { retentionCutoffUs, type TelemetryMaintenanceReport } from '../store/contract/maintenance.js';
import type { Store } from '../store/contract/store.js';
import type { PartitionInterval } from '../model/partition-interval.js';

export interface MaintenanceJobOptions {
  retentionDays: number;
  /** PostgreSQL: the span of new telemetry partitions (config's partitionInterval); absent: month. */
  partitionInterval?: PartitionInterval;
  /** PostgreSQL: `--max-report-age-days` (config's maxReportAgeDays), how far back rollup months are kept; absent: 90. */
  maxReportAgeDays?: number;
  /** Audit log entries older than this many days are removed; 0 keeps them (config's auditRetentionDays()). Absent: as retentionDays. */
  auditRetentionDays?: number;
  intervalMs: number;
  /** Where the one-line summaries and failures go. */
  log: (line: string) => void;
  /** The clock, in µs; tests move it. */
  nowUs?: () => number;
}

export interface MaintenanceJob {
  /** The pass now running (or the last one), settled; tests await it. */
  idle(): Promise<void>;
  /** Clears the timer, asks a running pass to stop between batches and waits for it. */
  stop(): Promise<void>;
}

/**
 * Runs `store.maintainTelemetry`, then removes audit log entries past their retention, now and every `intervalMs` (never two passes at once in this
 * process; other processes are serialised by the store). A failed pass is logged and retried
 * at the next tick; the timer does not keep the process alive.
 */
export function startMaintenanceJob(store: Store, options: MaintenanceJobOptions): MaintenanceJob {
  const abort = new AbortController();
  const nowUs = options.nowUs ?? ((): number => Date.now() * 1000);
  let running: Promise<void> = Promise.resolve();
  const pass = async (): Promise<void> => {
    try {
      const report = await store.maintainTelemetry({
        nowUs: nowUs(), retentionDays: options.retentionDays, partitionInterval: options.partitionInterval,
        maxReportAgeDays: options.maxReportAgeDays, signal: abort.signal,
      });
      const line = describeReport(report);
      if (line !== null) options.log(`maintenance: ${line}`);
    } catch (error) {
      options.log(`maintenance failed: ${String(error)}`);
    }
    await trimAuditLog(store, options.auditRetentionDays ?? options.retentionDays, nowUs(), options.log);
  };
  const tick = (): void => {
    running = running.then(pass);
  };
  tick();
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    idle: () => running,
    stop: async () => {
      clearInterval(timer);
      abort.abort();
      await running;
    },
  };
}

/** Removes the audit log entries older than `days` days (none when 0); a failure is logged and retried at the next pass. */
async function trimAuditLog(store: Store, days: number, nowUs: number, log: (line: string) => void): Promise<void> {
  const cutoffUs = retentionCutoffUs(nowUs, days);
  if (cutoffUs === null) return;
  try {
    const removed = await store.audit.removeBefore(cutoffUs);
    if (removed > 0) log(`maintenance: deleted ${removed} audit log entries older than ${days} days`);
  } catch (error) {
    log(`maintenance failed to trim the audit log: ${String(error)}`);
  }
}

/** One line naming what changed, or null when nothing did. */
export function describeReport(report: TelemetryMaintenanceReport): string | null {
  const parts: string[] = [];
  if (report.partitionsCreated.length > 0) parts.push(`created partitions ${report.partitionsCreated.join(', ')}`);
  if (report.rowsMoved > 0) parts.push(`moved ${report.rowsMoved} rows out of the default partition`);
  if (report.partitionsDropped.length > 0) parts.push(`dropped expired partitions ${report.partitionsDropped.join(', ')}`);
  if (report.rowsDeleted > 0) parts.push(`deleted ${report.rowsDeleted} expired records`);
  const rollups = report.rollups;
  if (rollups.partitionsCreated.length > 0) parts.push(`created rollup partitions ${rollups.partitionsCreated.join(', ')}`);
  if (rollups.rowsMoved > 0) parts.push(`moved ${rollups.rowsMoved} rollup rows out of default partitions`);
  if (rollups.partitionsDropped.length > 0) parts.push(`dropped rollup partitions ${rollups.partitionsDropped.join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : null;
}
