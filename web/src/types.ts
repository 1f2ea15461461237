/** The admin API answers the dashboard reads (docs/admin-api.md, docs/dashboard.md). */

export interface Bucket {
  start: string;
  clean: number;
  flagged: number;
}

export interface Counts {
  total: number;
  clean: number;
  flagged: number;
}

export interface OverviewAnswer extends Counts {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
  series: Bucket[];
  products: (Counts & { product_id: number | null; series: Bucket[] })[];
  groups: (Counts & { product_id: number | null; data_group: string | null; data_type: string | null })[];
}

export type CheckName = 'is_correct_format' | 'product_exists' | 'license_key_exists' | 'product_version_exists' | 'activation_exists' | 'license_active';

export const CHECK_LABELS: Record<CheckName, string> = {
  is_correct_format: 'bad format',
  product_exists: 'unknown product',
  license_key_exists: 'unknown license',
  product_version_exists: 'unknown version',
  activation_exists: 'no activation',
  license_active: 'license blocked or expired',
};

export interface SummaryAnswer {
  product_id: number;
  data_group: string;
  from: string;
  to: string;
  total: number;
  numeric: {
    count: number; min: number | null; max: number | null; mean: number | null;
    p50: number | null; p90: number | null; p99: number | null;
    histogram: { from: number; to: number; count: number }[];
  };
  xy: { count: number; downsampling: 'none' | 'min-max'; points: { x: number; y: number; created_at: string }[] };
  text: { count: number; top: { value: string; count: number }[] };
  days: { day: string; clean: number; flagged: number }[];
}

export interface Suspect {
  product_id: number;
  value: string | null;
  count: number;
  failed_checks: Record<CheckName, number>;
  first_seen: string;
  last_seen: string;
}

export interface PiracyAnswer {
  from: string;
  to: string;
  license_keys: Suspect[];
  user_identifiers: Suspect[];
  unattributed: number;
  truncated: boolean;
}

export interface TelemetryRecord {
  id: number;
  user_identifier: string | null;
  license_key: string | null;
  activation_identifier: string | null;
  product_id: number | null;
  product_version: string | null;
  data_type: string | null;
  data_group: string | null;
  data: string | null;
  numeric_data_single_value: number | null;
  numeric_data_x: number | null;
  numeric_data_y: number | null;
  text_data: string | null;
  has_red_flags: number;
  created_at: string;
  [flag: string]: unknown;
}

export interface RecordsAnswer {
  records: TelemetryRecord[];
  next_after_id: number | null;
}

export interface Product {
  id: number;
  name: string;
  status: 'active' | 'inactive';
  versions: string[];
  created_at: string;
}

export interface License {
  id: number;
  product_id: number;
  key: string;
  status: 'active' | 'blocked';
  expires_at: string | null;
  created_at: string;
}
