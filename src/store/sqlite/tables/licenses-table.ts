import type Database from 'better-sqlite3';
import type { Activation, License } from '../../../model/registry.js';
import { ACTIVATION_COLUMNS, LICENSE_COLUMNS } from '../../contract/registry-columns.js';
import type { NewLicense } from '../../contract/store.js';
import { rethrowDuplicate } from './duplicate-error.js';

type LicenseArgs = [number, string, string, string | null, number | null, string];

/** Licenses (unique per product + key) and the activations recorded against them. */
export class SqliteLicensesTable {
  readonly #insert: Database.Statement<LicenseArgs, License>;
  readonly #upsert: Database.Statement<LicenseArgs>;
  readonly #byKey: Database.Statement<[string], License>;
  readonly #insertActivation: Database.Statement<[number, string, string]>;
  readonly #getActivation: Database.Statement<[number, string], Activation>;
  readonly #import: (inputs: readonly NewLicense[]) => number;
  readonly #activate: (licenseId: number, identifier: string) => Activation;

  constructor(db: Database.Database) {
    const insertSql = 'INSERT INTO licenses (product_id, key, status, expires_at, max_activations, created_at) VALUES (?, ?, ?, ?, ?, ?)';
    this.#insert = db.prepare<LicenseArgs, License>(`${insertSql} RETURNING ${LICENSE_COLUMNS}`);
    this.#upsert = db.prepare<LicenseArgs>(
      `${insertSql} ON CONFLICT (product_id, key) DO UPDATE SET status = excluded.status, expires_at = excluded.expires_at, max_activations = excluded.max_activations`,
    );
    this.#byKey = db.prepare<[string], License>(`SELECT ${LICENSE_COLUMNS} FROM licenses WHERE key = ? ORDER BY id`);
    this.#insertActivation = db.prepare<[number, string, string]>(
      `INSERT INTO activations (license_id, identifier, created_at) VALUES (?, ?, ?)
       ON CONFLICT (license_id, identifier) DO NOTHING`,
    );
    this.#getActivation = db.prepare<[number, string], Activation>(
      `SELECT ${ACTIVATION_COLUMNS} FROM activations WHERE license_id = ? AND identifier = ?`,
    );
    this.#import = db.transaction((inputs: readonly NewLicense[]) => this.#importNow(inputs));
    this.#activate = db.transaction((licenseId: number, identifier: string) => this.#activateNow(licenseId, identifier));
  }

  create(input: NewLicense): License {
    const args = licenseArgs(input);
    const row = rethrowDuplicate(`License "${input.key}" for product ${input.product_id}`, () => this.#insert.get(...args));
    if (row === undefined) throw new Error('INSERT … RETURNING gave no license row');
    return row;
  }

  importMany(inputs: readonly NewLicense[]): number {
    return inputs.length === 0 ? 0 : this.#import(inputs);
  }

  findByKey(key: string): License[] {
    return this.#byKey.all(key);
  }

  activate(licenseId: number, identifier: string): Activation {
    return this.#activate(licenseId, identifier);
  }

  #importNow(inputs: readonly NewLicense[]): number {
    let written = 0;
    for (const input of inputs) written += this.#upsert.run(...licenseArgs(input)).changes;
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
  return [input.product_id, input.key, input.status, input.expires_at, input.max_activations ?? null, new Date().toISOString()];
}
