/** One step of the schema. Versions only grow; an applied migration is never edited. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

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
 * The SQLite schema, in order. Add a new entry to change the schema; never edit one that has
 * shipped, because databases in the field have already recorded it as applied.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'telemetry', sql: TELEMETRY },
  { version: 2, name: 'registry', sql: REGISTRY },
  { version: 3, name: 'secrets', sql: SECRETS },
];
