import type { PageRequest, TelemetryFilter } from '../../../model/filter.js';
import type { ActivityRequest } from '../../../model/activity.js';
import type { InstallsRequest } from '../../../model/installs.js';
import type { InsightsRequest } from '../../../model/insights.js';
import type { SummaryOptions } from '../../../model/summary.js';
import type { LicenseAlertRequest } from '../../../model/webhooks.js';
import type { VersionSeriesRequest } from '../../../model/version-series.js';

/** What the reader thread is started with. */
export interface ReaderThreadData {
  file: string;
}

/** A read to run on the reader thread's own connection. */
export type ReadRequest =
  | { seq: number; method: 'query'; filter: TelemetryFilter; page: PageRequest }
  | { seq: number; method: 'summarize'; filter: TelemetryFilter; options: SummaryOptions }
  | { seq: number; method: 'activity'; request: ActivityRequest }
  | { seq: number; method: 'installs'; request: InstallsRequest }
  | { seq: number; method: 'licenseAlertCounts'; request: LicenseAlertRequest }
  | { seq: number; method: 'insights'; request: InsightsRequest }
  | { seq: number; method: 'versionSeries'; request: VersionSeriesRequest };

/** The read's result, or why it failed. */
export type ReadResult = { seq: number; value: unknown } | { seq: number; error: string };
