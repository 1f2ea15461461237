import type Database from 'better-sqlite3';
import { osKey, versionKey } from '../../../model/installs.js';
import { installRollupOf, type InstallFact } from '../../contract/install-rollup.js';
import { HyperLogLog } from '../../../model/hyperloglog.js';
import { TELEMETRY_INSERT_COLUMNS } from '../../contract/telemetry-columns.js';
import { columnOf, type BindValue, type InsertBatch } from './insert-batch.js';

const column = (name: (typeof TELEMETRY_INSERT_COLUMNS)[number]): number => TELEMETRY_INSERT_COLUMNS.indexOf(name);
const PRODUCT = column('product_id');
const REPORTED_AT = column('reported_at');
const CREATED_AT = column('created_at');
const VERSION = column('product_version');
const METADATA = column('metadata');
const MACHINE = column('activation_identifier');
const USER = column('user_identifier');

/** `metadata.os` of a record's stored JSON text, parsed only when the text names it. */
function osOfMetadata(text: BindValue): string {
  if (typeof text !== 'string' || !text.includes('"os"')) return osKey(undefined);
  return osKey((JSON.parse(text) as Record<string, unknown>)['os']);
}

/** The facts of the batch's stored rows (a null id: undone as a repeated event_id, not counted). */
function* factsOf(batch: InsertBatch, ids: readonly (number | null)[]): Generator<InstallFact> {
  const [product, reportedAt, createdAt, version, metadata, machine, user] = [PRODUCT, REPORTED_AT, CREATED_AT, VERSION, METADATA, MACHINE, USER].map((c) => columnOf(batch, c)) as ((i: number) => BindValue)[];
  let lastMetadata: BindValue = null;
  let lastOs = osKey(undefined);
  for (let i = 0; i < ids.length; i++) {
    const productId = product!(i);
    if (ids[i] === null || typeof productId !== 'number') continue;
    const text = metadata!(i);
    if (text !== lastMetadata) [lastMetadata, lastOs] = [text, osOfMetadata(text)];
    const time = (reportedAt!(i) ?? createdAt!(i)) as number;
    const version_ = version!(i);
    const machine_ = machine!(i);
    const user_ = user!(i);
    yield {
      productId, timeUs: time, version: versionKey(typeof version_ === 'string' ? version_ : null), os: lastOs,
      machine: typeof machine_ === 'string' ? machine_ : null, user: typeof user_ === 'string' ? user_ : null,
    };
  }
}

/**
 * The install sketches and first-seen rows of SQLite, kept in the writer's transaction
 * (docs/decisions/0034-install-sketches.md): one read of a key's two sketches per key the commit
 * touches, and a merge and write only when the commit adds a machine or user they did not hold.
 * The transaction holds SQLite's write lock from its first INSERT, so no other connection or
 * process merges the same row in between.
 */
export class SqliteInstallRollups {
  readonly #read: Database.Statement<[number, number, string, string], { machines: Buffer; users: Buffer }>;
  readonly #write: Database.Statement<[number, number, string, string, Buffer, Buffer]>;
  readonly #first: Database.Statement<[number, string, number, string, string]>;

  constructor(db: Database.Database) {
    this.#read = db.prepare('SELECT machines, users FROM install_sketches WHERE product_id = ? AND day = ? AND version = ? AND os = ?');
    this.#write = db.prepare(`INSERT INTO install_sketches (product_id, day, version, os, machines, users) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (product_id, day, version, os) DO UPDATE SET machines = excluded.machines, users = excluded.users`);
    this.#first = db.prepare(`INSERT INTO install_first_seen (product_id, activation_identifier, first_time, version, os) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (product_id, activation_identifier) DO UPDATE SET first_time = excluded.first_time, version = excluded.version, os = excluded.os
      WHERE excluded.first_time < install_first_seen.first_time`);
  }

  /** Call inside the insert's transaction, with the slot per row insert gave (null: not stored). */
  record(batch: InsertBatch, ids: readonly (number | null)[]): void {
    const rollup = installRollupOf(factsOf(batch, ids));
    for (const delta of rollup.sketches) {
      const stored = this.#read.get(delta.productId, delta.day, delta.version, delta.os);
      // Machines and users already counted under the key that day: nothing to write.
      if (stored !== undefined && HyperLogLog.covers(stored.machines, delta.machines) && HyperLogLog.covers(stored.users, delta.users)) continue;
      if (stored !== undefined) {
        delta.machines.mergeBytes(stored.machines);
        delta.users.mergeBytes(stored.users);
      }
      this.#write.run(delta.productId, delta.day, delta.version, delta.os, delta.machines.encode(), delta.users.encode());
    }
    for (const first of rollup.firstSeen) this.#first.run(first.productId, first.machine, first.timeUs, first.version, first.os);
  }
}
