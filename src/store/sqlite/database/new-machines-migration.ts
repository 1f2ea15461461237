import { DAY_US } from '../../../model/clock.js';

type Row = 'NEW' | 'OLD';

const keyOf = (row: Row): string => `${row}.product_id, ${row}.first_time / ${DAY_US}, ${row}.version, ${row}.os`;

/** Adds `machines` (+1 or −1) to the count of the row's (product, day, version, OS). */
const add = (row: Row, machines: 1 | -1): string => `INSERT INTO install_new_machines (product_id, day, version, os, machines) VALUES (${keyOf(row)}, ${machines})
    ON CONFLICT (product_id, day, version, os) DO UPDATE SET machines = machines + excluded.machines;`;

/** A count the old row's removal brought to 0 is deleted: the table holds exactly the keys with first-seen rows. */
const DROP_EMPTY = `DELETE FROM install_new_machines
    WHERE product_id = OLD.product_id AND day = OLD.first_time / ${DAY_US} AND version = OLD.version AND os = OLD.os AND machines = 0;`;

const KEY_CHANGED = `OLD.product_id IS NOT NEW.product_id OR OLD.first_time / ${DAY_US} IS NOT NEW.first_time / ${DAY_US}
  OR OLD.version IS NOT NEW.version OR OLD.os IS NOT NEW.os`;

/**
 * SQLite migration 24 (docs/decisions/0042-new-machine-counts.md): the machines first seen per
 * (product, UTC day of first_time, version key, OS key), so that a sketched installs answer reads
 * one row per key instead of grouping every machine first seen in its range. Kept by triggers on
 * install_first_seen, whatever writes it (ingest's upsert, erasure, the rollup rebuild): a row
 * inserted adds 1 to its key, a row deleted takes 1 away, an update that moves a machine to
 * another key (an earlier report of another day, version or OS) does both. An upsert whose
 * `DO UPDATE … WHERE` is false updates nothing and fires no UPDATE trigger. A count that
 * reaches 0 is deleted. Filled from install_first_seen in the migration's transaction.
 */
export const SQLITE_NEW_MACHINES = `
CREATE TABLE install_new_machines (
  product_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  version TEXT NOT NULL,
  os TEXT NOT NULL,
  machines INTEGER NOT NULL,
  PRIMARY KEY (product_id, day, version, os)
) WITHOUT ROWID;
CREATE TRIGGER install_first_seen_counted AFTER INSERT ON install_first_seen BEGIN
  ${add('NEW', 1)}
END;
CREATE TRIGGER install_first_seen_uncounted AFTER DELETE ON install_first_seen BEGIN
  ${add('OLD', -1)}
  ${DROP_EMPTY}
END;
CREATE TRIGGER install_first_seen_moved AFTER UPDATE ON install_first_seen WHEN ${KEY_CHANGED} BEGIN
  ${add('OLD', -1)}
  ${DROP_EMPTY}
  ${add('NEW', 1)}
END;
INSERT INTO install_new_machines (product_id, day, version, os, machines)
  SELECT product_id, first_time / ${DAY_US}, version, os, COUNT(*) FROM install_first_seen GROUP BY 1, 2, 3, 4;
`;
