import type Database from 'better-sqlite3';
import type { ApiKey, ApiKeySignatureScheme } from '../../../model/registry.js';
import { API_KEY_COLUMNS } from '../../contract/registry-columns.js';
import { latestUses } from '../../contract/api-key-uses.js';
import type { ApiKeyUse, NewApiKey } from '../../contract/store.js';
import { toApiKey, type ApiKeyRow } from './registry-rows.js';
import { rethrowDuplicate } from './duplicate-error.js';

type ApiKeyArgs = [string, string, string, string, string, string, string | null, string | null, ApiKeySignatureScheme];

/** API keys, found by the hash of their secret; revoked keys stay for audit. */
export class SqliteApiKeysTable {
  readonly #insert: Database.Statement<ApiKeyArgs, ApiKeyRow>;
  readonly #byHash: Database.Statement<[string], ApiKeyRow>;
  readonly #all: Database.Statement<[], ApiKeyRow>;
  readonly #setActive: Database.Statement<[number, number]>;
  readonly #revoke: Database.Statement<[number]>;
  readonly #setExpiry: Database.Statement<[string | null, number]>;
  readonly #setScheme: Database.Statement<[ApiKeySignatureScheme, number]>;
  readonly #touchMany: (uses: readonly ApiKeyUse[]) => void;

  constructor(db: Database.Database) {
    this.#insert = db.prepare<ApiKeyArgs, ApiKeyRow>(
      `INSERT INTO api_keys (name, secret_hash, capabilities, products, allowed_ips, created_at, expires_at, configured_expires_at, signature_scheme)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${API_KEY_COLUMNS}`,
    );
    this.#byHash = db.prepare<[string], ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE secret_hash = ?`);
    this.#all = db.prepare<[], ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY id`);
    this.#setActive = db.prepare<[number, number]>('UPDATE api_keys SET active = ? WHERE id = ?');
    this.#revoke = db.prepare<[number]>('UPDATE api_keys SET revoked = 1 WHERE id = ?');
    this.#setExpiry = db.prepare<[string | null, number]>('UPDATE api_keys SET expires_at = ? WHERE id = ?');
    this.#setScheme = db.prepare<[ApiKeySignatureScheme, number]>('UPDATE api_keys SET signature_scheme = ? WHERE id = ?');
    // Text comparison is time order: every stored time has the fixed toISOString form.
    const touch = db.prepare<[string, number, string]>(
      'UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)',
    );
    this.#touchMany = db.transaction((uses: readonly ApiKeyUse[]) => {
      for (const use of uses) touch.run(use.at, use.id, use.at);
    });
  }

  /** Throws DuplicateError when another key has the same secret hash. */
  create(input: NewApiKey): ApiKey {
    const row = rethrowDuplicate('An API key with this secret', () =>
      this.#insert.get(
        input.name,
        input.secret_hash,
        JSON.stringify(input.capabilities),
        JSON.stringify(input.products),
        JSON.stringify(input.allowed_ips),
        new Date().toISOString(),
        input.expires_at ?? null,
        input.expires_at ?? null,
        input.signature_scheme ?? 'auto',
      ),
    );
    if (row === undefined) throw new Error('INSERT … RETURNING gave no API key row');
    return toApiKey(row);
  }

  findByHash(secretHash: string): ApiKey | null {
    const row = this.#byHash.get(secretHash);
    return row === undefined ? null : toApiKey(row);
  }

  list(): ApiKey[] {
    return this.#all.all().map(toApiKey);
  }

  setActive(id: number, active: boolean): boolean {
    return this.#setActive.run(active ? 1 : 0, id).changes > 0;
  }

  revoke(id: number): boolean {
    return this.#revoke.run(id).changes > 0;
  }

  setExpiry(id: number, expiresAt: string | null): boolean {
    return this.#setExpiry.run(expiresAt, id).changes > 0;
  }

  setSignatureScheme(id: number, scheme: ApiKeySignatureScheme): boolean {
    return this.#setScheme.run(scheme, id).changes > 0;
  }

  /** One transaction; a last_used_at never moves backwards. */
  touch(uses: readonly ApiKeyUse[]): void {
    const latest = latestUses(uses);
    if (latest.length > 0) this.#touchMany(latest);
  }
}
