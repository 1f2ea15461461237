import type pg from 'pg';
import type { SecretStore, StoredSigningKey } from '../store.js';
import { selectRow } from './pg-rows.js';

const KEY_COLUMNS = 'scope, algorithm, private_pem, public_pem, created_at';

/** Signing keys (one per scope, first writer wins) and named settings, in PostgreSQL. */
export class PgSecretTables implements SecretStore {
  readonly #db: pg.Pool;

  constructor(db: pg.Pool) {
    this.#db = db;
  }

  async getSigningKey(scope: string): Promise<StoredSigningKey | null> {
    return selectRow<StoredSigningKey>(this.#db, `SELECT ${KEY_COLUMNS} FROM signing_keys WHERE scope = $1`, [scope]);
  }

  /** INSERT … ON CONFLICT DO NOTHING then read back: whichever process wrote first, every caller gets that key. */
  async saveSigningKeyIfAbsent(key: StoredSigningKey): Promise<StoredSigningKey> {
    await this.#db.query(
      `INSERT INTO signing_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scope) DO NOTHING`,
      [key.scope, key.algorithm, key.private_pem, key.public_pem, key.created_at],
    );
    const stored = await this.getSigningKey(key.scope);
    if (stored === null) throw new Error(`The signing key for "${key.scope}" cannot be read back`);
    return stored;
  }

  async getSetting(name: string): Promise<string | null> {
    const row = await selectRow<{ value: string }>(this.#db, 'SELECT value FROM settings WHERE name = $1', [name]);
    return row?.value ?? null;
  }

  async setSetting(name: string, value: string): Promise<void> {
    await this.#db.query(
      'INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      [name, value],
    );
  }
}
