import type { NewTelemetryRecord, ReportFlags } from '../src/model/record.js';

export { seededRandom } from './summary-records.js';

const DAY_US = 86_400_000_000;
/** The generated records span the 90 days before `endUs`. */
export const QUERY_SPAN_US = 90 * DAY_US;

/** Products 1–3 with 60 / 30 / 10 % of the records; five data groups each. */
export const QUERY_PRODUCTS = [1, 2, 3] as const;
export const QUERY_GROUPS = ['startup_ms', 'memory_mb', 'feature', 'screen', 'crash'] as const;
export const QUERY_USERS = 20_000;

type Flagged = keyof Omit<ReportFlags, 'has_red_flags' | 'is_correct_format' | 'product_exists'>;
const FAILURES: readonly Flagged[] = ['license_key_exists', 'activation_exists', 'product_version_exists', 'license_active'];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

function productOf(r: number): number {
  return r < 0.6 ? 1 : r < 0.9 ? 2 : 3;
}

/** The value columns of a record of a group: numbers for most groups, text for screens and crashes. */
function values(group: string, random: () => number): Partial<NewTelemetryRecord> {
  if (group === 'screen' || group === 'crash') {
    const text = `${group}-${Math.floor(200 * random() ** 2)}`;
    return { data_type: 'text', data: text, text_data: text };
  }
  const value = Math.round(random() * 100_000) / 100;
  return { data_type: 'numeric-single-value', data: String(value), numeric_data_single_value: value };
}

/** 5 % red-flagged, each with one or two failed checks; the rest clean. */
function flags(random: () => number): ReportFlags {
  const failed = random() < 0.05 ? [pick(FAILURES, random), ...(random() < 0.3 ? [pick(FAILURES, random)] : [])] : [];
  const bit = (name: Flagged): 0 | 1 => (failed.includes(name) ? 0 : 1);
  return {
    is_correct_format: 1, product_exists: 1, license_key_exists: bit('license_key_exists'), product_version_exists: bit('product_version_exists'),
    activation_exists: bit('activation_exists'), license_active: bit('license_active'), has_red_flags: failed.length > 0 ? 1 : 0,
  };
}

/**
 * Record `i` of `total`, as ingest would have stored it: created_at rising over the 90 days
 * with up to a second of jitter (so not strictly in id order), products and groups mixed.
 */
export function queryRecord(i: number, total: number, endUs: number, random: () => number): NewTelemetryRecord {
  const user = Math.floor(random() * QUERY_USERS);
  const group = pick(QUERY_GROUPS, random);
  return {
    api_key_id: 1, product_id: productOf(random()), user_identifier: `user-${user}`, license_key: `LIC-${user % 5000}`,
    activation_identifier: `act-${user}`, product_version: pick(['1.0.0', '1.1.0', '1.2.0'], random), data_type: null, data_group: group,
    data: null, numeric_data_single_value: null, numeric_data_x: null, numeric_data_y: null, text_data: null, ...values(group, random),
    ...flags(random), errors: {}, metadata: {}, client_ip: '203.0.113.7', blocked: 0,
    created_at_us: endUs - QUERY_SPAN_US + Math.floor((i / total) * QUERY_SPAN_US) + Math.floor(random() * 1_000_000), reported_at_us: null,
  };
}
