import type { Migration } from '../contract/migrations.js';
import { LATE_SQL, rollupMergeSql } from '../contract/rollup-sql.js';
import { licenseCountsMergeSql } from '../contract/license-counts-sql.js';
import { flaggedCountsMergeSql } from '../contract/flagged-counts-sql.js';
import { RECORD_TIME_SQL } from '../contract/record-time-sql.js';
import { INSTALLS_KEYS_SQL, OS_LATERAL } from './installs-keys-sql.js';
import { DAY_US } from '../../model/clock.js';
import { PG_NEW_MACHINES } from './new-machines-migration.js';

/**
 * The install sketches (docs/decisions/0034-install-sketches.md) built from the stored reports in
 * SQL: the sketch's hash is PostgreSQL's own hashtextextended (model/hash64.ts computes the same),
 * each hash's first 25 bits (its slot) and the rank of the other 39 (leading zeros + 1), the
 * highest rank per slot, written as the sparse form of model/hyperloglog.ts (byte 1, then a
 * big-endian uint32 `slot << 6 | rank` per slot, ascending) however many slots a key has: readers
 * and the next write turn a large one dense. Then each machine's first report (record time, then id).
 */
const INSTALL_SKETCHES_BACKFILL = `
CREATE TEMP TABLE tally_install_facts ON COMMIT DROP AS
  SELECT product_id, (${RECORD_TIME_SQL} / 86400000000)::int AS day, ${INSTALLS_KEYS_SQL.version} AS version, ${INSTALLS_KEYS_SQL.os} AS os,
    activation_identifier AS machine, user_identifier AS person
  FROM telemetry ${OS_LATERAL} WHERE product_id IS NOT NULL;
WITH hashes AS (
  SELECT product_id, day, version, os, 'm' AS kind, hashtextextended(machine, 0) AS h FROM tally_install_facts WHERE machine IS NOT NULL
  UNION ALL SELECT product_id, day, version, os, 'u', hashtextextended(person, 0) FROM tally_install_facts WHERE person IS NOT NULL),
slots AS (
  SELECT product_id, day, version, os, kind, (h >> 39) & 33554431 AS slot,
    max(40 - length(ltrim(((h & 549755813887)::bit(64))::text, '0'))) AS rank
  FROM hashes GROUP BY 1, 2, 3, 4, 5, 6),
sketches AS (
  SELECT product_id, day, version, os, kind,
    decode('01' || string_agg(lpad(to_hex(slot * 64 + rank), 8, '0'), '' ORDER BY slot), 'hex') AS sketch
  FROM slots GROUP BY 1, 2, 3, 4, 5),
keys AS (SELECT DISTINCT product_id, day, version, os FROM tally_install_facts)
INSERT INTO install_sketches (product_id, day, version, os, machines, users)
SELECT k.product_id, k.day, k.version, k.os, COALESCE(m.sketch, '\\x01'::bytea), COALESCE(u.sketch, '\\x01'::bytea)
FROM keys AS k
  LEFT JOIN sketches AS m ON m.kind = 'm' AND (m.product_id, m.day, m.version, m.os) = (k.product_id, k.day, k.version, k.os)
  LEFT JOIN sketches AS u ON u.kind = 'u' AND (u.product_id, u.day, u.version, u.os) = (k.product_id, k.day, k.version, k.os);
INSERT INTO install_first_seen (product_id, activation_identifier, first_time, version, os)
  SELECT DISTINCT ON (product_id, activation_identifier) product_id, activation_identifier, ${RECORD_TIME_SQL},
    ${INSTALLS_KEYS_SQL.version}, ${INSTALLS_KEYS_SQL.os}
  FROM telemetry ${OS_LATERAL} WHERE product_id IS NOT NULL AND activation_identifier IS NOT NULL
  ORDER BY product_id, activation_identifier, ${RECORD_TIME_SQL}, id;`;

/**
 * Migration 21: the three rollup tables (as made by 19 and 20) become partitioned by month. The
 * months are read from the rows themselves (record time of the bucket; day number for the
 * sketches) in a DO block, so an upgraded database gets one partition per month it holds.
 */
const ROLLUP_PARTITIONS = `
ALTER TABLE telemetry_rollups RENAME TO tally_old_rollups;
ALTER INDEX telemetry_rollups_pkey RENAME TO tally_old_rollups_pkey;
ALTER INDEX telemetry_rollups_group RENAME TO tally_old_rollups_group;
ALTER TABLE telemetry_rollup_bins RENAME TO tally_old_rollup_bins;
ALTER INDEX telemetry_rollup_bins_pkey RENAME TO tally_old_rollup_bins_pkey;
ALTER TABLE install_sketches RENAME TO tally_old_install_sketches;
ALTER INDEX install_sketches_pkey RENAME TO tally_old_install_sketches_pkey;
ALTER INDEX install_sketches_key RENAME TO tally_old_install_sketches_key;
ALTER SEQUENCE install_sketches_id_seq RENAME TO tally_old_install_sketches_id_seq;
CREATE TABLE telemetry_rollups (
  span_us bigint NOT NULL,
  bucket_us bigint NOT NULL,
  product_id bigint NOT NULL,
  data_group text NOT NULL,
  data_type text NOT NULL,
  product_version text NOT NULL,
  has_red_flags smallint NOT NULL,
  nulls integer NOT NULL,
  n bigint NOT NULL,
  typed_n bigint NOT NULL,
  v_sum double precision NOT NULL,
  v_min double precision,
  v_max double precision,
  PRIMARY KEY (span_us, bucket_us, product_id, data_group, data_type, product_version, has_red_flags, nulls)
) PARTITION BY RANGE (bucket_us);
CREATE INDEX telemetry_rollups_group ON telemetry_rollups (product_id, data_group, span_us, bucket_us);
CREATE TABLE telemetry_rollups_default PARTITION OF telemetry_rollups DEFAULT;
CREATE TABLE telemetry_rollup_bins (
  span_us bigint NOT NULL,
  bucket_us bigint NOT NULL,
  product_id bigint NOT NULL,
  data_group text NOT NULL,
  product_version text NOT NULL,
  has_red_flags smallint NOT NULL,
  nulls integer NOT NULL,
  bin integer NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (product_id, data_group, span_us, bucket_us, product_version, has_red_flags, nulls, bin)
) PARTITION BY RANGE (bucket_us);
CREATE TABLE telemetry_rollup_bins_default PARTITION OF telemetry_rollup_bins DEFAULT;
CREATE TABLE install_sketches (
  id bigint GENERATED ALWAYS AS IDENTITY,
  product_id bigint NOT NULL,
  day integer NOT NULL,
  version text NOT NULL,
  os text NOT NULL,
  machines bytea NOT NULL,
  users bytea NOT NULL,
  PRIMARY KEY (id, day)
) PARTITION BY RANGE (day);
CREATE INDEX install_sketches_key ON install_sketches (product_id, day, version, os);
CREATE TABLE install_sketches_default PARTITION OF install_sketches DEFAULT;
DO $$
DECLARE
  t record;
  m timestamp;
BEGIN
  FOR t IN SELECT * FROM (VALUES ('telemetry_rollups', 'tally_old_rollups', 'bucket_us', 1::bigint),
      ('telemetry_rollup_bins', 'tally_old_rollup_bins', 'bucket_us', 1::bigint),
      ('install_sketches', 'tally_old_install_sketches', 'day', ${DAY_US}::bigint)) AS v (parent, old, col, unit) LOOP
    FOR m IN EXECUTE format('SELECT DISTINCT date_trunc(''month'', to_timestamp(floor(%I::numeric * %s / 1000000)::float8) AT TIME ZONE ''UTC'') FROM %I
        UNION SELECT date_trunc(''month'', now() AT TIME ZONE ''UTC'') + make_interval(months => k) FROM generate_series(0, 2) AS k',
        t.col, t.unit, t.old) LOOP
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)', t.parent || to_char(m, '_YYYY_MM'), t.parent,
        extract(epoch FROM m)::bigint * 1000000 / t.unit, extract(epoch FROM m + interval '1 month')::bigint * 1000000 / t.unit);
    END LOOP;
  END LOOP;
END $$;
INSERT INTO telemetry_rollups SELECT * FROM tally_old_rollups;
INSERT INTO telemetry_rollup_bins SELECT * FROM tally_old_rollup_bins;
INSERT INTO install_sketches (product_id, day, version, os, machines, users)
  SELECT product_id, day, version, os, machines, users FROM tally_old_install_sketches ORDER BY id;
DROP TABLE tally_old_rollups, tally_old_rollup_bins, tally_old_install_sketches;`;

/**
 * The PostgreSQL schema. telemetry is partitioned by created_at (microseconds since the epoch)
 * so that retention can drop whole months; a DEFAULT partition catches anything outside the
 * partitions made ahead. errors/metadata are `json`, not `jsonb`: the key order of `errors` is
 * part of the contract and jsonb would lose it.
 */
export const PG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'telemetry',
    sql: `
CREATE TABLE telemetry (
  id bigint GENERATED BY DEFAULT AS IDENTITY,
  api_key_id bigint,
  product_id bigint,
  user_identifier text,
  license_key text,
  activation_identifier text,
  product_version text,
  data_type text,
  data_group text,
  data text,
  numeric_data_single_value double precision,
  numeric_data_x double precision,
  numeric_data_y double precision,
  text_data text,
  is_correct_format smallint NOT NULL,
  product_exists smallint NOT NULL,
  license_key_exists smallint NOT NULL,
  product_version_exists smallint NOT NULL,
  activation_exists smallint NOT NULL,
  license_active smallint NOT NULL,
  has_red_flags smallint NOT NULL,
  errors json NOT NULL,
  metadata json NOT NULL,
  client_ip text,
  created_at bigint NOT NULL,
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE TABLE telemetry_default PARTITION OF telemetry DEFAULT;
CREATE INDEX telemetry_product_group_id ON telemetry (product_id, data_group, id);
CREATE INDEX telemetry_product_id ON telemetry (product_id, id);
CREATE INDEX telemetry_red_product_group_id ON telemetry (product_id, data_group, id) WHERE has_red_flags = 1;
CREATE INDEX telemetry_product_group_created ON telemetry (product_id, data_group, created_at);
CREATE INDEX telemetry_id ON telemetry (id);`,
  },
  {
    version: 2,
    name: 'registry',
    sql: `
CREATE TABLE products (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at text NOT NULL
);
CREATE TABLE product_versions (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES products (id),
  version text NOT NULL,
  created_at text NOT NULL,
  UNIQUE (product_id, version)
);
CREATE TABLE licenses (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES products (id),
  key text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'blocked')),
  expires_at text,
  created_at text NOT NULL,
  UNIQUE (product_id, key)
);
CREATE INDEX licenses_key ON licenses (key);
CREATE TABLE activations (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  license_id bigint NOT NULL REFERENCES licenses (id),
  identifier text NOT NULL,
  created_at text NOT NULL,
  UNIQUE (license_id, identifier)
);
CREATE TABLE api_keys (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  secret_hash text NOT NULL UNIQUE,
  capabilities json NOT NULL,
  products json NOT NULL,
  allowed_ips json NOT NULL,
  active boolean NOT NULL DEFAULT true,
  revoked boolean NOT NULL DEFAULT false,
  created_at text NOT NULL
);`,
  },
  {
    version: 3,
    name: 'secrets',
    sql: `
CREATE TABLE signing_keys (
  scope text PRIMARY KEY,
  algorithm text NOT NULL,
  private_pem text NOT NULL,
  public_pem text NOT NULL,
  created_at text NOT NULL
);
CREATE TABLE settings (
  name text PRIMARY KEY,
  value text NOT NULL
);`,
  },
  {
    version: 4,
    name: 'api-key-expiry-last-use',
    // ISO-8601 UTC text like created_at; compared COLLATE "C" so text order is time order.
    sql: `
ALTER TABLE api_keys ADD COLUMN expires_at text;
ALTER TABLE api_keys ADD COLUMN last_used_at text;`,
  },
  {
    // The blocklist (docs/security.md) and the `blocked` flag of each record; NULL product_id =
    // every product, counted as 0 by the unique index so one unscoped entry per value is kept.
    version: 5,
    name: 'blocklist',
    sql: `
CREATE TABLE blocklist (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('ip', 'user_identifier', 'license_key')),
  value text NOT NULL,
  product_id bigint NULL REFERENCES products (id) ON DELETE CASCADE,
  reason text NULL,
  created_at text NOT NULL
);
CREATE UNIQUE INDEX blocklist_entry ON blocklist (kind, value, COALESCE(product_id, 0));
ALTER TABLE telemetry ADD COLUMN blocked smallint NOT NULL DEFAULT 0;`,
  },
  {
    // Several signing keys per scope (docs/decisions/0013-signing-key-rotation.md): key_id is
    // the primary key, retired_at NULL marks the one current key of a scope. The existing key of
    // each scope becomes its current key; its id is the SHA-256 of the DER inside its PEM.
    version: 6,
    name: 'signing-key-ring',
    sql: `
ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_pkey;
ALTER TABLE signing_keys ADD COLUMN key_id text, ADD COLUMN retired_at text;
UPDATE signing_keys SET key_id = left(encode(sha256(decode(
  regexp_replace(public_pem, '-----[A-Z ]+-----|[[:space:]]', '', 'g'), 'base64')), 'hex'), 16);
ALTER TABLE signing_keys ALTER COLUMN key_id SET NOT NULL, ADD PRIMARY KEY (key_id);
CREATE UNIQUE INDEX signing_keys_current ON signing_keys (scope) WHERE retired_at IS NULL;
CREATE INDEX signing_keys_scope ON signing_keys (scope, created_at);`,
  },
  {
    version: 7,
    name: 'event-ids',
    // The client's idempotency keys (docs/ingest-behaviour.md). A table of its own: telemetry is
    // partitioned by created_at, so a unique index there could not span partitions.
    sql: `
CREATE TABLE telemetry_event_ids (
  event_id text PRIMARY KEY,
  telemetry_id bigint
);`,
  },
  {
    version: 8,
    name: 'api-key-signature-scheme',
    // The scheme an API key's answers are signed with (CONTRACT §5): 'auto' (existing keys too)
    // lets the signer pick from the User-Agent. No CHECK, as in SQLite: the registry validates.
    sql: `ALTER TABLE api_keys ADD COLUMN signature_scheme text NOT NULL DEFAULT 'auto';`,
  },
  {
    version: 9,
    name: 'api-key-configured-expiry',
    // The expiry an API key was made with, apart from expires_at, which a rotation's grace brings
    // forward: a rotation gives the new key this one (docs/security.md, "Leaked API keys").
    // Existing keys take their current expiry; for a key already in a grace that is the grace's end.
    sql: `
ALTER TABLE api_keys ADD COLUMN configured_expires_at text;
UPDATE api_keys SET configured_expires_at = expires_at;`,
  },
  {
    version: 10,
    name: 'blocklist-ignore-case',
    // A user_identifier or license_key entry that matches whatever the case (docs/security.md,
    // "Blocklist"); existing entries stay exact. 0/1 like the record's flags, as in SQLite.
    sql: `ALTER TABLE blocklist ADD COLUMN ignore_case smallint NOT NULL DEFAULT 0;`,
  },
  {
    version: 11,
    name: 'reported-at',
    // The client's time of each report (µs, NULL when it sent none or an invalid one;
    // docs/decisions/0026-record-time.md). No index: a reported_at or record-time range is
    // narrowed by the created_at range it implies (partitions, telemetry_product_group_created).
    sql: `ALTER TABLE telemetry ADD COLUMN reported_at bigint;`,
  },
  {
    version: 12,
    name: 'license-max-activations',
    // A license's seats (issue 17): how many machines it may run on; NULL = none set, the server's
    // --default-seats stands in (docs/admin-api.md, "License insights"). As in SQLite, no CHECK.
    sql: `ALTER TABLE licenses ADD COLUMN max_activations integer;`,
  },
  {
    version: 13,
    name: 'webhooks',
    // Webhook alerts (docs/webhooks.md, docs/decisions/0024-webhook-outbox.md), as in SQLite:
    // endpoints (the secret kept as the signing keys' private keys are, so the server can sign),
    // the outbox (µs times, a claim with its lease), the delivery log and the alert marks.
    sql: `
CREATE TABLE webhook_endpoints (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  url text NOT NULL,
  events json NOT NULL,
  secret text NOT NULL,
  created_at text NOT NULL
);
CREATE TABLE webhook_outbox (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  event_id text NOT NULL,
  endpoint_id bigint NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  type text NOT NULL,
  body text NOT NULL,
  created_at bigint NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'given_up')),
  delivered_at bigint,
  given_up_at bigint,
  last_status integer,
  last_error text,
  claim text,
  claimed_until bigint,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_outbox_endpoint ON webhook_outbox (endpoint_id, id);
CREATE INDEX webhook_outbox_finished ON webhook_outbox (created_at) WHERE state <> 'pending';
CREATE TABLE webhook_attempts (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  outbox_id bigint NOT NULL REFERENCES webhook_outbox (id) ON DELETE CASCADE,
  endpoint_id bigint NOT NULL,
  attempted_at bigint NOT NULL,
  status integer,
  error text,
  duration_ms integer NOT NULL
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id);
CREATE INDEX webhook_attempts_outbox ON webhook_attempts (outbox_id);
CREATE TABLE alert_marks (
  type text NOT NULL,
  subject text NOT NULL,
  period bigint NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (type, subject, period)
);`,
  },
  {
    version: 14,
    name: 'accounts',
    // People's accounts, their dashboard sessions and one-time setup codes (issue 18, docs/accounts.md),
    // as in SQLite: name_key is the name folded by Tally, unique; only hashes of session ids and codes.
    sql: `
CREATE TABLE accounts (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  name_key text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'viewer')),
  products text,
  password_hash text NOT NULL,
  disabled integer NOT NULL DEFAULT 0,
  created_at text NOT NULL,
  updated_at text NOT NULL,
  last_login_at text
);
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  account_id bigint REFERENCES accounts (id) ON DELETE CASCADE,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE TABLE setup_codes (
  code_hash text PRIMARY KEY,
  expires_at bigint NOT NULL
);`,
  },
  {
    version: 15,
    name: 'access-tokens',
    // Personal API tokens (issue 18, docs/accounts.md), as in SQLite: the secret's SHA-256 hash only.
    sql: `
CREATE TABLE access_tokens (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at text NOT NULL,
  last_used_at text,
  expires_at text,
  revoked_at text
);
CREATE INDEX access_tokens_account ON access_tokens (account_id, id);`,
  },
  {
    version: 16,
    name: 'audit-log',
    // The audit log (issue 18, docs/audit.md), as in SQLite: µs times, the changed fields as json
    // (secrets redacted before they get here), no foreign key to accounts.
    sql: `
CREATE TABLE audit_log (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at bigint NOT NULL,
  actor_kind text NOT NULL,
  actor_account_id bigint,
  actor_name text NOT NULL,
  ip text,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text,
  changes json NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor_name, id);`,
  },
  {
    version: 17,
    name: 'license-lifecycle',
    // The license lifecycle (docs/licenses.md), as in SQLite: a revoked status, notes, the last
    // change, an activation's deactivation, licenses listed per product, and a covering index for
    // a license's report counts (made on every telemetry partition: one more index write per
    // report with a key; building it reads the table once).
    sql: `
ALTER TABLE licenses DROP CONSTRAINT licenses_status_check;
ALTER TABLE licenses ADD CONSTRAINT licenses_status_check CHECK (status IN ('active', 'blocked', 'revoked'));
ALTER TABLE licenses ADD COLUMN notes text;
ALTER TABLE licenses ADD COLUMN updated_at text;
UPDATE licenses SET updated_at = created_at;
ALTER TABLE licenses ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE activations ADD COLUMN deactivated_at text;
CREATE INDEX licenses_product_id ON licenses (product_id, id);
CREATE INDEX telemetry_license_reports ON telemetry (product_id, license_key, has_red_flags, created_at) WHERE license_key IS NOT NULL;`,
  },
  {
    version: 18,
    name: 'event-ids-by-record',
    // The event ids of each record, found by the record (docs/privacy.md): an erasure deletes a
    // person's records and then their event ids, so the same event id sent later is stored again.
    sql: `CREATE INDEX telemetry_event_ids_telemetry ON telemetry_event_ids (telemetry_id);`,
  },
  {
    version: 19,
    name: 'rollups',
    // The rollups (docs/decisions/0033-rollups.md), as in SQLite (migration 21), built from every
    // stored record at the upgrade (one read of the table), then kept by the insert statement.
    // The partial index of late records is made on every partition; an on-time record costs it nothing.
    sql: `
CREATE TABLE telemetry_rollups (
  span_us bigint NOT NULL,
  bucket_us bigint NOT NULL,
  product_id bigint NOT NULL,
  data_group text NOT NULL,
  data_type text NOT NULL,
  product_version text NOT NULL,
  has_red_flags smallint NOT NULL,
  nulls integer NOT NULL,
  n bigint NOT NULL,
  typed_n bigint NOT NULL,
  v_sum double precision NOT NULL,
  v_min double precision,
  v_max double precision,
  PRIMARY KEY (span_us, bucket_us, product_id, data_group, data_type, product_version, has_red_flags, nulls)
);
CREATE INDEX telemetry_rollups_group ON telemetry_rollups (product_id, data_group, span_us, bucket_us);
CREATE TABLE telemetry_rollup_bins (
  span_us bigint NOT NULL,
  bucket_us bigint NOT NULL,
  product_id bigint NOT NULL,
  data_group text NOT NULL,
  product_version text NOT NULL,
  has_red_flags smallint NOT NULL,
  nulls integer NOT NULL,
  bin integer NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (product_id, data_group, span_us, bucket_us, product_version, has_red_flags, nulls, bin)
);
CREATE INDEX telemetry_late ON telemetry (reported_at) WHERE ${LATE_SQL};
${rollupMergeSql('telemetry', 1).counts};
${rollupMergeSql('telemetry', 1).bins};`,
  },
  {
    version: 20,
    name: 'install-sketches',
    // Install sketches and first-seen machines (docs/decisions/0034-install-sketches.md): sketch
    // rows are appended by every insert (several per key until the maintenance pass merges them),
    // first-seen rows upserted keeping the earliest record time. Filled from the stored reports.
    sql: `
CREATE TABLE install_sketches (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id bigint NOT NULL,
  day integer NOT NULL,
  version text NOT NULL,
  os text NOT NULL,
  machines bytea NOT NULL,
  users bytea NOT NULL
);
CREATE INDEX install_sketches_key ON install_sketches (product_id, day, version, os);
CREATE TABLE install_first_seen (
  product_id bigint NOT NULL,
  activation_identifier text NOT NULL,
  first_time bigint NOT NULL,
  version text NOT NULL,
  os text NOT NULL,
  PRIMARY KEY (product_id, activation_identifier)
);
CREATE INDEX install_first_seen_time ON install_first_seen (product_id, first_time);
${INSTALL_SKETCHES_BACKFILL}`,
  },
  {
    version: 21,
    name: 'rollup-partitions',
    // The rollup tables partitioned by UTC month of their bucket (docs/decisions/0039-rollup-partitions.md):
    // the old tables renamed, the partitioned ones made with the same columns and keys (install_sketches'
    // primary key becomes (id, day): a key must hold the partition column), a DEFAULT partition
    // each, a partition for every month that holds rows and for this month and the next two,
    // the rows copied, the old tables dropped.
    sql: ROLLUP_PARTITIONS,
  },
  {
    version: 22,
    name: 'license-report-counts',
    // The per-license report counts (docs/decisions/0040-license-report-counts.md), as in SQLite
    // (migration 23): the table, filled from the stored reports (one GROUP BY), then the covering
    // index of migration 17 dropped from every partition. Kept by the insert statement from now on.
    sql: `
CREATE TABLE license_report_counts (
  product_id bigint NOT NULL,
  license_key text NOT NULL,
  reports bigint NOT NULL,
  flagged bigint NOT NULL,
  last_report_us bigint NOT NULL,
  PRIMARY KEY (product_id, license_key)
);
${licenseCountsMergeSql('telemetry', 1)};
DROP INDEX telemetry_license_reports;`,
  },
  {
    version: 23,
    name: 'retention-detached',
    // Expired telemetry partitions detached by a maintenance pass and not yet dropped
    // (docs/decisions/0041-maintenance-locks.md): how far their records' subtraction from the
    // rollups has gone, moved in the transaction of each range applied, so that a pass that stops
    // half-way is finished by the next one without subtracting anything twice. NULL: not begun.
    sql: `
CREATE TABLE retention_detached (
  name text PRIMARY KEY,
  bins_from_us bigint,
  counts_from_us bigint
);`,
  },
  {
    version: 24,
    name: 'install-new-machines',
    // The machines first seen per (product, day, version, OS) for sketched installs answers
    // (docs/decisions/0042-new-machine-counts.md), as SQLite (migration 24) but kept as delta rows
    // appended by statement-level triggers on install_first_seen, compacted by the maintenance pass.
    sql: PG_NEW_MACHINES,
  },
  {
    version: 25,
    name: 'alert-candidates',
    // The piracy alerts' candidates (docs/decisions/0043-alert-candidates.md), as in SQLite
    // (migration 25): the flagged value counts, their values in COLLATE "C" (byte order, the
    // alerts' tie order, summary-sql.ts) so that the walk's index order is the tie order; two
    // partial indexes of red-flagged records led by the value, covering an alert row (on every
    // partition); the counts filled from the stored reports.
    sql: `
CREATE TABLE flagged_value_counts (
  product_id bigint NOT NULL,
  data_group text NOT NULL,
  kind text NOT NULL,
  value text COLLATE "C" NOT NULL,
  flagged bigint NOT NULL,
  PRIMARY KEY (product_id, data_group, kind, value)
);
CREATE INDEX flagged_value_counts_walk ON flagged_value_counts (product_id, data_group, kind, flagged DESC, value);
CREATE INDEX telemetry_flagged_license_key ON telemetry (product_id, data_group, license_key, created_at)
  INCLUDE (reported_at, product_version, is_correct_format, product_exists, license_key_exists, product_version_exists, activation_exists, license_active)
  WHERE has_red_flags = 1;
CREATE INDEX telemetry_flagged_user_identifier ON telemetry (product_id, data_group, user_identifier, created_at)
  INCLUDE (reported_at, product_version, is_correct_format, product_exists, license_key_exists, product_version_exists, activation_exists, license_active)
  WHERE has_red_flags = 1;
${flaggedCountsMergeSql('telemetry', 1)};`,
  },
  {
    version: 26,
    name: 'telemetry-created-brin',
    // A BRIN index of created_at (docs/decisions/0044-created-at-brin.md): the raw edges of an
    // all-products read (the overview's partial hours and days) filter by time alone, which no
    // btree led by the time could serve, so each edge scanned its whole month partition (0.7–8 s
    // at 100M records). Records are stored in about the order of created_at, so block ranges
    // narrow an hour to a few hundred pages; the index costs a few pages and nearly nothing per insert.
    sql: `CREATE INDEX telemetry_created_brin ON telemetry USING brin (created_at);`,
  },
];
