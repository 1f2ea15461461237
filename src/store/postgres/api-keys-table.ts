import type pg from 'pg';
import type { ApiKey, ApiKeySignatureScheme } from '../../model/registry.js';
import { API_KEY_COLUMNS } from '../contract/registry-columns.js';
import { latestUses } from '../contract/api-key-uses.js';
import type { ApiKeyUse, NewApiKey } from '../contract/store.js';
import { rethrowDuplicate } from './duplicate-error.js';
import { changedRows, selectRow, selectRows } from './statements.js';

// json columns come back parsed and booleans as booleans: rows already have the domain shape.
const INSERT_SQL = `INSERT INTO api_keys (name, secret_hash, capabilities, products, allowed_ips, created_at, expires_at, configured_expires_at, signature_scheme)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING ${API_KEY_COLUMNS}`;

// One statement for every use; COLLATE "C" makes text order time order (fixed toISOString form).
const TOUCH_SQL = `UPDATE api_keys AS k SET last_used_at = u.at
  FROM unnest($1::bigint[], $2::text[]) AS u(id, at)
  WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at COLLATE "C" < u.at COLLATE "C")`;

/** API keys in PostgreSQL, found by the hash of their secret; revoked keys stay for audit. */
export class PgApiKeysTable {
  readonly #db: pg.Pool;

  constructor(db: pg.Pool) {
    this.#db = db;
  }

  /** Throws DuplicateError when another key has the same secret hash. */
  async create(input: NewApiKey): Promise<ApiKey> {
    const args = [
      input.name, input.secret_hash, JSON.stringify(input.capabilities), JSON.stringify(input.products),
      JSON.stringify(input.allowed_ips), new Date().toISOString(), input.expires_at ?? null,
      input.signature_scheme ?? 'auto',
    ];
    const row = await rethrowDuplicate('An API key with this secret', () => selectRow<ApiKey>(this.#db, INSERT_SQL, args));
    if (row === null) throw new Error('INSERT … RETURNING gave no API key row');
    return row;
  }

  async findByHash(secretHash: string): Promise<ApiKey | null> {
    return selectRow<ApiKey>(this.#db, `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE secret_hash = $1`, [secretHash]);
  }

  async list(): Promise<ApiKey[]> {
    return selectRows<ApiKey>(this.#db, `SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY id`);
  }

  async setActive(id: number, active: boolean): Promise<boolean> {
    return (await changedRows(this.#db, 'UPDATE api_keys SET active = $1 WHERE id = $2', [active, id])) > 0;
  }

  async revoke(id: number): Promise<boolean> {
    return (await changedRows(this.#db, 'UPDATE api_keys SET revoked = true WHERE id = $1', [id])) > 0;
  }

  async setExpiry(id: number, expiresAt: string | null): Promise<boolean> {
    return (await changedRows(this.#db, 'UPDATE api_keys SET expires_at = $1 WHERE id = $2', [expiresAt, id])) > 0;
  }

  async setSignatureScheme(id: number, scheme: ApiKeySignatureScheme): Promise<boolean> {
    return (await changedRows(this.#db, 'UPDATE api_keys SET signature_scheme = $1 WHERE id = $2', [scheme, id])) > 0;
  }

  /** One statement (so one transaction); a last_used_at never moves backwards. */
  async touch(uses: readonly ApiKeyUse[]): Promise<void> {
    const latest = latestUses(uses);
    if (latest.length === 0) return;
    await this.#db.query(TOUCH_SQL, [latest.map((use) => use.id), latest.map((use) => use.at)]);
  }
}
