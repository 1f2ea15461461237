import type Database from 'better-sqlite3';
import type { Activation, License } from '../../../model/registry.js';
import { ACTIVATION_COLUMNS, LICENSE_COLUMNS } from '../../contract/registry-columns.js';
import type { NewLicense } from '../../contract/store.js';
import { rethrowDuplicate } from './duplicate-error.js';

type LicenseArgs = [number, string, string, string | null, number | null, string, string];

/** Licenses (unique per product + key) and the activations recorded against them. */
export class SqliteLicensesTable {
  readonly #insert: Database.Statement<LicenseArgs, License>;
  readonly #upsert: Database.Statement<LicenseArgs>;
  readonly #insertNew: Database.Statement<LicenseArgs>;
  readonly #byKey: Database.Statement<[string], License>;
  readonly #insertActivation: Database.Statement<[number, string, string]>;
  readonly #getActivation: Database.Statement<[number, string], Activation>;
  readonly #import: (inputs: readonly NewLicense[], update: boolean) => number;
  readonly #activate: (licenseId: number, identifier: string) => Activation;

  constructor(db: Database.Database) {
    const insertSql = 'INSERT INTO licenses (product_id, key, status, expires_at, max_activations, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)';
    this.#insert = db.prepare<LicenseArgs, License>(`${insertSql} RETURNING ${LICENSE_COLUMNS}`);
    // Revoking is final: an import over a revoked license leaves its status revoked.
    this.#upsert = db.prepare<LicenseArgs>(
      `${insertSql} ON CONFLICT (product_id, key) DO UPDATE SET status = CASE WHEN status = 'revoked' THEN 'revoked' ELSE excluded.status END,
       expires_at = excluded.expires_at, max_activations = excluded.max_activations, updated_at = excluded.updated_at`,
    );
    this.#insertNew = db.prepare<LicenseArgs>(`${insertSql} ON CONFLICT (product_id, key) DO NOTHING`);
    this.#byKey = db.prepare<[string], License>(`SELECT ${LICENSE_COLUMNS} FROM licenses WHERE key = ? ORDER BY id`);
    this.#insertActivation = db.prepare<[number, string, string]>(
      `INSERT INTO activations (license_id, identifier, created_at) VALUES (?, ?, ?)
       ON CONFLICT (license_id, identifier) DO UPDATE SET deactivated_at = NULL WHERE deactivated_at IS NOT NULL`,
    );
    this.#getActivation = db.prepare<[number, string], Activation>(
      `SELECT ${ACTIVATION_COLUMNS} FROM activations WHERE license_id = ? AND identifier = ?`,
    );
    this.#import = db.transaction((inputs: readonly NewLicense[], update: boolean) => this.#importNow(inputs, update));
    this.#activate = db.transaction((licenseId: number, identifier: string) => this.#activateNow(licenseId, identifier));
  }

  create(input: NewLicense): License {
    const args = licenseArgs(input);
    const row = rethrowDuplicate(`License "${input.key}" for product ${input.product_id}`, () => this.#insert.get(...args));
    if (row === undefined) throw new Error('INSERT … RETURNING gave no license row');
    return row;
  }

  importMany(inputs: readonly NewLicense[], update: boolean): number {
    return inputs.length === 0 ? 0 : this.#import(inputs, update);
  }

  findByKey(key: string): License[] {
    return this.#byKey.all(key);
  }

  activate(licenseId: number, identifier: string): Activation {
    return this.#activate(licenseId, identifier);
  }

  #importNow(inputs: readonly NewLicense[], update: boolean): number {
    const statement = update ? this.#upsert : this.#insertNew;
    let written = 0;
    for (const input of inputs) written += statement.run(...licenseArgs(input)).changes;
    return written;
  }

  #activateNow(licenseId: number, identifier: string): Activation {
    this.#insertActivation.run(licenseId, identifier, new Date().toISOString());
    const row = this.#getActivation.get(licenseId, identifier);
    if (row === undefined) throw new Error('The activation just written cannot be read back');
    return row;
  }
}

function licenseArgs(input: NewLicense): LicenseArgs {
  const now = new Date().toISOString();
  return [input.product_id, input.key, input.status, input.expires_at, input.max_activations ?? null, now, now];
}
