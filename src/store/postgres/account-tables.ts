import type pg from 'pg';
import { accountNameKey, LastOwnerError, type Account, type AccountWithHash } from '../../model/account-record.js';
import { accountOf, accountWithHash, ACCOUNT_COLUMNS, changedRow, endsSessions, productsColumn, type AccountRow } from '../contract/account-rows.js';
import type { AccountChanges, AccountStore, NewAccount, NewSession, StoredSession } from '../contract/account-store.js';
import { rethrowDuplicate } from './duplicate-error.js';
import { changedRows, inTransaction, selectRow, selectRows, type PgRunner } from './statements.js';

const INSERT_COLUMNS = 'name, name_key, role, products, password_hash, disabled, created_at, updated_at';
const OWNERS = "SELECT count(*)::int AS n FROM accounts WHERE role = 'owner' AND disabled = 0";

type SessionRow = { id_hash: string; account_id: string | null; created_at: string; expires_at: string } & Partial<Record<`a_${keyof AccountRow}`, unknown>>;

/** Accounts, sessions and setup codes in PostgreSQL. */
export class PgAccountTables implements AccountStore {
  readonly #db: pg.Pool;

  constructor(db: pg.Pool) {
    this.#db = db;
  }

  async create(input: NewAccount): Promise<Account> {
    const row = await rethrowDuplicate('An account with this name', () =>
      selectRow<AccountRow>(this.#db, `INSERT INTO accounts (${INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, 0, $6, $6) RETURNING ${ACCOUNT_COLUMNS}`, insertArgs(input)),
    );
    if (row === null) throw new Error('INSERT … RETURNING gave no account row');
    return accountOf(row);
  }

  /** The table is locked for the check and the insert, so two first owners cannot both be made. */
  async createIfNone(input: NewAccount): Promise<Account | null> {
    return inTransaction(this.#db, async (client) => {
      await client.query('LOCK TABLE accounts IN EXCLUSIVE MODE');
      const row = await selectRow<AccountRow>(
        client,
        `INSERT INTO accounts (${INSERT_COLUMNS}) SELECT $1, $2, $3, $4, $5, 0, $6, $6 WHERE NOT EXISTS (SELECT 1 FROM accounts) RETURNING ${ACCOUNT_COLUMNS}`,
        insertArgs(input),
      );
      return row === null ? null : accountOf(row);
    });
  }

  async get(id: number): Promise<Account | null> {
    const row = await getRow(this.#db, id);
    return row === null ? null : accountOf(row);
  }

  async findByName(name: string): Promise<AccountWithHash | null> {
    const row = await selectRow<AccountRow>(this.#db, `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE name_key = $1`, [accountNameKey(name)]);
    return row === null ? null : accountWithHash(row);
  }

  async list(): Promise<Account[]> {
    return (await selectRows<AccountRow>(this.#db, `SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY id`)).map(accountOf);
  }

  async count(): Promise<number> {
    return (await selectRow<{ n: number }>(this.#db, 'SELECT count(*)::int AS n FROM accounts'))?.n ?? 0;
  }

  /** Account writes lock the table (reads go on), so the owner count each change checks is current. */
  async update(id: number, changes: AccountChanges, at: string): Promise<Account | null> {
    return rethrowDuplicate('An account with this name', () =>
      inTransaction(this.#db, async (client) => {
        await client.query('LOCK TABLE accounts IN EXCLUSIVE MODE');
        const row = await getRow(client, id);
        if (row === null) return null;
        const ownersBefore = (await selectRow<{ n: number }>(client, OWNERS))?.n ?? 0;
        const updated = await selectRow<AccountRow>(
          client,
          `UPDATE accounts SET name = $1, name_key = $2, role = $3, products = $4, password_hash = $5, disabled = $6, updated_at = $7 WHERE id = $8 RETURNING ${ACCOUNT_COLUMNS}`,
          [...changedRow(accountWithHash(row), changes, accountNameKey), at, id],
        );
        if (ownersBefore > 0 && ((await selectRow<{ n: number }>(client, OWNERS))?.n ?? 0) === 0) throw new LastOwnerError();
        if (endsSessions(changes)) await client.query('DELETE FROM sessions WHERE account_id = $1', [id]);
        return updated === null ? null : accountOf(updated);
      }),
    );
  }

  async recordLogin(id: number, at: string): Promise<void> {
    await this.#db.query('UPDATE accounts SET last_login_at = $1 WHERE id = $2', [at, id]);
  }

  async createSession(session: NewSession): Promise<void> {
    await this.#db.query('INSERT INTO sessions (id_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
      session.id_hash, session.account_id, session.created_at_ms, session.expires_at_ms,
    ]);
  }

  /** One round trip: the session and its account, joined. */
  async findSession(idHash: string, nowMs: number): Promise<StoredSession | null> {
    const prefixed = ACCOUNT_COLUMNS.split(', ').map((column) => `a.${column} AS a_${column}`).join(', ');
    const row = await selectRow<SessionRow>(
      this.#db,
      `SELECT s.id_hash, s.account_id, s.created_at, s.expires_at, ${prefixed} FROM sessions s LEFT JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = $1 AND s.expires_at > $2`,
      [idHash, nowMs],
    );
    if (row === null) return null;
    const account = row.a_id === null || row.a_id === undefined ? null : accountOf(unprefixed(row));
    if (row.account_id !== null && account === null) return null;
    return { id_hash: row.id_hash, account_id: row.account_id === null ? null : Number(row.account_id), created_at_ms: Number(row.created_at), expires_at_ms: Number(row.expires_at), account };
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteSessionsOf(accountId: number | null): Promise<number> {
    return accountId === null
      ? changedRows(this.#db, 'DELETE FROM sessions WHERE account_id IS NULL')
      : changedRows(this.#db, 'DELETE FROM sessions WHERE account_id = $1', [accountId]);
  }

  async deleteExpiredSessions(nowMs: number): Promise<number> {
    return changedRows(this.#db, 'DELETE FROM sessions WHERE expires_at <= $1', [nowMs]);
  }

  async saveSetupCode(codeHash: string, expiresAtMs: number): Promise<void> {
    await this.#db.query('INSERT INTO setup_codes (code_hash, expires_at) VALUES ($1, $2)', [codeHash, expiresAtMs]);
  }

  async takeSetupCode(codeHash: string, nowMs: number): Promise<boolean> {
    return (await changedRows(this.#db, 'DELETE FROM setup_codes WHERE code_hash = $1 AND expires_at > $2', [codeHash, nowMs])) > 0;
  }
}

function getRow(db: PgRunner, id: number): Promise<AccountRow | null> {
  return selectRow<AccountRow>(db, `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [id]);
}

function unprefixed(row: SessionRow): AccountRow {
  const entries = ACCOUNT_COLUMNS.split(', ').map((column) => [column, row[`a_${column}` as `a_${keyof AccountRow}`]]);
  return Object.fromEntries(entries) as AccountRow;
}

function insertArgs(input: NewAccount): unknown[] {
  return [input.name, accountNameKey(input.name), input.role, productsColumn(input.products), input.password_hash, new Date().toISOString()];
}
