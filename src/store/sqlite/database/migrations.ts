import type Database from 'better-sqlite3';
import { keyId } from '../../../model/key-id.js';
import type { Migration } from '../../contract/migrations.js';
import { HyperLogLog } from '../../../model/hyperloglog.js';
import { RECORD_TIME_SQL } from '../../contract/record-time-sql.js';
import { INSTALLS_KEYS_SQL } from '../queries/installs-keys-sql.js';
import { LATE_SQL, rollupMergeSql, SQLITE_BIN_FUNCTION } from '../../contract/rollup-sql.js';
import { registerRollupBinFunction } from '../rollups/rollup-bin-function.js';
import { licenseCountsMergeSql } from '../../contract/license-counts-sql.js';
import { SQLITE_NEW_MACHINES } from './new-machines-migration.js';
import { flaggedCountsMergeSql } from '../../contract/flagged-counts-sql.js';


const TELEMETRY = `
CREATE TABLE telemetry (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  api_key_id INTEGER NULL,
  product_id INTEGER NULL,
  user_identifier TEXT NULL,
  license_key TEXT NULL,
  activation_identifier TEXT NULL,
  product_version TEXT NULL,
  data_type TEXT NULL,
  data_group TEXT NULL,
  data TEXT NULL,
  numeric_data_single_value REAL NULL,
  numeric_data_x REAL NULL,
  numeric_data_y REAL NULL,
  text_data TEXT NULL,
  is_correct_format INTEGER NOT NULL,
  product_exists INTEGER NOT NULL,
  license_key_exists INTEGER NOT NULL,
  product_version_exists INTEGER NOT NULL,
  activation_exists INTEGER NOT NULL,
  license_active INTEGER NOT NULL,
  has_red_flags INTEGER NOT NULL,
  errors TEXT NOT NULL,
  metadata TEXT NOT NULL,
  client_ip TEXT NULL,
  created_at INTEGER NOT NULL -- microseconds since the Unix epoch
);
CREATE INDEX telemetry_product_group_id ON telemetry (product_id, data_group, id);
`;

const REGISTRY = `
CREATE TABLE products (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at TEXT NOT NULL
);
CREATE TABLE product_versions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  version TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (product_id, version)
);
CREATE TABLE licenses (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'blocked')),
  expires_at TEXT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (product_id, key)
);
CREATE INDEX licenses_key ON licenses (key);
CREATE TABLE activations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  license_id INTEGER NOT NULL REFERENCES licenses (id) ON DELETE CASCADE,
  identifier TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (license_id, identifier)
);
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  capabilities TEXT NOT NULL,
  products TEXT NOT NULL,
  allowed_ips TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX api_keys_secret_hash ON api_keys (secret_hash);
`;

const SECRETS = `
CREATE TABLE signing_keys (
  scope TEXT PRIMARY KEY,
  algorithm TEXT NOT NULL,
  private_pem TEXT NOT NULL,
  public_pem TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

/**
 * For `TelemetryStore.summarize` (docs/admin-api.md). Every index is ordered by created_at after
 * (product_id, data_group), so ingest appends to it (a value-ordered index would take a write
 * at a random place per record: measured 3-4x the insert cost) and a summary reads only its
 * time range. Each covers every column a summary reads or filters on, so no table row is
 * read (data_type is in the xy one because SQLite 3.53 does not count it as covered there through
 * the three-term WHERE alone; EXPLAIN QUERY PLAN shows COVERING INDEX for every summary query). Partial: a record enters the one index of its data type (only correctly typed values,
 * hence every clean record is in exactly one), plus the flagged one when red-flagged.
 */
const SUMMARY_INDEXES = `
CREATE INDEX telemetry_summary_numeric ON telemetry
  (product_id, data_group, created_at, has_red_flags, product_version, numeric_data_single_value)
  WHERE data_type = 'numeric-single-value' AND numeric_data_single_value IS NOT NULL;
CREATE INDEX telemetry_summary_xy ON telemetry
  (product_id, data_group, created_at, has_red_flags, product_version, numeric_data_x, numeric_data_y, data_type)
  WHERE data_type = 'numeric-xy-axis' AND numeric_data_x IS NOT NULL AND numeric_data_y IS NOT NULL;
CREATE INDEX telemetry_summary_text ON telemetry
  (product_id, data_group, created_at, has_red_flags, product_version, text_data)
  WHERE data_type = 'text' AND text_data IS NOT NULL;
CREATE INDEX telemetry_summary_flagged ON telemetry
  (product_id, data_group, created_at, license_key, user_identifier, product_version, is_correct_format,
   product_exists, license_key_exists, product_version_exists, activation_exists, license_active)
  WHERE has_red_flags = 1;
`;

// For the query API (CONTRACT §4); each index is one more write per stored record, so only these:
// - (product_id, id): a key scoped to a product, or product_id alone, pages in id order;
// - red-flagged records only, per product and data group: the piracy view, without scanning
//   clean records (a partial index costs nothing for a clean record);
// - created_at per block of 4096 ids (src/store/sqlite/time-blocks/time-blocks.ts, BLOCK_SIZE), so a date
//   range becomes an id window on the id-ordered indexes.
const QUERY_INDEXES = `
CREATE INDEX telemetry_product_id ON telemetry (product_id, id);
CREATE INDEX telemetry_red_product_group_id ON telemetry (product_id, data_group, id) WHERE has_red_flags = 1;
CREATE TABLE telemetry_time_blocks (
  block INTEGER PRIMARY KEY,
  min_created_at INTEGER NOT NULL,
  max_created_at INTEGER NOT NULL
);
INSERT INTO telemetry_time_blocks (block, min_created_at, max_created_at)
  SELECT id / 4096, MIN(created_at), MAX(created_at) FROM telemetry GROUP BY id / 4096;
`;

// API key expiry (null = never) and last successful use, both ISO-8601 UTC text like created_at.
const API_KEY_EXPIRY_AND_LAST_USE = `
ALTER TABLE api_keys ADD COLUMN expires_at TEXT NULL;
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT NULL;
`;

/**
 * The blocklist (docs/security.md) and the `blocked` flag of each record. A NULL product_id means
 * every product; the unique index counts it as 0 so that one unscoped entry per value is kept.
 */
const BLOCKLIST = `
CREATE TABLE blocklist (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('ip', 'user_identifier', 'license_key')),
  value TEXT NOT NULL,
  product_id INTEGER NULL REFERENCES products (id) ON DELETE CASCADE,
  reason TEXT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX blocklist_entry ON blocklist (kind, value, COALESCE(product_id, 0));
ALTER TABLE telemetry ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
`;

// The client's idempotency keys (docs/ingest-behaviour.md): one row per stored event_id.
const EVENT_IDS = `
CREATE TABLE telemetry_event_ids (
  event_id TEXT PRIMARY KEY,
  telemetry_id INTEGER NOT NULL
) WITHOUT ROWID;
`;

/**
 * The scheme an API key's answers are signed with (CONTRACT §5): 'auto' (existing keys too) lets
 * the signer pick from the User-Agent. No CHECK: the registry validates, and a new scheme must
 * not need a table rebuild.
 */
const API_KEY_SIGNATURE_SCHEME = `
ALTER TABLE api_keys ADD COLUMN signature_scheme TEXT NOT NULL DEFAULT 'auto';
`;

/**
 * The expiry an API key was made with, apart from `expires_at`, which a rotation's grace brings
 * forward: a rotation gives the new key this one (docs/security.md, "Leaked API keys").
 * Existing keys take their current expiry; for a key already in a grace that is the grace's end.
 */
const API_KEY_CONFIGURED_EXPIRY = `
ALTER TABLE api_keys ADD COLUMN configured_expires_at TEXT NULL;
UPDATE api_keys SET configured_expires_at = expires_at;
`;

/**
 * The SQLite schema, in order. Add a new entry to change the schema; never edit one that has
 * shipped, because databases in the field have already recorded it as applied.
 */
/**
 * Several signing keys per scope (docs/decisions/0013-signing-key-rotation.md): key_id is the
 * primary key, retired_at NULL marks the one current key of a scope (a partial unique index
 * makes it exactly one). The existing key of each scope becomes its current key, with its id
 * computed by the `tally_key_id` SQL function (registerMigrationFunctions).
 */
const SIGNING_KEY_RING = `
ALTER TABLE signing_keys RENAME TO signing_keys_v3;
CREATE TABLE signing_keys (
  key_id TEXT PRIMARY KEY,
  scope TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  private_pem TEXT NOT NULL,
  public_pem TEXT NOT NULL,
  created_at TEXT NOT NULL,
  retired_at TEXT NULL
);
INSERT INTO signing_keys (key_id, scope, algorithm, private_pem, public_pem, created_at, retired_at)
  SELECT tally_key_id(public_pem), scope, algorithm, private_pem, public_pem, created_at, NULL FROM signing_keys_v3;
DROP TABLE signing_keys_v3;
CREATE UNIQUE INDEX signing_keys_current ON signing_keys (scope) WHERE retired_at IS NULL;
CREATE INDEX signing_keys_scope ON signing_keys (scope, created_at);
`;

// A user_identifier or license_key blocklist entry that matches whatever the case; existing entries stay exact.
const BLOCKLIST_IGNORE_CASE = `
ALTER TABLE blocklist ADD COLUMN ignore_case INTEGER NOT NULL DEFAULT 0;
`;

/**
 * The client's time of each report (`reported_at`, µs, NULL when it sent none or an invalid one;
 * docs/decisions/0026-record-time.md). Summaries range and bucket by COALESCE(reported_at,
 * created_at), so the four summary indexes are rebuilt with reported_at beside created_at to stay
 * covering (a summary still seeks on created_at, the bound record time implies). No index of its
 * own: a reported_at or record-time range narrows by the created_at range it implies (time blocks).
 * Rebuilding reads the table once per index: minutes on a database of tens of millions of records.
 */
const REPORTED_AT = `
ALTER TABLE telemetry ADD COLUMN reported_at INTEGER NULL;
DROP INDEX telemetry_summary_numeric;
DROP INDEX telemetry_summary_xy;
DROP INDEX telemetry_summary_text;
DROP INDEX telemetry_summary_flagged;
CREATE INDEX telemetry_summary_numeric ON telemetry
  (product_id, data_group, created_at, reported_at, has_red_flags, product_version, numeric_data_single_value)
  WHERE data_type = 'numeric-single-value' AND numeric_data_single_value IS NOT NULL;
CREATE INDEX telemetry_summary_xy ON telemetry
  (product_id, data_group, created_at, reported_at, has_red_flags, product_version, numeric_data_x, numeric_data_y, data_type)
  WHERE data_type = 'numeric-xy-axis' AND numeric_data_x IS NOT NULL AND numeric_data_y IS NOT NULL;
CREATE INDEX telemetry_summary_text ON telemetry
  (product_id, data_group, created_at, reported_at, has_red_flags, product_version, text_data)
  WHERE data_type = 'text' AND text_data IS NOT NULL;
CREATE INDEX telemetry_summary_flagged ON telemetry
  (product_id, data_group, created_at, reported_at, license_key, user_identifier, product_version, is_correct_format,
   product_exists, license_key_exists, product_version_exists, activation_exists, license_active)
  WHERE has_red_flags = 1;
`;

/**
 * Webhook alerts (docs/webhooks.md, docs/decisions/0024-webhook-outbox.md): endpoints (the secret
 * kept as the signing keys' private keys are, so the server can sign), the outbox (one row per
 * event and endpoint, µs times, a claim with its lease), the delivery log (one row per attempt)
 * and the marks that make an alert fire once per subject and window.
 */
const WEBHOOKS = `
CREATE TABLE webhook_endpoints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE webhook_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'given_up')),
  delivered_at INTEGER NULL,
  given_up_at INTEGER NULL,
  last_status INTEGER NULL,
  last_error TEXT NULL,
  claim TEXT NULL,
  claimed_until INTEGER NULL,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_outbox_endpoint ON webhook_outbox (endpoint_id, id);
CREATE INDEX webhook_outbox_finished ON webhook_outbox (created_at) WHERE state <> 'pending';
CREATE TABLE webhook_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  outbox_id INTEGER NOT NULL REFERENCES webhook_outbox (id) ON DELETE CASCADE,
  endpoint_id INTEGER NOT NULL,
  attempted_at INTEGER NOT NULL,
  status INTEGER NULL,
  error TEXT NULL,
  duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id);
CREATE INDEX webhook_attempts_outbox ON webhook_attempts (outbox_id);
CREATE TABLE alert_marks (
  type TEXT NOT NULL,
  subject TEXT NOT NULL,
  period INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (type, subject, period)
);
`;

/**
 * A license's seats (issue 17): how many machines it may run on; NULL = none set, the server's
 * `--default-seats` stands in (docs/admin-api.md, "License insights"). No CHECK: the registry validates.
 */
const LICENSE_MAX_ACTIVATIONS = `
ALTER TABLE licenses ADD COLUMN max_activations INTEGER NULL;
`;

/**
 * The audit log (issue 18, docs/audit.md): who changed what, when and from where, the changed
 * fields as JSON (secrets redacted before they get here). `at` in µs like the telemetry; no
 * foreign key to accounts, so an entry outlives the account that made it.
 */
const AUDIT_LOG = `
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_account_id INTEGER NULL,
  actor_name TEXT NOT NULL,
  ip TEXT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NULL,
  changes TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor_name, id);
`;

/**
 * The event ids of each record, found by the record (docs/privacy.md): an erasure deletes a
 * person's records and then their event ids, so the same event id sent later is stored again.
 * Ids only grow, so the index is written at its end (cheap per insert).
 */
const EVENT_IDS_BY_RECORD = `
CREATE INDEX telemetry_event_ids_telemetry ON telemetry_event_ids (telemetry_id);
`;

/**
 * People's accounts, their dashboard sessions and one-time setup codes (issue 18, docs/accounts.md).
 * `name_key` is the name folded to lower case by Tally (the same on both backends), unique.
 * Sessions and setup codes keep only the SHA-256 of their secret; times in ms since the epoch.
 */
const ACCOUNTS = `
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'viewer')),
  products TEXT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_login_at TEXT NULL
);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  account_id INTEGER NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE TABLE setup_codes (
  code_hash TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
`;

/**
 * Personal API tokens (issue 18, docs/accounts.md): the SHA-256 hash of each secret, never the
 * secret; revoked tokens stay so the list and the audit log can still name them. ISO-8601 times.
 */
const ACCESS_TOKENS = `
CREATE TABLE access_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT NULL,
  expires_at TEXT NULL,
  revoked_at TEXT NULL
);
CREATE UNIQUE INDEX access_tokens_token_hash ON access_tokens (token_hash);
CREATE INDEX access_tokens_account ON access_tokens (account_id, id);
`;

/**
 * The license lifecycle (issue 18, docs/licenses.md): a `revoked` status, a license's notes and
 * last change, and an activation's deactivation. SQLite cannot change a CHECK, so licenses and
 * activations are rebuilt (ids and AUTOINCREMENT counters kept): new tables, rows copied, the old
 * ones dropped (activations first, so no cascade runs), the new ones renamed (which rewrites
 * activations' reference to licenses). Plus an index for a license's report counts
 * (telemetry_license_reports, covering): one more index write per stored report with a key, and
 * building it reads the telemetry table once (minutes on tens of millions of records).
 */
const LICENSE_LIFECYCLE = `
CREATE TABLE licenses_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'blocked', 'revoked')),
  expires_at TEXT NULL,
  created_at TEXT NOT NULL,
  max_activations INTEGER NULL,
  notes TEXT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (product_id, key)
);
INSERT INTO licenses_new (id, product_id, key, status, expires_at, created_at, max_activations, notes, updated_at)
  SELECT id, product_id, key, status, expires_at, created_at, max_activations, NULL, created_at FROM licenses;
CREATE TABLE activations_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  license_id INTEGER NOT NULL REFERENCES licenses_new (id) ON DELETE CASCADE,
  identifier TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deactivated_at TEXT NULL,
  UNIQUE (license_id, identifier)
);
INSERT INTO activations_new (id, license_id, identifier, created_at) SELECT id, license_id, identifier, created_at FROM activations;
DELETE FROM sqlite_sequence WHERE name IN ('licenses_new', 'activations_new');
INSERT INTO sqlite_sequence (name, seq) SELECT name || '_new', seq FROM sqlite_sequence WHERE name IN ('licenses', 'activations');
DROP TABLE activations;
DROP TABLE licenses;
ALTER TABLE licenses_new RENAME TO licenses;
ALTER TABLE activations_new RENAME TO activations;
CREATE INDEX licenses_key ON licenses (key);
CREATE INDEX licenses_product_id ON licenses (product_id, id);
CREATE INDEX telemetry_license_reports ON telemetry (product_id, license_key, has_red_flags, created_at) WHERE license_key IS NOT NULL;
`;

/**
 * The install sketches and first-seen table (docs/decisions/0034-install-sketches.md), filled from
 * the stored reports: one HyperLogLog of machines and one of users per (product, UTC day of the
 * record time, version key, OS key), built by the aggregate tally_install_sketch (the same
 * model/hyperloglog.ts ingest uses), and each machine's first report (record time, then id).
 * Reads the telemetry table twice: minutes on tens of millions of records, once, at the upgrade.
 */
const INSTALL_SKETCHES = `
CREATE TABLE install_sketches (
  product_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  version TEXT NOT NULL,
  os TEXT NOT NULL,
  machines BLOB NOT NULL,
  users BLOB NOT NULL,
  UNIQUE (product_id, day, version, os)
);
CREATE TABLE install_first_seen (
  product_id INTEGER NOT NULL,
  activation_identifier TEXT NOT NULL,
  first_time INTEGER NOT NULL,
  version TEXT NOT NULL,
  os TEXT NOT NULL,
  PRIMARY KEY (product_id, activation_identifier)
) WITHOUT ROWID;
CREATE INDEX install_first_seen_time ON install_first_seen (product_id, first_time);
INSERT INTO install_sketches (product_id, day, version, os, machines, users)
  SELECT product_id, ${RECORD_TIME_SQL} / 86400000000, ${INSTALLS_KEYS_SQL.version}, ${INSTALLS_KEYS_SQL.os},
    tally_install_sketch(activation_identifier), tally_install_sketch(user_identifier)
  FROM telemetry WHERE product_id IS NOT NULL GROUP BY 1, 2, 3, 4;
INSERT INTO install_first_seen (product_id, activation_identifier, first_time, version, os)
  SELECT product_id, activation_identifier, at, version, os FROM (
    SELECT product_id, activation_identifier, ${RECORD_TIME_SQL} AS at, ${INSTALLS_KEYS_SQL.version} AS version, ${INSTALLS_KEYS_SQL.os} AS os,
      ROW_NUMBER() OVER (PARTITION BY product_id, activation_identifier ORDER BY ${RECORD_TIME_SQL}, id) AS nth
    FROM telemetry WHERE product_id IS NOT NULL AND activation_identifier IS NOT NULL)
  WHERE nth = 1;
`;

/**
 * The rollups (docs/decisions/0033-rollups.md): counts, sums, min/max and percentile-sketch bins
 * per hour and per day of record time and per product, data group and type, version and flag
 * state, kept in the insert's transaction from now on and built here from every stored record
 * (one read of the table, at the upgrade). The partial index holds only late records (reported_at
 * more than an hour before created_at), so a window of record time is found without reading
 * max-age days of records; an on-time record costs it nothing.
 */
const ROLLUPS = `
CREATE TABLE telemetry_rollups (
  span_us INTEGER NOT NULL,
  bucket_us INTEGER NOT NULL,
  product_id INTEGER NOT NULL,
  data_group TEXT NOT NULL,
  data_type TEXT NOT NULL,
  product_version TEXT NOT NULL,
  has_red_flags INTEGER NOT NULL,
  nulls INTEGER NOT NULL,
  n INTEGER NOT NULL,
  typed_n INTEGER NOT NULL,
  v_sum REAL NOT NULL,
  v_min REAL NULL,
  v_max REAL NULL,
  PRIMARY KEY (span_us, bucket_us, product_id, data_group, data_type, product_version, has_red_flags, nulls)
) WITHOUT ROWID;
CREATE INDEX telemetry_rollups_group ON telemetry_rollups (product_id, data_group, span_us, bucket_us);
CREATE TABLE telemetry_rollup_bins (
  span_us INTEGER NOT NULL,
  bucket_us INTEGER NOT NULL,
  product_id INTEGER NOT NULL,
  data_group TEXT NOT NULL,
  product_version TEXT NOT NULL,
  has_red_flags INTEGER NOT NULL,
  nulls INTEGER NOT NULL,
  bin INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (product_id, data_group, span_us, bucket_us, product_version, has_red_flags, nulls, bin)
) WITHOUT ROWID;
CREATE INDEX telemetry_late ON telemetry (reported_at) WHERE ${LATE_SQL};
${rollupMergeSql('telemetry', 1, undefined, SQLITE_BIN_FUNCTION).counts};
${rollupMergeSql('telemetry', 1, undefined, SQLITE_BIN_FUNCTION).bins};
`;

/**
 * The per-license report counts (docs/decisions/0040-license-report-counts.md) in place of the
 * covering index telemetry_license_reports (migration 19), which cost every report with a key a
 * B-tree insert at a random place: one row per (product, license key) with its reports, red-flagged
 * reports and newest created_at, kept in the insert's transaction from now on. Filled from the
 * stored reports (one GROUP BY, read through the index before it goes), then the index is dropped.
 */
const LICENSE_REPORT_COUNTS = `
CREATE TABLE license_report_counts (
  product_id INTEGER NOT NULL,
  license_key TEXT NOT NULL,
  reports INTEGER NOT NULL,
  flagged INTEGER NOT NULL,
  last_report_us INTEGER NOT NULL,
  PRIMARY KEY (product_id, license_key)
) WITHOUT ROWID;
${licenseCountsMergeSql('telemetry', 1)};
DROP INDEX telemetry_license_reports;
`;

/**
 * The piracy alerts' candidates (docs/decisions/0043-alert-candidates.md): per product, data group,
 * kind (license_key or user_identifier) and value, the stored red-flagged reports, walked
 * `flagged DESC, value` (BINARY, the alerts' tie order) by the summary, and kept in the insert's
 * transaction from now on; and two partial indexes of red-flagged records led by the value, covering
 * an alert row, so that the exact alerts of a page of values are index seeks. Filled from the stored
 * reports (one GROUP BY over the flagged summary index).
 */
const ALERT_CANDIDATES = `
CREATE TABLE flagged_value_counts (
  product_id INTEGER NOT NULL,
  data_group TEXT NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  flagged INTEGER NOT NULL,
  PRIMARY KEY (product_id, data_group, kind, value)
) WITHOUT ROWID;
CREATE INDEX flagged_value_counts_walk ON flagged_value_counts (product_id, data_group, kind, flagged DESC, value);
CREATE INDEX telemetry_flagged_license_key ON telemetry
  (product_id, data_group, license_key, created_at, reported_at, product_version, is_correct_format,
   product_exists, license_key_exists, product_version_exists, activation_exists, license_active)
  WHERE has_red_flags = 1;
CREATE INDEX telemetry_flagged_user_identifier ON telemetry
  (product_id, data_group, user_identifier, created_at, reported_at, product_version, is_correct_format,
   product_exists, license_key_exists, product_version_exists, activation_exists, license_active)
  WHERE has_red_flags = 1;
${flaggedCountsMergeSql('telemetry', 1)};
`;

/** The application functions migrations call; applyMigrations registers them on the connection first. */
export function registerMigrationFunctions(db: Database.Database): void {
  db.function('tally_key_id', { deterministic: true }, (pem: unknown) => keyId(String(pem)));
  registerRollupBinFunction(db);
  db.aggregate('tally_install_sketch', {
    start: () => new HyperLogLog(),
    step: (sketch: HyperLogLog, identifier: unknown) => {
      if (typeof identifier === 'string') sketch.add(identifier);
      return sketch;
    },
    result: (sketch: HyperLogLog) => sketch.encode(),
  });
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'telemetry', sql: TELEMETRY },
  { version: 2, name: 'registry', sql: REGISTRY },
  { version: 3, name: 'secrets', sql: SECRETS },
  { version: 4, name: 'query-indexes', sql: QUERY_INDEXES },
  { version: 5, name: 'summary-indexes', sql: SUMMARY_INDEXES },
  { version: 6, name: 'api-key-expiry-last-use', sql: API_KEY_EXPIRY_AND_LAST_USE },
  { version: 7, name: 'blocklist', sql: BLOCKLIST },
  { version: 8, name: 'signing-key-ring', sql: SIGNING_KEY_RING },
  { version: 9, name: 'event-ids', sql: EVENT_IDS },
  { version: 10, name: 'api-key-signature-scheme', sql: API_KEY_SIGNATURE_SCHEME },
  { version: 11, name: 'api-key-configured-expiry', sql: API_KEY_CONFIGURED_EXPIRY },
  { version: 12, name: 'blocklist-ignore-case', sql: BLOCKLIST_IGNORE_CASE },
  { version: 13, name: 'reported-at', sql: REPORTED_AT },
  { version: 14, name: 'license-max-activations', sql: LICENSE_MAX_ACTIVATIONS },
  { version: 15, name: 'webhooks', sql: WEBHOOKS },
  { version: 16, name: 'accounts', sql: ACCOUNTS },
  { version: 17, name: 'access-tokens', sql: ACCESS_TOKENS },
  { version: 18, name: 'audit-log', sql: AUDIT_LOG },
  { version: 19, name: 'license-lifecycle', sql: LICENSE_LIFECYCLE },
  { version: 20, name: 'event-ids-by-record', sql: EVENT_IDS_BY_RECORD },
  { version: 21, name: 'rollups', sql: ROLLUPS },
  { version: 22, name: 'install-sketches', sql: INSTALL_SKETCHES },
  { version: 23, name: 'license-report-counts', sql: LICENSE_REPORT_COUNTS },
  { version: 24, name: 'install-new-machines', sql: SQLITE_NEW_MACHINES },
  { version: 25, name: 'alert-candidates', sql: ALERT_CANDIDATES },
];
