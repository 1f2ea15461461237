import type pg from 'pg';
import type { AccessToken } from '../../model/access-tokens.js';
import { ACCESS_TOKEN_COLUMNS, type AccessTokenStore, type NewAccessToken } from '../contract/access-token-store.js';
import { rethrowDuplicate } from './duplicate-error.js';
import { changedRows, selectRow, selectRows } from './statements.js';

const INSERT_SQL = `INSERT INTO access_tokens (account_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
  RETURNING ${ACCESS_TOKEN_COLUMNS}`;
// COLLATE "C" makes text order time order (fixed toISOString form); a last use never moves backwards.
const TOUCH_SQL = `UPDATE access_tokens SET last_used_at = $1
  WHERE id = $2 AND (last_used_at IS NULL OR last_used_at COLLATE "C" < $1 COLLATE "C")`;

/** Personal API tokens in PostgreSQL (AccessTokenStore); each call is one statement. */
export class PgAccessTokensTable implements AccessTokenStore {
  readonly #db: pg.Pool;

  constructor(db: pg.Pool) {
    this.#db = db;
  }

  async create(token: NewAccessToken): Promise<AccessToken> {
    const args = [token.accountId, token.name, token.tokenHash, token.createdAt, token.expiresAt];
    const row = await rethrowDuplicate('A token with this secret', () => selectRow<AccessToken>(this.#db, INSERT_SQL, args));
    if (row === null) throw new Error('INSERT … RETURNING gave no access token row');
    return row;
  }

  async list(accountId?: number): Promise<AccessToken[]> {
    return accountId === undefined
      ? selectRows<AccessToken>(this.#db, `SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens ORDER BY id`)
      : selectRows<AccessToken>(this.#db, `SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens WHERE account_id = $1 ORDER BY id`, [accountId]);
  }

  async get(id: number): Promise<AccessToken | null> {
    return selectRow<AccessToken>(this.#db, `SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens WHERE id = $1`, [id]);
  }

  async findByHash(tokenHash: string): Promise<AccessToken | null> {
    return selectRow<AccessToken>(this.#db, `SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens WHERE token_hash = $1`, [tokenHash]);
  }

  async revoke(id: number, at: string): Promise<AccessToken | null> {
    await changedRows(this.#db, 'UPDATE access_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id]);
    return this.get(id);
  }

  async touch(id: number, at: string): Promise<void> {
    await changedRows(this.#db, TOUCH_SQL, [at, id]);
  }
}
