import { parseArgs } from 'node:util';
import { PARTITION_INTERVALS, type PartitionInterval } from '../src/model/partition-interval.js';
import { INGEST_BODIES, type IngestBodies } from './ingest-requests.js';
import { LOAD_GENERATORS, type LoadGenerator } from './load.js';

export const SUITES = ['ingest', 'batch', 'summary', 'query', 'insights', 'scale-data', 'reads', 'replica', 'start'] as const;
export type Suite = (typeof SUITES)[number];

export const BACKENDS = ['sqlite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

/** Where the ingest suite's PostgreSQL run makes its throwaway database, unless told otherwise. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchOptions {
  suite: Suite;
  /** Seconds measured per target. */
  duration: number;
  /** Seconds of unmeasured load before each measured run. */
  warmup: number;
  connections: number;
  /** Answers fetched after the load and verified. */
  samples: number;
  /** Directory for a V8 CPU profile of the Tally process (`node --cpu-prof`), or null. */
  cpuProfDir: string | null;
  /** Records generated per data group by the data suites; null = the suite's default. */
  records: number | null;
  /** query: keep the generated store in this directory (and reuse it next time); null = a temp dir. */
  dataDir: string | null;
  /** ingest: the Tally backends measured, in order. */
  backends: Backend[];
  /** ingest: the PostgreSQL server (and database to connect to first) for the postgres run. */
  databaseUrl: string;
  /** scale-data, reads: machines in the fleet; null = min(1,000,000, records / 10). */
  machines: number | null;
  /** scale-data, reads: the seed of the generated data (part of the dataset's name). */
  seed: number;
  /** scale-data, reads: PostgreSQL partition interval of the dataset (decision 0036). */
  partitionInterval: PartitionInterval;
  /** reads: timed runs per measure (after one warm-up). */
  runs: number;
  /** ingest, batch, replica: the HTTP load generator. */
  load: LoadGenerator;
  /** ingest: the reports the single-report load sends (ingest-requests.ts). */
  bodies: IngestBodies;
}

export const USAGE = `usage: npm run bench -- [ingest|batch|summary|query|insights|scale-data|reads|replica|start] [--duration S] [--warmup S] [--connections N] [--samples N] [--records N]
  ingest         (default) bare node:http baseline vs. tally serve on POST /api/v1/send-telemetry-data,
                 then (SQLite) batches of 500 on POST /api/v1/send-telemetry-data-batch: records/s
  batch          only the batch runs of ingest (SQLite); --cpu-prof profiles each
  summary        GET /admin/api/summary over N generated records per data group (3 groups)
  query          get-telemetry-data p50/p99 over N generated records (default 10,000,000)
  insights       installs and license insights p50/p90 over HTTP over N fleet-like records (default
                 1,000,000) on each of --backends
  scale-data     generates (or tops up) a fleet-like dataset of N records over 90 days per backend, through
                 insertMany in transactions of 25,000, kept in --data-dir (SQLite) or database tally_scale_<N>_s<seed>
                 (PostgreSQL) for later runs; refuses when the disk estimate exceeds the free space
  reads          over that dataset (made first if missing): overview 24h/7d/90d, a 90-day summary and installs by
                 version per day, p50/p99 over --runs over HTTP beside the goals; sketched-vs-exact percentile and
                 distinct-count errors
  replica        a streaming replica of the --database-url server (pg_basebackup; needs a replication entry in
                 pg_hba.conf) read by tally serve --read-database-url; under the ingest load on the primary,
                 acknowledged reports are looked for on the replica: ack → visible p50/p99 (goal p99 ≤ 1 s)
  start          tally serve from the bundle the package ships (dist/app/main.js) and from the unbundled
                 dist/src, alternately: spawn → first answer of /healthz, --runs times each, on SQLite; then a
                 first start (new database, signing key made) of each (goal: restart ≤ 1 s)
  --duration     seconds measured per target (default 10)
  --warmup       seconds of unmeasured load before each run (default 2)
  --connections  concurrent connections (default 50)
  --load G       ingest, batch, replica: the load generator, autocannon (default) or wrk (Debian's wrk; .ci/run installs it)
  --bodies B     ingest: the single reports sent, published (default: the published example, ten values) or fleet
                 (1,000 reports with spread values, groups and users, so each commit writes rollup rows as a fleet's does)
  --samples      answers verified after the load (default 20)
  --cpu-prof DIR write a V8 CPU profile of the tally process into DIR (open it in Chrome DevTools)
  --records N    records generated per data group (summary: default 1000000); in all (query: default 10000000;
                 insights: default 1000000)
  --data-dir DIR query: generate into DIR and keep it; a later run reuses it (tops it up to N);
                 scale-data, reads: where datasets live (default ./bench-data)
  --machines N   scale-data, reads: machines in the fleet (default min(1000000, records / 10))
  --seed N       scale-data, reads: seed of the generated data (default 1)
  --partition-interval month|week|day  scale-data, reads: PostgreSQL partitions of the dataset (default month)
  --runs N       reads, start: timed runs of each measure (default 20; p99 of 20 runs is their slowest)
  --backends L   ingest, insights, scale-data, reads: comma-separated Tally backends to measure (default sqlite,postgres)
  --database-url ingest, insights, scale-data, reads, replica: PostgreSQL server for the postgres run; the bench creates and drops its own
                 database there (default $TEST_DATABASE_URL or ${DEFAULT_DATABASE_URL})`;

export function positive(name: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${raw}"\n${USAGE}`);
  return value;
}

function parseArgsOrUsage(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        duration: { type: 'string', default: '10' },
        warmup: { type: 'string', default: '2' },
        connections: { type: 'string', default: '50' },
        samples: { type: 'string', default: '20' },
        'cpu-prof': { type: 'string' },
        records: { type: 'string' },
        'data-dir': { type: 'string' },
        backends: { type: 'string', default: BACKENDS.join(',') },
        'database-url': { type: 'string' },
        machines: { type: 'string' },
        seed: { type: 'string', default: '1' },
        'partition-interval': { type: 'string', default: 'month' },
        runs: { type: 'string', default: '20' },
        load: { type: 'string', default: 'autocannon' },
        bodies: { type: 'string', default: 'published' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`, { cause: error });
  }
}

/** Parses `argv` (without node and the script); throws with the usage on anything unknown. */
export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values, positionals } = parseArgsOrUsage(argv);
  if (values.help) return 'help';
  const suite = positionals[0] ?? 'ingest';
  if (!(SUITES as readonly string[]).includes(suite) || positionals.length > 1) throw new Error(`unknown suite "${positionals.join(' ')}"\n${USAGE}`);
  return {
    suite: suite as Suite,
    duration: positive('duration', values.duration, 1),
    warmup: positive('warmup', values.warmup, 0),
    connections: Math.floor(positive('connections', values.connections, 1)),
    samples: Math.floor(positive('samples', values.samples, 1)),
    cpuProfDir: values['cpu-prof'] ?? null,
    records: values.records === undefined ? null : Math.floor(positive('records', values.records, 1)),
    dataDir: values['data-dir'] ?? null,
    backends: parseBackends(values.backends),
    databaseUrl: databaseUrlOf(values['database-url']),
    machines: values.machines === undefined ? null : Math.floor(positive('machines', values.machines, 1)),
    seed: Math.floor(positive('seed', values.seed, 0)),
    partitionInterval: oneOf('partition-interval', PARTITION_INTERVALS, values['partition-interval'], USAGE),
    runs: Math.floor(positive('runs', values.runs, 1)),
    load: oneOf('load', LOAD_GENERATORS, values.load, USAGE),
    bodies: oneOf('bodies', INGEST_BODIES, values.bodies, USAGE),
  };
}

/** The PostgreSQL server a bench uses: `--database-url`, else $TEST_DATABASE_URL, else the local default. */
export function databaseUrlOf(flag: string | undefined): string {
  return flag ?? process.env['TEST_DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
}

/** `raw` when it is one of `choices`; otherwise an error naming the flag, what it takes and, when given, the usage. */
export function oneOf<T extends string>(flag: string, choices: readonly T[], raw: string, usage?: string): T {
  const found = choices.find((choice) => choice === raw);
  if (found === undefined) throw new Error(`--${flag} takes ${choices.join(', ')}; got "${raw}"${usage === undefined ? '' : `\n${usage}`}`);
  return found;
}

/** `sqlite,postgres` → the listed backends, each once, in the order given. */
function parseBackends(raw: string): Backend[] {
  const names = [...new Set(raw.split(',').map((name) => name.trim()).filter((name) => name !== ''))];
  const unknown = names.filter((name) => !(BACKENDS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--backends takes a comma-separated list of ${BACKENDS.join(', ')}; got "${raw}"\n${USAGE}`);
  }
  return names as Backend[];
}
