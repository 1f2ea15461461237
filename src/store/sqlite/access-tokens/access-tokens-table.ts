import type Database from 'better-sqlite3';
import type { AccessToken } from '../../../model/access-tokens.js';
import { ACCESS_TOKEN_COLUMNS, type AccessTokenStore, type NewAccessToken } from '../../contract/access-token-store.js';
import { rethrowDuplicate } from '../tables/duplicate-error.js';

type InsertArgs = [number, string, string, string, string | null];

/** Personal API tokens in SQLite (AccessTokenStore); each call is one statement on this connection. */
export class SqliteAccessTokensTable implements AccessTokenStore {
  readonly #insert: Database.Statement<InsertArgs, AccessToken>;
  readonly #all: Database.Statement<[], AccessToken>;
  readonly #ofAccount: Database.Statement<[number], AccessToken>;
  readonly #byId: Database.Statement<[number], AccessToken>;
  readonly #byHash: Database.Statement<[string], AccessToken>;
  readonly #revoke: Database.Statement<[string, number]>;
  readonly #touch: Database.Statement<[string, number, string]>;

  constructor(db: Database.Database) {
    this.#insert = db.prepare<InsertArgs, AccessToken>(
      `INSERT INTO access_tokens (account_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING ${ACCESS_TOKEN_COLUMNS}`,
    );
    this.#all = db.prepare<[], AccessToken>(`SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens ORDER BY id`);
    this.#ofAccount = db.prepare<[number], AccessToken>(`SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens WHERE account_id = ? ORDER BY id`);
    this.#byId = db.prepare<[number], AccessToken>(`SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens WHERE id = ?`);
    this.#byHash = db.prepare<[string], AccessToken>(`SELECT ${ACCESS_TOKEN_COLUMNS} FROM access_tokens WHERE token_hash = ?`);
    this.#revoke = db.prepare<[string, number]>('UPDATE access_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    // Text comparison is time order: every stored time has the fixed toISOString form.
    this.#touch = db.prepare<[string, number, string]>('UPDATE access_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)');
  }

  async create(token: NewAccessToken): Promise<AccessToken> {
    const row = rethrowDuplicate('A token with this secret', () =>
      this.#insert.get(token.accountId, token.name, token.tokenHash, token.createdAt, token.expiresAt));
    if (row === undefined) throw new Error('INSERT … RETURNING gave no access token row');
    return row;
  }

  async list(accountId?: number): Promise<AccessToken[]> {
    return accountId === undefined ? this.#all.all() : this.#ofAccount.all(accountId);
  }

  async get(id: number): Promise<AccessToken | null> {
    return this.#byId.get(id) ?? null;
  }

  async findByHash(tokenHash: string): Promise<AccessToken | null> {
    return this.#byHash.get(tokenHash) ?? null;
  }

  async revoke(id: number, at: string): Promise<AccessToken | null> {
    this.#revoke.run(at, id);
    return this.#byId.get(id) ?? null;
  }

  async touch(id: number, at: string): Promise<void> {
    this.#touch.run(at, id, at);
  }
}
