import type Database from 'better-sqlite3';
import type { License } from '../../../model/registry.js';
import { activationListWhere, licenseListWhere, LISTED_ACTIVATION_SQL } from '../../contract/license-list-sql.js';
import { reportCountsSql } from '../../contract/license-counts-sql.js';
import type {
  ActivationListRequest, LicenseChanges, LicenseLifecycleStore, LicenseListRequest, LicenseReportCounts, ListedActivation, NewActivation,
} from '../../contract/license-store.js';
import { LICENSE_COLUMNS } from '../../contract/registry-columns.js';

/** The changeable license columns, in the order an UPDATE sets them. */
const CHANGEABLE = ['status', 'expires_at', 'max_activations', 'notes'] as const;
/** SQLite binds at most 32766 values; keys are looked up in chunks well under that. */
const KEY_CHUNK = 500;

/** The license lifecycle in SQLite (license-store.ts): lists, changes, deletes, activation imports. */
export class SqliteLicenseLifecycle implements LicenseLifecycleStore {
  readonly #db: Database.Database;
  readonly #get: Database.Statement<[number], License>;
  readonly #getActivation: Database.Statement<[number], ListedActivation>;
  readonly #counts: Database.Statement<[number, string], LicenseReportCounts>;
  readonly #insertActivation: Database.Statement<[number, string, string]>;
  readonly #deactivate: Database.Statement<[string, number]>;
  readonly #delete: Database.Statement<[number]>;
  readonly #import: (inputs: readonly NewActivation[]) => number;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#get = db.prepare<[number], License>(`SELECT ${LICENSE_COLUMNS} FROM licenses WHERE id = ?`);
    this.#getActivation = db.prepare<[number], ListedActivation>(`${LISTED_ACTIVATION_SQL} WHERE a.id = ?`);
    this.#counts = db.prepare<[number, string], LicenseReportCounts>(reportCountsSql('?', '?'));
    this.#insertActivation = db.prepare<[number, string, string]>(
      `INSERT INTO activations (license_id, identifier, created_at) VALUES (?, ?, ?)
       ON CONFLICT (license_id, identifier) DO UPDATE SET deactivated_at = NULL WHERE deactivated_at IS NOT NULL`,
    );
    this.#deactivate = db.prepare<[string, number]>('UPDATE activations SET deactivated_at = ? WHERE id = ? AND deactivated_at IS NULL');
    // activations go with it (ON DELETE CASCADE).
    this.#delete = db.prepare<[number]>('DELETE FROM licenses WHERE id = ?');
    this.#import = db.transaction((inputs: readonly NewActivation[]) => {
      const now = new Date().toISOString();
      let written = 0;
      for (const input of inputs) written += this.#insertActivation.run(input.license_id, input.identifier, now).changes;
      return written;
    });
  }

  async listLicenses(request: LicenseListRequest): Promise<License[]> {
    const params: unknown[] = [];
    const where = licenseListWhere(request, bindTo(params), 'instr');
    params.push(request.limit);
    return this.#db.prepare<unknown[], License>(`SELECT ${LICENSE_COLUMNS} FROM licenses ${where} ORDER BY id LIMIT ?`).all(...params);
  }

  async getLicense(id: number): Promise<License | null> {
    return this.#get.get(id) ?? null;
  }

  async findLicensesByKeys(keys: readonly string[]): Promise<License[]> {
    const found: License[] = [];
    const unique = [...new Set(keys)];
    for (let start = 0; start < unique.length; start += KEY_CHUNK) {
      const chunk = unique.slice(start, start + KEY_CHUNK);
      const sql = `SELECT ${LICENSE_COLUMNS} FROM licenses WHERE key IN (${chunk.map(() => '?').join(', ')})`;
      found.push(...this.#db.prepare<string[], License>(sql).all(...chunk));
    }
    return found.sort((a, b) => a.id - b.id);
  }

  async updateLicense(id: number, changes: LicenseChanges): Promise<License | null> {
    const columns = CHANGEABLE.filter((column) => changes[column] !== undefined);
    const sets = [...columns.map((column) => `${column} = ?`), 'updated_at = ?'];
    const values = [...columns.map((column) => changes[column] ?? null), new Date().toISOString(), id];
    return this.#db.prepare<unknown[], License>(`UPDATE licenses SET ${sets.join(', ')} WHERE id = ? RETURNING ${LICENSE_COLUMNS}`).get(...values) ?? null;
  }

  async deleteLicense(id: number): Promise<boolean> {
    return this.#delete.run(id).changes > 0;
  }

  async licenseReportCounts(productId: number, key: string): Promise<LicenseReportCounts> {
    const row = this.#counts.get(productId, key);
    return { total: row?.total ?? 0, flagged: row?.flagged ?? 0, last_report_us: row?.last_report_us ?? null };
  }

  async listActivations(request: ActivationListRequest): Promise<ListedActivation[]> {
    const params: unknown[] = [];
    const where = activationListWhere(request, bindTo(params));
    params.push(request.limit);
    return this.#db.prepare<unknown[], ListedActivation>(`${LISTED_ACTIVATION_SQL} ${where} ORDER BY a.id LIMIT ?`).all(...params);
  }

  async getActivation(id: number): Promise<ListedActivation | null> {
    return this.#getActivation.get(id) ?? null;
  }

  async importActivations(inputs: readonly NewActivation[]): Promise<number> {
    return inputs.length === 0 ? 0 : this.#import(inputs);
  }

  async deactivateActivation(id: number): Promise<ListedActivation | null> {
    this.#deactivate.run(new Date().toISOString(), id);
    return this.#getActivation.get(id) ?? null;
  }
}

function bindTo(params: unknown[]): (value: unknown) => string {
  return (value) => {
    params.push(value);
    return '?';
  };
}
