import type pg from 'pg';
import type { License } from '../../model/registry.js';
import { activationListWhere, licenseListWhere, LISTED_ACTIVATION_SQL } from '../contract/license-list-sql.js';
import { reportCountsSql } from '../contract/license-counts-sql.js';
import type {
  ActivationListRequest, LicenseChanges, LicenseLifecycleStore, LicenseListRequest, LicenseReportCounts, ListedActivation, NewActivation,
} from '../contract/license-store.js';
import { LICENSE_COLUMNS } from '../contract/registry-columns.js';
import { changedRows, inTransaction, selectRow, selectRows } from './statements.js';

const CHANGEABLE = ['status', 'expires_at', 'max_activations', 'notes'] as const;

// One statement for the whole import: new pairs inserted (ids in the file's order), deactivated ones activated again.
const IMPORT_ACTIVATIONS_SQL = `INSERT INTO activations (license_id, identifier, created_at)
  SELECT u.license_id, u.identifier, $3 FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS u(license_id, identifier, n) ORDER BY u.n
  ON CONFLICT (license_id, identifier) DO UPDATE SET deactivated_at = NULL WHERE activations.deactivated_at IS NOT NULL`;

/** The license lifecycle in PostgreSQL (license-store.ts): lists, changes, deletes, activation imports. */
export class PgLicenseLifecycle implements LicenseLifecycleStore {
  readonly #db: pg.Pool;

  constructor(db: pg.Pool) {
    this.#db = db;
  }

  listLicenses(request: LicenseListRequest): Promise<License[]> {
    const params: unknown[] = [];
    const where = licenseListWhere(request, bindTo(params), 'strpos');
    params.push(request.limit);
    return selectRows<License>(this.#db, `SELECT ${LICENSE_COLUMNS} FROM licenses ${where} ORDER BY id LIMIT $${params.length}`, params);
  }

  getLicense(id: number): Promise<License | null> {
    return selectRow<License>(this.#db, `SELECT ${LICENSE_COLUMNS} FROM licenses WHERE id = $1`, [id]);
  }

  findLicensesByKeys(keys: readonly string[]): Promise<License[]> {
    return selectRows<License>(this.#db, `SELECT ${LICENSE_COLUMNS} FROM licenses WHERE key = ANY($1::text[]) ORDER BY id`, [[...new Set(keys)]]);
  }

  updateLicense(id: number, changes: LicenseChanges): Promise<License | null> {
    const params: unknown[] = [];
    const bind = bindTo(params);
    const sets = CHANGEABLE.filter((column) => changes[column] !== undefined).map((column) => `${column} = ${bind(changes[column] ?? null)}`);
    sets.push(`updated_at = ${bind(new Date().toISOString())}`);
    return selectRow<License>(this.#db, `UPDATE licenses SET ${sets.join(', ')} WHERE id = ${bind(id)} RETURNING ${LICENSE_COLUMNS}`, params);
  }

  /** Activations first (their reference has no cascade in PostgreSQL), in one transaction. */
  deleteLicense(id: number): Promise<boolean> {
    return inTransaction(this.#db, async (client) => {
      await client.query('DELETE FROM activations WHERE license_id = $1', [id]);
      return (await changedRows(client, 'DELETE FROM licenses WHERE id = $1', [id])) > 0;
    });
  }

  async licenseReportCounts(productId: number, key: string): Promise<LicenseReportCounts> {
    const row = await selectRow<LicenseReportCounts>(this.#db, reportCountsSql('$1::bigint', '$2::text'), [productId, key]);
    return { total: Number(row?.total ?? 0), flagged: Number(row?.flagged ?? 0), last_report_us: row?.last_report_us === null || row?.last_report_us === undefined ? null : Number(row.last_report_us) };
  }

  listActivations(request: ActivationListRequest): Promise<ListedActivation[]> {
    const params: unknown[] = [];
    const where = activationListWhere(request, bindTo(params));
    params.push(request.limit);
    return selectRows<ListedActivation>(this.#db, `${LISTED_ACTIVATION_SQL} ${where} ORDER BY a.id LIMIT $${params.length}`, params);
  }

  getActivation(id: number): Promise<ListedActivation | null> {
    return selectRow<ListedActivation>(this.#db, `${LISTED_ACTIVATION_SQL} WHERE a.id = $1`, [id]);
  }

  async importActivations(inputs: readonly NewActivation[]): Promise<number> {
    // ON CONFLICT cannot touch a row twice in one statement: a pair listed twice is sent once.
    const unique = [...new Map(inputs.map((input) => [JSON.stringify([input.license_id, input.identifier]), input])).values()];
    if (unique.length === 0) return 0;
    return changedRows(this.#db, IMPORT_ACTIVATIONS_SQL, [unique.map((input) => input.license_id), unique.map((input) => input.identifier), new Date().toISOString()]);
  }

  async deactivateActivation(id: number): Promise<ListedActivation | null> {
    await changedRows(this.#db, 'UPDATE activations SET deactivated_at = $1 WHERE id = $2 AND deactivated_at IS NULL', [new Date().toISOString(), id]);
    return this.getActivation(id);
  }
}

function bindTo(params: unknown[]): (value: unknown) => string {
  return (value) => {
    params.push(value);
    return `$${params.length}`;
  };
}
