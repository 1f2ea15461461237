import type pg from 'pg';
import type { Product, ProductStatus } from '../../model/registry.js';
import { changedRows, selectRow, selectRows } from './statements.js';

/** Each product with its versions in registration order, aggregated by the server: one round trip. */
const PRODUCT_SELECT = `SELECT p.id, p.name, p.status, p.created_at,
  COALESCE((SELECT json_agg(v.version ORDER BY v.id) FROM product_versions v WHERE v.product_id = p.id), '[]') AS versions
  FROM products p`;

// Versions in the order given; a repeated one is inserted once (DO NOTHING keeps the first).
const CREATE_SQL = `WITH p AS (
  INSERT INTO products (name, created_at) VALUES ($1, $2) RETURNING id, name, status, created_at
), v AS (
  INSERT INTO product_versions (product_id, version, created_at)
  SELECT p.id, u.version, $2 FROM p, unnest($3::text[]) WITH ORDINALITY AS u(version, ord) ORDER BY u.ord
  ON CONFLICT (product_id, version) DO NOTHING
)
SELECT id, name, status, created_at FROM p`;

const ADD_VERSION_SQL = `WITH p AS (SELECT id FROM products WHERE id = $1), v AS (
  INSERT INTO product_versions (product_id, version, created_at) SELECT id, $2, $3 FROM p
  ON CONFLICT (product_id, version) DO NOTHING
)
SELECT id FROM p`;

/** Products and their released versions in PostgreSQL; every method is one statement. */
export class PgProductsTable {
  readonly #db: pg.Pool;

  constructor(db: pg.Pool) {
    this.#db = db;
  }

  async create(name: string, versions: readonly string[]): Promise<Product> {
    const row = await selectRow<Omit<Product, 'versions'>>(this.#db, CREATE_SQL, [name, new Date().toISOString(), versions]);
    if (row === null) throw new Error('INSERT … RETURNING gave no product row');
    return { ...row, versions: [...new Set(versions)] };
  }

  async get(id: number): Promise<Product | null> {
    return selectRow<Product>(this.#db, `${PRODUCT_SELECT} WHERE p.id = $1`, [id]);
  }

  async list(): Promise<Product[]> {
    return selectRows<Product>(this.#db, `${PRODUCT_SELECT} ORDER BY p.id`);
  }

  /** Returns false when the product does not exist. */
  async setStatus(productId: number, status: ProductStatus): Promise<boolean> {
    return (await changedRows(this.#db, 'UPDATE products SET status = $1 WHERE id = $2', [status, productId])) > 0;
  }

  /** Returns false when the product does not exist; a version already registered is left alone. */
  async addVersion(productId: number, version: string): Promise<boolean> {
    const rows = await selectRows(this.#db, ADD_VERSION_SQL, [productId, version, new Date().toISOString()]);
    return rows.length > 0;
  }
}
