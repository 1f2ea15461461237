import type { PageRequest, TelemetryFilter } from '../../../model/filter.js';
import type { ActivityRequest, ActivityRow } from '../../../model/activity.js';
import type { InstallsCounts, InstallsRequest } from '../../../model/installs.js';
import type { InsightsRequest, InsightsRow } from '../../../model/insights.js';
import type { SummaryOptions, TelemetrySummary } from '../../../model/summary.js';
import type { TelemetryRecord } from '../../../model/record.js';
import type { LicenseAlertAnswer, LicenseAlertRequest } from '../../../model/webhooks.js';
import type { VersionSeries, VersionSeriesRequest } from '../../../model/version-series.js';
import type { ReadRequest, ReadResult, ReaderThreadData } from './reader-protocol.js';
import { WorkerChannel } from './worker-channel.js';

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;

/**
 * The calling side of the reader thread (reader-worker.ts). Started on the first read; if the
 * thread dies, its pending reads fail and the next read starts a new one. Reads are not on the
 * ingest path, so the hop to another thread costs nothing that matters there.
 */
export class SqliteReaderThread {
  readonly #channel: WorkerChannel<WithoutSeq<ReadRequest>, ReadResult>;

  constructor(data: ReaderThreadData) {
    this.#channel = new WorkerChannel(new URL('./reader-worker.js', import.meta.url), data,
      (error) => new Error(`SQLite reader thread stopped: ${error.message}`, { cause: error }));
  }

  query(filter: TelemetryFilter, page: PageRequest): Promise<TelemetryRecord[]> {
    return this.call({ method: 'query', filter, page }) as Promise<TelemetryRecord[]>;
  }

  summarize(filter: TelemetryFilter, options: SummaryOptions): Promise<TelemetrySummary> {
    return this.call({ method: 'summarize', filter, options }) as Promise<TelemetrySummary>;
  }

  activity(request: ActivityRequest): Promise<ActivityRow[]> {
    return this.call({ method: 'activity', request }) as Promise<ActivityRow[]>;
  }

  installs(request: InstallsRequest): Promise<InstallsCounts> {
    return this.call({ method: 'installs', request }) as Promise<InstallsCounts>;
  }

  /** The license alerts' aggregate (webhooks/license-alert-counts.ts). */
  count(request: LicenseAlertRequest): Promise<LicenseAlertAnswer> {
    return this.call({ method: 'licenseAlertCounts', request }) as Promise<LicenseAlertAnswer>;
  }

  insights(request: InsightsRequest): Promise<InsightsRow[]> {
    return this.call({ method: 'insights', request }) as Promise<InsightsRow[]>;
  }

  versionSeries(request: VersionSeriesRequest): Promise<VersionSeries> {
    return this.call({ method: 'versionSeries', request }) as Promise<VersionSeries>;
  }

  /** Waits for the reads in flight, then stops the thread. */
  close(): Promise<void> {
    return this.#channel.close();
  }

  private async call(request: WithoutSeq<ReadRequest>): Promise<unknown> {
    const result = await this.#channel.send(request);
    if ('error' in result) throw new Error(result.error);
    return result.value;
  }
}
