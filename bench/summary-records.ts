import type { NewTelemetryRecord } from '../src/model/record.js';

/** The data groups the summary bench fills, one per data type, each with `records` records. */
export const BENCH_GROUPS = { numbers: 'numeric-single-value', curve: 'numeric-xy-axis', labels: 'text' } as const;
export type BenchGroup = keyof typeof BENCH_GROUPS;

const DAY_US = 86_400_000_000;
/** The records span the 29 days before `endUs`: all inside the summary's default range (30 days). */
export const SPAN_US = 29 * DAY_US;

/** A small seeded generator (mulberry32), so that every run stores the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The value columns of one record of a group: skewed numbers, a noisy wave with spikes, Zipf-like labels. */
function values(group: BenchGroup, i: number, random: () => number): Partial<NewTelemetryRecord> {
  switch (group) {
    case 'numbers': {
      const value = Math.round(Math.exp(3 + random() * random() * 4) * 100) / 100;
      return { data: String(value), numeric_data_single_value: value };
    }
    case 'curve': {
      const y = Math.sin(i / 5000) * 100 + random() * 10 + (random() < 0.0005 ? 500 : 0);
      return { data: JSON.stringify({ x: String(i), y: String(y) }), numeric_data_x: i, numeric_data_y: y };
    }
    case 'labels': {
      const label = `screen-${Math.floor(1000 * random() ** 3)}`;
      return { data: label, text_data: label };
    }
  }
}

/**
 * Record `i` of `total` in a group, as ingest would have stored it: created_at rising over the
 * 29 days, 5 % red-flagged (a made-up license key, no activation), a fifth of those (1 % of all) from a version
 * that was never released.
 */
export function benchRecord(group: BenchGroup, i: number, total: number, endUs: number, random: () => number): NewTelemetryRecord {
  const flagged = random() < 0.05;
  const unreleased = flagged && random() < 0.2;
  return {
    api_key_id: 1, product_id: 1, user_identifier: `user-${Math.floor(random() * 20_000)}`,
    license_key: flagged ? `FAKE-${Math.floor(random() * 300)}` : `LIC-${Math.floor(random() * 5000)}`,
    activation_identifier: 'act-1', product_version: unreleased ? '9.9.9-cracked' : '1.0.0',
    data_type: BENCH_GROUPS[group], data_group: group, data: null,
    numeric_data_single_value: null, numeric_data_x: null, numeric_data_y: null, text_data: null,
    ...values(group, i, random),
    is_correct_format: 1, product_exists: 1, license_key_exists: flagged ? 0 : 1,
    product_version_exists: unreleased ? 0 : 1, activation_exists: flagged ? 0 : 1, license_active: 1,
    has_red_flags: flagged ? 1 : 0, errors: {}, metadata: {}, client_ip: '203.0.113.7', blocked: 0,
    created_at_us: endUs - SPAN_US + Math.floor((i / total) * SPAN_US), reported_at_us: null,
  };
}
