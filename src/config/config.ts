import { KindGuard, Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { isIpOrCidr } from '../model/ip-prefix-set.js';
import { DEFAULT_MAX_REPORT_AGE_DAYS } from '../model/record-time.js';
import { CLIENT_IP_MODES } from '../model/client-ip-mode.js';
import { PARTITION_INTERVALS } from '../model/partition-interval.js';

/** The shortest admin token `adminToken` accepts. */
export const ADMIN_TOKEN_MIN_LENGTH = 32;

/**
 * Every setting Tally has, declared once with its meaning (`description`): the CLI's help,
 * docs/configuration.md and .env.example are made from it. `loadConfig` is the only reader of
 * `process.env`: each key below is a `--kebab-case` flag and a `TALLY_SNAKE_CASE` variable, and a flag wins.
 */
export const ConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'Port the HTTP service listens on.' }),
  host: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Address the HTTP service listens on; anything but loopback without `trustedProxies` gets a warning on start (Tally has no TLS of its own).' }),
  dataDir: Type.String({ minLength: 1, default: './data', description: 'Directory of the embedded SQLite database (`tally.db`), made when missing.' }),
  databaseUrl: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
    default: null,
    description: 'Database URL: `postgres://…` switches to PostgreSQL, `sqlite:/path/to/file.db` picks a SQLite file; unset = SQLite under `dataDir`.',
  }),
  readDatabaseUrl: Type.Array(Type.String({ pattern: '^postgres(ql)?://' }), {
    default: [],
    description:
      'PostgreSQL streaming standbys of `databaseUrl` that carry the reads (queries, summaries, overview, installs, insights, charts, exports): repeat the flag, or comma-separate the variable. ' +
      'The registry, keys, blocklist, accounts and every write stay on the primary (docs/scaling.md, "Read replicas"; decision 0035).',
  }),
  readMaxLagMs: Type.Integer({
    minimum: 10, maximum: 3_600_000, default: 1000,
    description: 'A replica whose replay is more than this many ms behind the primary, or that is down, gets no reads until it catches up; they go to another replica, or to the primary.',
  }),
  bodyLimit: Type.Integer({ minimum: 1024, default: 64 * 1024, description: 'Largest request body in bytes; past it the answer is HTTP 413.' }),
  batchBodyLimit: Type.Integer({ minimum: 1024, default: 4 * 1024 * 1024, description: 'Largest body of `POST /api/v1/send-telemetry-data-batch` in bytes; past it the answer is HTTP 413.' }),
  maxAnswerBytes: Type.Integer({
    minimum: 64 * 1024, default: 4 * 1024 * 1024,
    description:
      'Largest answer of get-telemetry-data and of an admin records page, in bytes: a page ends early (at least one record; `next_after_id` says where to go on) before it would pass this ' +
      '(docs/query-behaviour.md, "Answer size"). Exports stream and are not bounded by it.',
  }),
  minFreeDiskMb: Type.Integer({
    minimum: 0, default: 512,
    description: 'SQLite: refuse reports (signed 503, nothing stored) while the database\'s disk has less free space than this many MiB, so the database never meets a full disk; 0 = never. Not checked on PostgreSQL, whose disk the server cannot see.',
  }),
  quotaReportsPerKeyPerDay: Type.Integer({ minimum: 0, default: 0, description: 'Reports one API key may store per UTC day (code 104, HTTP 429 past it); 0 = no quota. Counted per instance.' }),
  quotaBytesPerKeyPerDay: Type.Integer({ minimum: 0, default: 0, description: 'Bytes of values (texts, errors, metadata) one API key may store per UTC day (code 104, HTTP 429 past it); 0 = no quota. Counted per instance.' }),
  maxReportAgeDays: Type.Integer({
    minimum: 1, maximum: 3650, default: DEFAULT_MAX_REPORT_AGE_DAYS,
    description:
      'How old a report\'s `reported_at` (the client\'s time) may be, in days; an older one is stored as an error of that field (code 831) with `reported_at` null. ' +
      'Also how far after a range\'s end a chart looks for records created late (decision 0026): lowering it hides, from record-time ranges, late records accepted under the larger value.',
  }),
  batchMaxReports: Type.Integer({ minimum: 1, maximum: 100_000, default: 500, description: 'Most reports in one batch request; more is answered 400 and nothing is stored.' }),
  sqliteSynchronous: Type.Union([Type.Literal('FULL'), Type.Literal('NORMAL'), Type.Literal('OFF')], {
    default: 'FULL',
    description: 'SQLite durability: `FULL` fsyncs every commit, so an acknowledged report survives a power cut; `NORMAL` and `OFF` trade that for speed (docs/durability.md).',
  }),
  sqliteReaderThread: Type.Boolean({ default: true, description: 'SQLite: run queries, exports and summaries on a reader thread, so a slow one never holds up ingest.' }),
  sqliteWriterThread: Type.Boolean({ default: true, description: 'SQLite: commit large groups (batch requests) on a writer thread, while the HTTP thread reads and checks the next ones.' }),
  postgresPreparedStatements: Type.Boolean({
    default: true,
    description:
      'PostgreSQL: send the ingest insert as a named prepared statement, parsed and planned once per connection instead of for every group commit (decision 0048). ' +
      'Set false behind a connection pooler in transaction mode that does not track prepared statements (PgBouncer before 1.21, or with `max_prepared_statements = 0`). Ignored by SQLite.',
  }),
  commitMaxBatch: Type.Integer({ minimum: 1, maximum: 10000, default: 500, description: 'Most reports committed in one transaction (group commit).' }),
  commitWindowMs: Type.Number({ minimum: 0, maximum: 1000, default: 0, description: 'How long the first report of a group waits for others before the group commits, in ms; 0 = the end of the current event-loop turn.' }),
  registryCacheMs: Type.Integer({
    minimum: 0, maximum: 60_000, default: 1000,
    description: 'How long the server may trust what it read about API keys, products, licenses and activations (ms); 0 = ask the database every time. Changes made by the CLI or another instance are honoured within this time.',
  }),
  defaultSeats: Type.Integer({
    minimum: 1, maximum: 1_000_000_000, default: 1,
    description:
      'Seats a license is taken to have when it has no `max_activations` (and what one user identifier is allowed): past this many distinct machines in the window, license insights call it shared ' +
      '(docs/admin-api.md, "License insights"), and the `license.shared` webhook fires (docs/webhooks.md).',
  }),
  adminToken: Type.Union([Type.String({ minLength: ADMIN_TOKEN_MIN_LENGTH }), Type.Null()], {
    default: null,
    description: `An admin token: an owner of everything, kept for machines and upgrades (docs/accounts.md). Only its hash is stored, replacing any stored one. At least ${ADMIN_TOKEN_MIN_LENGTH} characters. A new install makes no admin token of its own.`,
  }),
  passwordHashCost: Type.Integer({
    minimum: 10, maximum: 20, default: 15,
    description:
      'The cost of new password hashes as log2 of scrypt\'s N (15: 32 MiB and about 100 ms per hash; each step up doubles both). Stored hashes keep their own cost; a login with a lower one rehashes it at this one (decision 0037).',
  }),
  adminAuthFailuresPerIp: Type.Integer({
    minimum: 0, default: 10,
    description: 'Failed admin authentications (a wrong Bearer token on /admin/api, a wrong token or password posted to /login) per client IP per `adminAuthWindowMs`; past it that IP gets HTTP 429 with Retry-After until the window ends. 0 = no limit.',
  }),
  loginFailuresPerAccount: Type.Integer({
    minimum: 0, default: 10,
    description: 'Failed password logins per account name per `adminAuthWindowMs`, whatever the IP (so a guesser spread over many addresses is held too); past it logins to that name get HTTP 429 with Retry-After until the window ends. 0 = no limit.',
  }),
  adminAuthWindowMs: Type.Integer({ minimum: 1000, maximum: 86_400_000, default: 60_000, description: 'Length of the fixed window of `adminAuthFailuresPerIp` and `loginFailuresPerAccount`, in ms.' }),
  publicUrl: Type.Union([Type.String({ pattern: '^https?://[^/\\s]+' }), Type.Null()], {
    default: null,
    description:
      'The URL browsers use to reach Tally (e.g. `https://tally.example.com`). When it is https the dashboard\'s session cookie is always `Secure`, also behind a TLS-terminating proxy that is not in `trustedProxies`; when it is http, never. Unset: Secure when the request came over HTTPS.',
  }),
  headersTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 10_000, description: 'Time to receive a request\'s headers in ms; then the connection is closed (HTTP 408).' }),
  requestTimeoutMs: Type.Integer({
    minimum: 100, maximum: 3_600_000, default: 60_000,
    description: 'Time to receive a whole request, headers and body, in ms: a body that never arrives costs its socket this long at most (HTTP 408, connection closed). Not the time to answer.',
  }),
  idleTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 60_000, description: 'A connection on which nothing moves either way for this long (ms) is closed: a stalled body, a client that stopped reading.' }),
  keepAliveTimeoutMs: Type.Integer({ minimum: 1, maximum: 3_600_000, default: 72_000, description: 'How long (ms) an idle keep-alive connection is kept between requests; above a load balancer\'s idle timeout (often 60 s).' }),
  maxConnections: Type.Integer({ minimum: 1, default: 10_000, description: 'Most open connections; more are closed as they arrive.' }),
  signingAlgorithm: Type.Union([Type.Literal('rsa-2048'), Type.Literal('rsa-4096'), Type.Literal('ed25519')], {
    default: 'rsa-4096',
    description: 'Algorithm of signing keys made from now on (the first one, `tally keys create` and `rotate`); an existing key keeps its own.',
  }),
  trustedProxies: Type.String({
    default: '',
    description: 'Peers whose `X-Forwarded-For` is believed (comma-separated IPs and CIDRs); empty = never. The client IP is then the right-most address in the chain that is not a trusted proxy.',
  }),
  rateLimitPerKey: Type.Integer({
    minimum: 0, default: 0,
    description: 'Requests per rate-limit window per API key (code 104, HTTP 429 past it); 0 = no limit. A key shipped inside an app is shared by every install of it, so this limits the whole fleet together (docs/operations.md, "Sizing rate limits for a fleet").',
  }),
  rateLimitPerIp: Type.Integer({ minimum: 0, default: 0, description: 'Requests per rate-limit window per client IP, on every /api/v1 request; 0 = no limit. A fleet behind one NAT is one IP.' }),
  rateLimitPerKeyAndIp: Type.Integer({ minimum: 0, default: 0, description: 'Requests per rate-limit window per API key from one client IP (one install, unless several share a NAT); 0 = no limit.' }),
  rateLimitFailedAuthPerIp: Type.Integer({
    minimum: 0, default: 20,
    description: 'Failed authentications (answers 100–103) per rate-limit window per client IP; past it that IP\'s requests are answered 104 before authentication unless they carry a usable key, until the window ends (docs/security.md, "Key guessing"). 0 = no limit.',
  }),
  rateLimitIpv6Prefix: Type.Integer({
    minimum: 16, maximum: 128, default: 64,
    description: 'IPv6 clients are rate limited per network of this prefix length, not per address (one subscriber usually holds a /64); 128 = per address. Applies to every per-IP limit and to the failed-authentication limit.',
  }),
  rateLimitWindowMs: Type.Integer({ minimum: 1000, maximum: 86_400_000, default: 60_000, description: 'Length of the fixed rate-limit window in ms.' }),
  redisUrl: Type.Union([Type.String({ pattern: '^rediss?://' }), Type.Null()], {
    default: null,
    description: 'A `redis://` URL: rate-limit counts are then shared by every instance using it. Unset = counted in this process. While Redis cannot be reached, each process counts on its own.',
  }),
  redisKeyPrefix: Type.String({ default: 'tally:', description: 'Prefix of every Redis key Tally writes, so several installations can share one Redis.' }),
  metrics: Type.Boolean({ default: true, description: 'Serve Prometheus metrics at `/metrics` (docs/operations.md).' }),
  metricsToken: Type.Union([Type.String({ minLength: 16 }), Type.Null()], {
    default: null,
    description: 'When set, `/metrics` answers only requests with `Authorization: Bearer <this>` (HTTP 401 otherwise); unset = anonymous.',
  }),
  logRequests: Type.Boolean({
    default: false,
    description: 'Log one line per request, with its request id. Off by default: at full ingest speed the lines would cost more than the ingest. Errors, 5xx answers and requests slower than 1 s are logged either way.',
  }),
  logLevel: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'Level of the JSON log lines on stdout.' },
  ),
  clientIpMode: Type.Union([...CLIENT_IP_MODES.map((mode) => Type.Literal(mode)), Type.Null()], {
    default: null,
    description:
      'What ingest keeps of each report\'s client address (docs/privacy.md): `full`, `truncated` (IPv4 /24, IPv6 /48), `hashed` (a keyed hash of that network, its key changing every UTC day) or `none`. ' +
      'Unset: the mode this database remembers, which on its first start is `truncated` for a new database and `full` for one that already holds reports (so an upgrade changes nothing).',
  }),
  retentionDays: Type.Integer({ minimum: 0, maximum: 36_500, default: 0, description: 'Telemetry older than this many days is removed by the maintenance job (docs/retention.md); 0 = keep forever.' }),
  auditRetentionDays: Type.Union([Type.Integer({ minimum: 0, maximum: 36_500 }), Type.Null()], {
    default: null,
    description: 'Audit log entries older than this many days are removed by the maintenance job (docs/audit.md); 0 = keep forever; unset = the same as `retentionDays` (decision 0030).',
  }),
  partitionInterval: Type.Union(PARTITION_INTERVALS.map((interval) => Type.Literal(interval)), {
    default: 'month',
    description:
      'PostgreSQL: how much time each new telemetry partition spans, `month`, `week` or `day` (docs/scaling.md, "Partition interval"; decision 0036). Changing it leaves existing partitions as they are: new ones start where the last one ends. Ignored by SQLite.',
  }),
  retentionIntervalMs: Type.Integer({
    minimum: 1000, maximum: 86_400_000, default: 3_600_000,
    description: 'How often the maintenance job runs (retention; PostgreSQL partitions made ahead), in ms. It also runs on start.',
  }),
  shutdownTimeoutMs: Type.Integer({ minimum: 0, default: 10_000, description: 'Grace period (ms) for in-flight requests on SIGTERM/SIGINT before the process exits anyway.' }),
  alertWindowDays: Type.Integer({ minimum: 1, maximum: 3650, default: 30, description: 'Days the license alerts count over, and the length of the window each alert fires once in (docs/webhooks.md, "Windows").' }),
  alertSuspiciousReports: Type.Integer({ minimum: 1, default: 10, description: 'Flagged reports of one license within the alert window that make it `license.suspicious`.' }),
  alertIntervalMs: Type.Integer({
    minimum: 100, maximum: 86_400_000, default: 60_000,
    description: 'How often the license alerts are checked (ms); each pass reads only licenses with reports since the last.',
  }),
  webhookTimeoutMs: Type.Integer({ minimum: 100, maximum: 300_000, default: 10_000, description: 'How long a webhook delivery may take (ms) before it counts as failed and is retried.' }),
  webhookLeaseMs: Type.Integer({
    minimum: 200, maximum: 3_600_000, default: 60_000,
    description: 'How long a claimed delivery is kept from other instances (ms): a process that dies mid-delivery leaves it to be sent again after this. More than `webhookTimeoutMs`.',
  }),
  webhookPollMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000, description: 'How often the delivery worker looks for due deliveries (ms).' }),
  webhookConcurrency: Type.Integer({ minimum: 1, maximum: 64, default: 4, description: 'Most webhook deliveries one instance has in flight at once.' }),
  webhookRetryBaseMs: Type.Integer({
    minimum: 10, maximum: 3_600_000, default: 10_000,
    description: 'The first webhook retry\'s delay (ms); each next one is about 3 times longer, capped at an hour, with ±25 % jitter.',
  }),
});

export type Config = Readonly<Static<typeof ConfigSchema>>;

/** How many days audit log entries are kept (0 = forever): `auditRetentionDays`, or `retentionDays` when that is unset. */
export function auditRetentionDays(config: Pick<Config, 'auditRetentionDays' | 'retentionDays'>): number {
  return config.auditRetentionDays ?? config.retentionDays;
}
export type ConfigKey = keyof Config;
export const CONFIG_KEYS = Object.keys(ConfigSchema.properties) as ConfigKey[];

/** `dataDir` → `TALLY_DATA_DIR`. */
export function envName(key: ConfigKey): string {
  return 'TALLY_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

/** `dataDir` → `--data-dir`. */
export function flagName(key: ConfigKey): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Builds the frozen config from flags (already parsed by the CLI, as strings or values) over
 * `TALLY_*` variables over defaults. Throws ConfigError naming the bad setting.
 */
export function loadConfig(
  flags: Partial<Record<ConfigKey, unknown>> = {},
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = flags[key] ?? env[envName(key)];
    if (value !== undefined && value !== '') raw[key] = ARRAY_KEYS.has(key) ? listValue(value) : value;
  }
  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw));
  const firstError = Value.Errors(ConfigSchema, withDefaults).First();
  if (firstError) {
    const key = firstError.path.split('/')[1] as ConfigKey;
    const message = firstError.message === 'Expected union value' ? (optionalValueError(key, firstError.value) ?? firstError.message) : firstError.message;
    throw new ConfigError(`Invalid setting ${flagName(key)} / ${envName(key)}: ${message}`);
  }
  const config = withDefaults as Static<typeof ConfigSchema>;
  const badProxy = trustedProxyList(config.trustedProxies).find((entry) => !isIpOrCidr(entry));
  if (badProxy !== undefined) {
    throw new ConfigError(`Invalid setting ${flagName('trustedProxies')} / ${envName('trustedProxies')}: "${badProxy}" is not an IP address or CIDR`);
  }
  if (config.webhookLeaseMs <= config.webhookTimeoutMs) {
    throw new ConfigError(`Invalid setting ${flagName('webhookLeaseMs')} / ${envName('webhookLeaseMs')}: must be more than ${flagName('webhookTimeoutMs')} (${config.webhookTimeoutMs})`);
  }
  if (config.headersTimeoutMs > config.requestTimeoutMs) {
    throw new ConfigError(`Invalid setting ${flagName('headersTimeoutMs')} / ${envName('headersTimeoutMs')}: must not be more than ${flagName('requestTimeoutMs')} (${config.requestTimeoutMs})`);
  }
  if (config.readDatabaseUrl.length > 0 && !isPostgresUrl(config.databaseUrl)) {
    throw new ConfigError(`Invalid setting ${flagName('readDatabaseUrl')} / ${envName('readDatabaseUrl')}: read replicas need a PostgreSQL ${flagName('databaseUrl')} (postgres://…); they are streaming standbys of it`);
  }
  return Object.freeze(config);
}

/** The settings that take several values: a repeated flag (an array) or a comma-separated variable. */
const ARRAY_KEYS: ReadonlySet<ConfigKey> = new Set(CONFIG_KEYS.filter((key) => KindGuard.IsArray(ConfigSchema.properties[key])));

/** A repeated flag's values as they are, or one comma-separated string as its trimmed, non-empty parts. */
function listValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function isPostgresUrl(url: string | null): boolean {
  return url !== null && /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Why a value of an optional setting (a string or unset) was refused: the string's own rule
 * ("Expected string length greater or equal to 32") rather than TypeBox's "Expected union value".
 */
function optionalValueError(key: ConfigKey, value: unknown): string | undefined {
  const schema: TSchema = ConfigSchema.properties[key];
  if (!KindGuard.IsUnion(schema)) return undefined;
  const present = schema.anyOf.find((member) => !KindGuard.IsNull(member));
  return present === undefined ? undefined : Value.Errors(present, value).First()?.message;
}

/** `'10.0.0.1, 192.168.0.0/16'` → `['10.0.0.1', '192.168.0.0/16']`; empty entries are dropped. */
export function trustedProxyList(value: string): string[] {
  return value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}
