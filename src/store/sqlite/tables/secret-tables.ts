import type Database from 'better-sqlite3';
import { SIGNING_KEY_COLUMNS, SIGNING_KEY_ORDER } from '../../contract/registry-columns.js';
import type { NewSigningKey, SecretStore, StoredSigningKey } from '../../contract/store.js';

type KeyArgs = [string, string, string, string, string, string];

/** Signing keys (several per scope, exactly one current) and named settings such as the admin token hash. */
export class SqliteSecretTables implements SecretStore {
  readonly #db: Database.Database;
  readonly #getKey: Database.Statement<[string], StoredSigningKey>;
  readonly #currentKeys: Database.Statement<[], StoredSigningKey>;
  readonly #scopeKeys: Database.Statement<[string], StoredSigningKey>;
  readonly #allKeys: Database.Statement<[], StoredSigningKey>;
  readonly #insertKey: Database.Statement<KeyArgs>;
  readonly #retire: Database.Statement<[string, string]>;
  readonly #getSetting: Database.Statement<[string], string>;
  readonly #setSetting: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#getKey = db.prepare<[string], StoredSigningKey>(`SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys WHERE scope = ? AND retired_at IS NULL`);
    this.#currentKeys = db.prepare<[], StoredSigningKey>(`SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys WHERE retired_at IS NULL ORDER BY ${SIGNING_KEY_ORDER}`);
    this.#scopeKeys = db.prepare<[string], StoredSigningKey>(`SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys WHERE scope = ? ORDER BY ${SIGNING_KEY_ORDER}`);
    this.#allKeys = db.prepare<[], StoredSigningKey>(`SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys ORDER BY ${SIGNING_KEY_ORDER}`);
    // OR IGNORE also covers the partial unique index on the current key of a scope.
    this.#insertKey = db.prepare<KeyArgs>(
      `INSERT OR IGNORE INTO signing_keys (${SIGNING_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL)`,
    );
    this.#retire = db.prepare<[string, string]>('UPDATE signing_keys SET retired_at = ? WHERE scope = ? AND retired_at IS NULL');
    this.#getSetting = db.prepare<[string], string>('SELECT value FROM settings WHERE name = ?').pluck();
    this.#setSetting = db.prepare<[string, string]>(
      'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    );
  }

  async getSigningKey(scope: string): Promise<StoredSigningKey | null> {
    return this.#getKey.get(scope) ?? null;
  }

  async currentSigningKeys(): Promise<StoredSigningKey[]> {
    return this.#currentKeys.all();
  }

  async listSigningKeys(scope?: string): Promise<StoredSigningKey[]> {
    return scope === undefined ? this.#allKeys.all() : this.#scopeKeys.all(scope);
  }

  /** INSERT OR IGNORE then read back: whichever process wrote first, every caller gets that key. */
  async saveSigningKeyIfAbsent(key: NewSigningKey): Promise<StoredSigningKey> {
    this.#insert(key);
    const stored = this.#getKey.get(key.scope);
    if (stored === undefined) throw new Error(`The signing key for "${key.scope}" cannot be read back`);
    return stored;
  }

  /** One IMMEDIATE transaction: a rotation in another process waits for this one. */
  async rotateSigningKey(key: NewSigningKey): Promise<StoredSigningKey | null> {
    const rotate = this.#db.transaction((): StoredSigningKey | null => {
      if (this.#retire.run(key.created_at, key.scope).changes === 0) return null;
      this.#insert(key);
      return this.#getKey.get(key.scope) ?? null;
    });
    return rotate.immediate();
  }

  async getSetting(name: string): Promise<string | null> {
    return this.#getSetting.get(name) ?? null;
  }

  async setSetting(name: string, value: string): Promise<void> {
    this.#setSetting.run(name, value);
  }

  #insert(key: NewSigningKey): void {
    this.#insertKey.run(key.key_id, key.scope, key.algorithm, key.private_pem, key.public_pem, key.created_at);
  }
}
