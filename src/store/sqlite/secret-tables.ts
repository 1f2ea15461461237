import type Database from 'better-sqlite3';
import type { SecretStore, StoredSigningKey } from '../store.js';

const KEY_COLUMNS = 'scope, algorithm, private_pem, public_pem, created_at';

type KeyArgs = [string, string, string, string, string];

/** Signing keys (one per scope, first writer wins) and named settings such as the admin token hash. */
export class SqliteSecretTables implements SecretStore {
  readonly #getKey: Database.Statement<[string], StoredSigningKey>;
  readonly #insertKey: Database.Statement<KeyArgs>;
  readonly #getSetting: Database.Statement<[string], string>;
  readonly #setSetting: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.#getKey = db.prepare<[string], StoredSigningKey>(`SELECT ${KEY_COLUMNS} FROM signing_keys WHERE scope = ?`);
    this.#insertKey = db.prepare<KeyArgs>(`INSERT OR IGNORE INTO signing_keys (${KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?)`);
    this.#getSetting = db.prepare<[string], string>('SELECT value FROM settings WHERE name = ?').pluck();
    this.#setSetting = db.prepare<[string, string]>(
      'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    );
  }

  async getSigningKey(scope: string): Promise<StoredSigningKey | null> {
    return this.#getKey.get(scope) ?? null;
  }

  /** INSERT OR IGNORE then read back: whichever process wrote first, every caller gets that key. */
  async saveSigningKeyIfAbsent(key: StoredSigningKey): Promise<StoredSigningKey> {
    this.#insertKey.run(key.scope, key.algorithm, key.private_pem, key.public_pem, key.created_at);
    const stored = this.#getKey.get(key.scope);
    if (stored === undefined) throw new Error(`The signing key for "${key.scope}" cannot be read back`);
    return stored;
  }

  async getSetting(name: string): Promise<string | null> {
    return this.#getSetting.get(name) ?? null;
  }

  async setSetting(name: string, value: string): Promise<void> {
    this.#setSetting.run(name, value);
  }
}
