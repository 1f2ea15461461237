/**
 * The admin API answers the dashboard reads (docs/admin-api.md, docs/dashboard.md): the server's
 * own types, imported type-only (the bundler erases them), so each shape is declared once.
 */
import type { CheckName } from '../../src/model/summary.js';
import type { AdminRecord } from '../../src/query/record-shape.js';

export type { CheckName } from '../../src/model/summary.js';
export type { OverviewAnswer, OverviewBucket as Bucket, OverviewCounts as Counts } from '../../src/query/overview.js';
export type { PiracyAnswer, PiracySuspect as Suspect } from '../../src/query/piracy.js';
export type { SummaryAnswer } from '../../src/query/summary-answer.js';
export type { TextPatternsAnswer } from '../../src/query/text-patterns.js';
export type { VersionSeriesAnswer } from '../../src/query/version-series.js';
export type { AdminRecord as TelemetryRecord } from '../../src/query/record-shape.js';
export type { License, LicenseStatus, Product } from '../../src/model/registry.js';
export type { ListedActivation } from '../../src/store/contract/license-store.js';
export type { LicenseDetail, BulkResult } from '../../src/registry/license-lifecycle.js';
export type { InstallsAnswer } from '../../src/query/installs.js';
export type { Account } from '../../src/model/account-record.js';

/** `GET /admin/api/session` (src/http/schemas/session.ts): who is signed in, and how. */
export interface SessionAnswer {
  authenticated_by: 'token' | 'session';
  account: { id: number; name: string; role: 'owner' | 'admin' | 'viewer'; products: number[] | null } | null;
  role: 'owner' | 'admin' | 'viewer';
  csrf_token: string | null;
  expires_at: string | null;
}
export type { InstallsBy, InstallsInterval, InstallsSeriesRow } from '../../src/model/installs.js';

/** What the dashboard calls each failed check. */
export const CHECK_LABELS: Record<CheckName, string> = {
  is_correct_format: 'bad format',
  product_exists: 'unknown product',
  license_key_exists: 'unknown license',
  product_version_exists: 'unknown version',
  activation_exists: 'no activation',
  license_active: 'license blocked or expired',
};

/** `GET /admin/api/records`. */
export interface RecordsAnswer {
  records: AdminRecord[];
  next_after_id: number | null;
}

export type { InsightClass, InsightsPage, LicenseInsight, PiracyFlag, UserInsight } from '../../src/model/insights.js';
