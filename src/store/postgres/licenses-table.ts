import type pg from 'pg';
import type { Activation, License } from '../../model/registry.js';
import { ACTIVATION_COLUMNS, LICENSE_COLUMNS } from '../contract/registry-columns.js';
import type { NewLicense } from '../contract/store.js';
import { rethrowDuplicate } from './duplicate-error.js';
import { selectRow, selectRows } from './statements.js';

const INSERT_SQL = `INSERT INTO licenses (product_id, key, status, expires_at, max_activations, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${LICENSE_COLUMNS}`;

// One statement is one transaction: an unknown product anywhere (FK) writes none of them.
const IMPORT_INSERT = `INSERT INTO licenses (product_id, key, status, expires_at, max_activations, created_at, updated_at)
  SELECT u.product_id, u.key, u.status, u.expires_at, u.max_activations, $6, $6
  FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::integer[]) AS u(product_id, key, status, expires_at, max_activations)`;
// Revoking is final: an import over a revoked license leaves its status revoked.
const IMPORT_SQL = `${IMPORT_INSERT}
  ON CONFLICT (product_id, key) DO UPDATE SET status = CASE WHEN licenses.status = 'revoked' THEN 'revoked' ELSE excluded.status END,
    expires_at = excluded.expires_at, max_activations = excluded.max_activations, updated_at = excluded.updated_at`;
const IMPORT_NEW_SQL = `${IMPORT_INSERT} ON CONFLICT (product_id, key) DO NOTHING`;

// The SELECT reads the snapshot taken before the INSERT, so exactly one branch yields the row:
// the inserted or reactivated one, else the one that counted already.
const ACTIVATE_SQL = `WITH ins AS (
  INSERT INTO activations (license_id, identifier, created_at) VALUES ($1, $2, $3)
  ON CONFLICT (license_id, identifier) DO UPDATE SET deactivated_at = NULL WHERE activations.deactivated_at IS NOT NULL
  RETURNING ${ACTIVATION_COLUMNS}
)
SELECT ${ACTIVATION_COLUMNS} FROM ins
UNION ALL
SELECT ${ACTIVATION_COLUMNS} FROM activations WHERE license_id = $1 AND identifier = $2 AND NOT EXISTS (SELECT 1 FROM ins)`;

/** Licenses (unique per product + key) and the activations recorded against them, in PostgreSQL. */
export class PgLicensesTable {
  readonly #db: pg.Pool;

  constructor(db: pg.Pool) {
    this.#db = db;
  }

  async create(input: NewLicense): Promise<License> {
    const args = [input.product_id, input.key, input.status, input.expires_at, input.max_activations ?? null, new Date().toISOString()];
    const row = await rethrowDuplicate(`License "${input.key}" for product ${input.product_id}`, () =>
      selectRow<License>(this.#db, INSERT_SQL, args),
    );
    if (row === null) throw new Error('INSERT … RETURNING gave no license row');
    return row;
  }

  /**
   * One upsert statement for all. A (product, key) listed twice keeps its last entry (ON CONFLICT
   * cannot touch a row twice in one statement) and counts as written twice, as on SQLite.
   */
  async importMany(inputs: readonly NewLicense[], update: boolean): Promise<number> {
    if (inputs.length === 0) return 0;
    const unique = lastOfEachKey(inputs);
    const result = await this.#db.query(update ? IMPORT_SQL : IMPORT_NEW_SQL, [
      unique.map((l) => l.product_id), unique.map((l) => l.key), unique.map((l) => l.status),
      unique.map((l) => l.expires_at), unique.map((l) => l.max_activations ?? null), new Date().toISOString(),
    ]);
    return (result.rowCount ?? 0) + (update ? inputs.length - unique.length : 0);
  }

  async findByKey(key: string): Promise<License[]> {
    return selectRows<License>(this.#db, `SELECT ${LICENSE_COLUMNS} FROM licenses WHERE key = $1 ORDER BY id`, [key]);
  }

  /** Idempotent; retried once when a concurrent writer committed the same activation after our snapshot. */
  async activate(licenseId: number, identifier: string): Promise<Activation> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const row = await selectRow<Activation>(this.#db, ACTIVATE_SQL, [licenseId, identifier, new Date().toISOString()]);
      if (row !== null) return row;
    }
    throw new Error('The activation just written cannot be read back');
  }
}

function lastOfEachKey(inputs: readonly NewLicense[]): NewLicense[] {
  const byKey = new Map<string, NewLicense>();
  for (const input of inputs) byKey.set(JSON.stringify([input.product_id, input.key]), input);
  return [...byKey.values()];
}
