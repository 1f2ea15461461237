import type Database from 'better-sqlite3';
import type { Product, ProductStatus } from '../../../model/registry.js';
import type { ProductRow } from './registry-rows.js';

const PRODUCT_COLUMNS = 'id, name, status, created_at';

/** Products and their released versions; versions keep the order they were registered in. */
export class SqliteProductsTable {
  readonly #insertProduct: Database.Statement<[string, string], ProductRow>;
  readonly #insertVersion: Database.Statement<[number, string, string]>;
  readonly #getProduct: Database.Statement<[number], ProductRow>;
  readonly #allProducts: Database.Statement<[], ProductRow>;
  readonly #versionsOf: Database.Statement<[number], string>;
  readonly #allVersions: Database.Statement<[], { product_id: number; version: string }>;
  readonly #setStatus: Database.Statement<[string, number]>;
  readonly #create: (name: string, versions: readonly string[]) => Product;

  constructor(db: Database.Database) {
    this.#insertProduct = db.prepare<[string, string], ProductRow>(
      `INSERT INTO products (name, created_at) VALUES (?, ?) RETURNING ${PRODUCT_COLUMNS}`,
    );
    this.#insertVersion = db.prepare<[number, string, string]>(
      `INSERT INTO product_versions (product_id, version, created_at) VALUES (?, ?, ?)
       ON CONFLICT (product_id, version) DO NOTHING`,
    );
    this.#getProduct = db.prepare<[number], ProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = ?`);
    this.#allProducts = db.prepare<[], ProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM products ORDER BY id`);
    this.#versionsOf = db
      .prepare<[number], string>('SELECT version FROM product_versions WHERE product_id = ? ORDER BY id')
      .pluck();
    this.#allVersions = db.prepare('SELECT product_id, version FROM product_versions ORDER BY id');
    this.#setStatus = db.prepare<[string, number]>('UPDATE products SET status = ? WHERE id = ?');
    this.#create = db.transaction((name: string, versions: readonly string[]) => this.#createNow(name, versions));
  }

  create(name: string, versions: readonly string[]): Product {
    return this.#create(name, versions);
  }

  get(id: number): Product | null {
    const row = this.#getProduct.get(id);
    return row === undefined ? null : { ...row, versions: this.#versionsOf.all(id) };
  }

  /** Two queries for any number of products, grouped in memory. */
  list(): Product[] {
    const versions = new Map<number, string[]>();
    for (const { product_id, version } of this.#allVersions.all()) {
      const list = versions.get(product_id);
      if (list === undefined) versions.set(product_id, [version]);
      else list.push(version);
    }
    return this.#allProducts.all().map((row) => ({ ...row, versions: versions.get(row.id) ?? [] }));
  }

  /** Returns false when the product does not exist. */
  setStatus(productId: number, status: ProductStatus): boolean {
    return this.#setStatus.run(status, productId).changes > 0;
  }

  /** Returns false when the product does not exist; a version already registered is left alone. */
  addVersion(productId: number, version: string): boolean {
    if (this.#getProduct.get(productId) === undefined) return false;
    this.#insertVersion.run(productId, version, new Date().toISOString());
    return true;
  }

  #createNow(name: string, versions: readonly string[]): Product {
    const createdAt = new Date().toISOString();
    const row = this.#insertProduct.get(name, createdAt);
    if (row === undefined) throw new Error('INSERT … RETURNING gave no product row');
    for (const version of versions) this.#insertVersion.run(row.id, version, createdAt);
    return { ...row, versions: this.#versionsOf.all(row.id) };
  }
}
