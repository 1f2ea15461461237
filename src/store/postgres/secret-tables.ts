import type pg from 'pg';
import { SIGNING_KEY_COLUMNS, SIGNING_KEY_ORDER } from '../contract/registry-columns.js';
import type { NewSigningKey, SecretStore, StoredSigningKey } from '../contract/store.js';
import { inTransaction, selectRow, selectRows, type PgRunner } from './statements.js';

const CURRENT_KEY = `SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys WHERE scope = $1 AND retired_at IS NULL`;

/** Signing keys (several per scope, exactly one current) and named settings, in PostgreSQL. */
export class PgSecretTables implements SecretStore {
  readonly #db: pg.Pool;

  constructor(db: pg.Pool) {
    this.#db = db;
  }

  async getSigningKey(scope: string): Promise<StoredSigningKey | null> {
    return selectRow<StoredSigningKey>(this.#db, CURRENT_KEY, [scope]);
  }

  async currentSigningKeys(): Promise<StoredSigningKey[]> {
    return selectRows<StoredSigningKey>(this.#db, `SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys WHERE retired_at IS NULL ORDER BY ${SIGNING_KEY_ORDER}`);
  }

  async listSigningKeys(scope?: string): Promise<StoredSigningKey[]> {
    return scope === undefined
      ? selectRows<StoredSigningKey>(this.#db, `SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys ORDER BY ${SIGNING_KEY_ORDER}`)
      : selectRows<StoredSigningKey>(this.#db, `SELECT ${SIGNING_KEY_COLUMNS} FROM signing_keys WHERE scope = $1 ORDER BY ${SIGNING_KEY_ORDER}`, [scope]);
  }

  /**
   * INSERT … ON CONFLICT DO NOTHING (the partial unique index allows one current key per scope)
   * then read back: whichever process wrote first, every caller gets that key.
   */
  async saveSigningKeyIfAbsent(key: NewSigningKey): Promise<StoredSigningKey> {
    await insertKey(this.#db, key);
    const stored = await this.getSigningKey(key.scope);
    if (stored === null) throw new Error(`The signing key for "${key.scope}" cannot be read back`);
    return stored;
  }

  /** A transaction-scoped advisory lock per scope makes concurrent rotations run one after the other. */
  async rotateSigningKey(key: NewSigningKey): Promise<StoredSigningKey | null> {
    return inTransaction(this.#db, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('tally.signing_keys:' || $1))", [key.scope]);
      const retired = await client.query(
        'UPDATE signing_keys SET retired_at = $1 WHERE scope = $2 AND retired_at IS NULL',
        [key.created_at, key.scope],
      );
      if ((retired.rowCount ?? 0) === 0) return null;
      await insertKey(client, key);
      return selectRow<StoredSigningKey>(client, CURRENT_KEY, [key.scope]);
    });
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

async function insertKey(db: PgRunner, key: NewSigningKey): Promise<void> {
  await db.query(
    `INSERT INTO signing_keys (${SIGNING_KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, NULL) ON CONFLICT DO NOTHING`,
    [key.key_id, key.scope, key.algorithm, key.private_pem, key.public_pem, key.created_at],
  );
}
