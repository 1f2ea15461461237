import type Database from 'better-sqlite3';
import { accountNameKey, LastOwnerError, type Account, type AccountWithHash } from '../../../model/account-record.js';
import { accountOf, accountWithHash, ACCOUNT_COLUMNS, changedRow, endsSessions, productsColumn, type AccountRow } from '../../contract/account-rows.js';
import type { AccountChanges, AccountStore, NewAccount, NewSession, StoredSession } from '../../contract/account-store.js';
import { rethrowDuplicate } from '../tables/duplicate-error.js';

type InsertArgs = [string, string, string, string | null, string, string, string];
type SessionRow = { id_hash: string; account_id: number | null; created_at: number; expires_at: number };

const INSERT = `INSERT INTO accounts (name, name_key, role, products, password_hash, disabled, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, 0, ?, ?) RETURNING ${ACCOUNT_COLUMNS}`;

/** Accounts, sessions and setup codes in SQLite; the synchronous driver's answers wrapped in promises. */
export class SqliteAccountTables implements AccountStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<InsertArgs, AccountRow>;
  readonly #insertIfNone: Database.Statement<InsertArgs, AccountRow>;
  readonly #get: Database.Statement<[number], AccountRow>;
  readonly #byName: Database.Statement<[string], AccountRow>;
  readonly #list: Database.Statement<[], AccountRow>;
  readonly #count: Database.Statement<[], number>;
  readonly #owners: Database.Statement<[], number>;
  readonly #update: Database.Statement<[string, string, string, string | null, string, number, string, number]>;
  readonly #login: Database.Statement<[string, number]>;
  readonly #insertSession: Database.Statement<[string, number | null, number, number]>;
  readonly #session: Database.Statement<[string, number], SessionRow>;
  readonly #deleteSession: Database.Statement<[string]>;
  readonly #deleteAccountSessions: Database.Statement<[number]>;
  readonly #deleteTokenSessions: Database.Statement<[]>;
  readonly #deleteExpired: Database.Statement<[number]>;
  readonly #saveCode: Database.Statement<[string, number]>;
  readonly #takeCode: Database.Statement<[string, number]>;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insert = db.prepare<InsertArgs, AccountRow>(INSERT);
    this.#insertIfNone = db.prepare<InsertArgs, AccountRow>(
      `INSERT INTO accounts (name, name_key, role, products, password_hash, disabled, created_at, updated_at)
       SELECT ?, ?, ?, ?, ?, 0, ?, ? WHERE NOT EXISTS (SELECT 1 FROM accounts) RETURNING ${ACCOUNT_COLUMNS}`,
    );
    this.#get = db.prepare<[number], AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ?`);
    this.#byName = db.prepare<[string], AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE name_key = ?`);
    this.#list = db.prepare<[], AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY id`);
    this.#count = db.prepare<[], number>('SELECT count(*) FROM accounts').pluck();
    this.#owners = db.prepare<[], number>("SELECT count(*) FROM accounts WHERE role = 'owner' AND disabled = 0").pluck();
    this.#update = db.prepare(
      'UPDATE accounts SET name = ?, name_key = ?, role = ?, products = ?, password_hash = ?, disabled = ?, updated_at = ? WHERE id = ?',
    );
    this.#login = db.prepare('UPDATE accounts SET last_login_at = ? WHERE id = ?');
    this.#insertSession = db.prepare('INSERT INTO sessions (id_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
    this.#session = db.prepare<[string, number], SessionRow>('SELECT id_hash, account_id, created_at, expires_at FROM sessions WHERE id_hash = ? AND expires_at > ?');
    this.#deleteSession = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
    this.#deleteAccountSessions = db.prepare('DELETE FROM sessions WHERE account_id = ?');
    this.#deleteTokenSessions = db.prepare('DELETE FROM sessions WHERE account_id IS NULL');
    this.#deleteExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
    this.#saveCode = db.prepare('INSERT INTO setup_codes (code_hash, expires_at) VALUES (?, ?)');
    this.#takeCode = db.prepare('DELETE FROM setup_codes WHERE code_hash = ? AND expires_at > ?');
  }

  async create(input: NewAccount): Promise<Account> {
    const row = rethrowDuplicate('An account with this name', () => this.#insert.get(...insertArgs(input)));
    if (row === undefined) throw new Error('INSERT … RETURNING gave no account row');
    return accountOf(row);
  }

  async createIfNone(input: NewAccount): Promise<Account | null> {
    const row = this.#insertIfNone.get(...insertArgs(input));
    return row === undefined ? null : accountOf(row);
  }

  async get(id: number): Promise<Account | null> {
    const row = this.#get.get(id);
    return row === undefined ? null : accountOf(row);
  }

  async findByName(name: string): Promise<AccountWithHash | null> {
    const row = this.#byName.get(accountNameKey(name));
    return row === undefined ? null : accountWithHash(row);
  }

  async list(): Promise<Account[]> {
    return this.#list.all().map(accountOf);
  }

  async count(): Promise<number> {
    return this.#count.get() ?? 0;
  }

  /** One IMMEDIATE transaction: a change in another process waits, so the owner count it checks is current. */
  async update(id: number, changes: AccountChanges, at: string): Promise<Account | null> {
    const apply = this.#db.transaction((): Account | null => {
      const row = this.#get.get(id);
      if (row === undefined) return null;
      const ownersBefore = this.#owners.get() ?? 0;
      rethrowDuplicate('An account with this name', () => this.#update.run(...changedRow(accountWithHash(row), changes, accountNameKey), at, id));
      if (ownersBefore > 0 && (this.#owners.get() ?? 0) === 0) throw new LastOwnerError();
      if (endsSessions(changes)) this.#deleteAccountSessions.run(id);
      const updated = this.#get.get(id);
      return updated === undefined ? null : accountOf(updated);
    });
    return apply.immediate();
  }

  async recordLogin(id: number, at: string): Promise<void> {
    this.#login.run(at, id);
  }

  async createSession(session: NewSession): Promise<void> {
    this.#insertSession.run(session.id_hash, session.account_id, session.created_at_ms, session.expires_at_ms);
  }

  async findSession(idHash: string, nowMs: number): Promise<StoredSession | null> {
    const row = this.#session.get(idHash, nowMs);
    if (row === undefined) return null;
    const account = row.account_id === null ? null : await this.get(row.account_id);
    if (row.account_id !== null && account === null) return null;
    return { id_hash: row.id_hash, account_id: row.account_id, created_at_ms: row.created_at, expires_at_ms: row.expires_at, account };
  }

  async deleteSession(idHash: string): Promise<void> {
    this.#deleteSession.run(idHash);
  }

  async deleteSessionsOf(accountId: number | null): Promise<number> {
    return (accountId === null ? this.#deleteTokenSessions.run() : this.#deleteAccountSessions.run(accountId)).changes;
  }

  async deleteExpiredSessions(nowMs: number): Promise<number> {
    return this.#deleteExpired.run(nowMs).changes;
  }

  async saveSetupCode(codeHash: string, expiresAtMs: number): Promise<void> {
    this.#saveCode.run(codeHash, expiresAtMs);
  }

  async takeSetupCode(codeHash: string, nowMs: number): Promise<boolean> {
    return this.#takeCode.run(codeHash, nowMs).changes > 0;
  }
}

function insertArgs(input: NewAccount): InsertArgs {
  const now = new Date().toISOString();
  return [input.name, accountNameKey(input.name), input.role, productsColumn(input.products), input.password_hash, now, now];
}
