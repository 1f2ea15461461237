/**
 * `node dist/bench/drop-database.js <name>` with TALLY_BENCH_ADMIN_URL set: drops a bench
 * database. Run synchronously by the clean-up of an interrupted bench (pg-database.ts).
 */
import { dropSql, runAdmin } from './pg-database.js';

const [name] = process.argv.slice(2);
const adminUrl = process.env['TALLY_BENCH_ADMIN_URL'];
if (name === undefined || adminUrl === undefined) {
  console.error('usage: TALLY_BENCH_ADMIN_URL=postgres://… node drop-database.js tally_bench_<hex>');
  process.exitCode = 2;
} else {
  runAdmin(adminUrl, dropSql(name)).catch((error: unknown) => {
    console.error(`could not drop ${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
