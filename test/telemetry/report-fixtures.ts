import type { ReportFacts } from '../../src/model/registry.js';
import { checkReport, type ReportContext } from '../../src/telemetry/check-report.js';
import { readReport } from '../../src/telemetry/read-report.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';

/** Facts for a product 1 whose license, version and activation all exist. */
export const ALL_FOUND: ReportFacts = {
  product: { id: 1, active: true },
  versionExists: true,
  license: { status: 'active', expires_at: null },
  activationExists: true,
};

export const NOTHING_FOUND: ReportFacts = { product: null, versionExists: false, license: null, activationExists: false };

export const CONTEXT: ReportContext = { apiKeyId: 7, allowedProducts: [], clientIp: '127.0.0.1', nowUs: Date.parse('2026-01-01T00:00:00Z') * 1000 };

/** A complete, correct numeric-single-value report. */
export function validReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    product_id: '1',
    user_identifier: '554dddsqfqs4dqd5qsd74q',
    license_key: '9cc2cc83-4c74-49f9-98f5-f0e1c1eb1541',
    activation_identifier: '12135644',
    product_version: '1.0.1',
    data_type: 'numeric-single-value',
    numeric_data_single_value: '50',
    data_group: 'test_group',
    ...overrides,
  };
}

export function check(input: Record<string, unknown>, facts: ReportFacts = ALL_FOUND, context: Partial<ReportContext> = {}): NewTelemetryRecord {
  return checkReport(readReport(input), facts, { ...CONTEXT, ...context });
}
