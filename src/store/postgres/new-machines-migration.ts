import { DAY_US } from '../../model/clock.js';

/** Each row of a transition table as a delta: its (product, UTC day of first_time, version, OS) and `sign`. */
const deltas = (rows: string, sign: 1 | -1): string =>
  `SELECT product_id, (first_time / ${DAY_US})::int AS day, version, os, ${sign} AS machines FROM ${rows}`;

const INSERT = 'INSERT INTO install_new_machines (product_id, day, version, os, machines)';

/** One delta row per key of `parts` (deltas of the transition tables), keys netting 0 left out. */
const netted = (parts: string): string =>
  `${INSERT} SELECT product_id, day, version, os, sum(machines) FROM (${parts}) AS d GROUP BY 1, 2, 3, 4 HAVING sum(machines) <> 0`;

/** A statement-level trigger function: nothing when the statement touched no row (the cheap case of most inserts), else `body`. */
function triggerFunction(name: string, rows: string, body: string): string {
  return `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM ${rows}) THEN RETURN NULL; END IF;
  ${body};
  RETURN NULL;
END $$;`;
}

/**
 * PostgreSQL migration 24 (docs/decisions/0042-new-machine-counts.md): the machines first seen
 * per (product, UTC day of first_time, version key, OS key), as delta rows that sum to the count:
 * several instances insert at once, and a counter row per key upserted by every insert would
 * queue their commits behind the lock of today's hot keys. So statement-level AFTER triggers
 * (one per event: a transition table belongs to one event) append one row per key a statement
 * touched, with the rows it added (+) or removed (−); an update (ingest's upsert moving a machine
 * to an earlier report, which fires the INSERT and the UPDATE triggers with the rows inserted and
 * updated respectively) nets each key's −old and +new, keys netting 0 get nothing. Appending
 * takes no row lock (no unique key); reads sum a key's rows, and the maintenance pass compacts
 * them (new-machines-compaction.ts). Unpartitioned: first-seen rows, so their counts, outlive
 * retention. The triggers are made first: CREATE TRIGGER locks install_first_seen against every
 * writer until the migration commits, so the backfill and the triggers miss nothing between them.
 */
export const PG_NEW_MACHINES = `
CREATE TABLE install_new_machines (
  product_id bigint NOT NULL,
  day integer NOT NULL,
  version text NOT NULL,
  os text NOT NULL,
  machines integer NOT NULL
);
CREATE INDEX install_new_machines_key ON install_new_machines (product_id, day, version, os);
${triggerFunction('install_new_machines_added', 'added', netted(deltas('added', 1)))}
${triggerFunction('install_new_machines_removed', 'removed', netted(deltas('removed', -1)))}
${triggerFunction('install_new_machines_moved', 'moved_to', netted(`${deltas('moved_from', -1)} UNION ALL ${deltas('moved_to', 1)}`))}
CREATE TRIGGER install_first_seen_added AFTER INSERT ON install_first_seen
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION install_new_machines_added();
CREATE TRIGGER install_first_seen_removed AFTER DELETE ON install_first_seen
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION install_new_machines_removed();
CREATE TRIGGER install_first_seen_moved AFTER UPDATE ON install_first_seen
  REFERENCING OLD TABLE AS moved_from NEW TABLE AS moved_to FOR EACH STATEMENT EXECUTE FUNCTION install_new_machines_moved();
${INSERT}
  SELECT product_id, (first_time / ${DAY_US})::int, version, os, count(*) FROM install_first_seen GROUP BY 1, 2, 3, 4;
`;
