import { KindGuard, Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { isIpOrCidr } from '../model/ip-prefix-set.js';
import { DEFAULT_MAX_REPORT_AGE_DAYS } from '../model/record-time.js';
import { CLIENT_IP_MODES } from '../model/client-ip-mode.js';
import { PARTITION_INTERVALS } from '../model/partition-interval.js';

/** The shortest admin token `adminToken` accepts. */
export const ADMIN_TOKEN_MIN_LENGTH = 32;

/**
 * Every setting Tally has, declared once. `loadConfig` is the only reader of `process.env`:
 * each key below is a `--kebab-case` flag and a `TALLY_SNAKE_CASE` variable, and a flag wins.
 */
export const ConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  host: Type.String({ minLength: 1, default: '127.0.0.1' }),
  dataDir: Type.String({ minLength: 1, default: './data' }),
  /** A `postgres://` URL switches to PostgreSQL; empty = SQLite under dataDir. */
  databaseUrl: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
  /**
   * PostgreSQL streaming standbys of `databaseUrl` that carry the reads (queries, summaries,
   * overview, installs, insights, charts, exports): a repeatable flag, or comma-separated in the
   * variable. Only with a PostgreSQL `databaseUrl`; the registry, keys, blocklist, accounts and
   * every write stay on the primary (docs/scaling.md, "Read replicas"; decision 0035).
   */
  readDatabaseUrl: Type.Array(Type.String({ pattern: '^postgres(ql)?://' }), { default: [] }),
  /**
   * A replica whose replay is more than this many ms behind the primary (or that is down) gets no
   * reads until it catches up; they go to another replica, or to the primary.
   */
  readMaxLagMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 1000 }),
  /** Largest request body in bytes; past it the answer is HTTP 413. */
  bodyLimit: Type.Integer({ minimum: 1024, default: 64 * 1024 }),
  /** Largest body of POST /api/v1/send-telemetry-data-batch in bytes; past it the answer is HTTP 413. */
  batchBodyLimit: Type.Integer({ minimum: 1024, default: 4 * 1024 * 1024 }),
  /**
   * Largest answer of get-telemetry-data and of an admin records page, in bytes: a page ends
   * early (at least one record, `next_after_id` says where to go on) before it would pass this
   * (docs/query-behaviour.md, "Answer size"). Exports stream and are not bounded by it.
   */
  maxAnswerBytes: Type.Integer({ minimum: 64 * 1024, default: 4 * 1024 * 1024 }),
  /**
   * SQLite: refuse reports (503, nothing stored) while the database's disk has less free space
   * than this many MiB, so the database never meets a full disk; 0 = never. Not checked on
   * PostgreSQL, whose disk the server cannot see (docs/operations.md).
   */
  minFreeDiskMb: Type.Integer({ minimum: 0, default: 512 }),
  /** Reports one API key may store per UTC day (code 104, HTTP 429 past it); 0 = no quota (the default). Counted per instance. */
  quotaReportsPerKeyPerDay: Type.Integer({ minimum: 0, default: 0 }),
  /** Bytes of values (texts, errors, metadata) one API key may store per UTC day (code 104 past it); 0 = no quota (the default). Counted per instance. */
  quotaBytesPerKeyPerDay: Type.Integer({ minimum: 0, default: 0 }),
  /**
   * How old a report's `reported_at` (the client's time) may be, in days; an older one is stored
   * as an error of that field (code 831) with reported_at null. Also how far after a range's end a
   * chart looks for records created late (docs/decisions/0026-record-time.md): lowering it hides,
   * from record-time ranges, late records accepted under the larger value.
   */
  maxReportAgeDays: Type.Integer({ minimum: 1, maximum: 3650, default: DEFAULT_MAX_REPORT_AGE_DAYS }),
  /** Most reports in one batch request; more is answered 400 and nothing is stored. */
  batchMaxReports: Type.Integer({ minimum: 1, maximum: 100_000, default: 500 }),
  sqliteSynchronous: Type.Union([Type.Literal('FULL'), Type.Literal('NORMAL'), Type.Literal('OFF')], { default: 'FULL' }),
  /** SQLite: run queries, exports and summaries on a reader thread, so a slow one never holds up ingest. */
  sqliteReaderThread: Type.Boolean({ default: true }),
  /** SQLite: commit large groups (batch requests) on a writer thread, while the HTTP thread reads and checks the next ones. */
  sqliteWriterThread: Type.Boolean({ default: true }),
  /** Most reports committed in one transaction. */
  commitMaxBatch: Type.Integer({ minimum: 1, maximum: 10000, default: 500 }),
  /** How long the first report of a group waits for others before the group commits; 0 = end of the current event-loop turn. */
  commitWindowMs: Type.Number({ minimum: 0, maximum: 1000, default: 0 }),
  /** How long the server may trust what it read about API keys, products, licenses and activations; 0 = ask the database every time. Changes made by the CLI or another instance are honoured within this time. */
  registryCacheMs: Type.Integer({ minimum: 0, maximum: 60_000, default: 1000 }),
  /**
   * Seats a license is taken to have when it has no `max_activations` (and what one user
   * identifier is allowed): past this many distinct machines in the window, license insights call
   * it shared (docs/admin-api.md, "License insights"); the webhook's `license.shared` likewise (docs/webhooks.md).
   */
  defaultSeats: Type.Integer({ minimum: 1, maximum: 1_000_000_000, default: 1 }),
  /**
   * An admin token (an owner of everything, kept for machines and upgrades; docs/accounts.md).
   * Only its hash is stored, replacing any stored one. At least 32 characters, so guessing it is
   * hopeless. A new install makes no admin token of its own.
   */
  adminToken: Type.Union([Type.String({ minLength: ADMIN_TOKEN_MIN_LENGTH }), Type.Null()], { default: null }),
  /**
   * The cost of new password hashes as log2 of scrypt's N (15: 32 MiB and about 100 ms per hash;
   * each step up doubles both). Stored hashes keep their own cost; a login with a hash of a lower
   * cost rehashes it at this one (docs/accounts.md, "Passwords"; decision 0037). Tests use 10.
   */
  passwordHashCost: Type.Integer({ minimum: 10, maximum: 20, default: 15 }),
  /**
   * Failed admin authentications (a wrong Bearer token on /admin/api, a wrong token posted to
   * /login) per client IP per `adminAuthWindowMs`; past it that IP gets HTTP 429 with
   * Retry-After, right or wrong token, until the window ends. 0 = no limit.
   */
  adminAuthFailuresPerIp: Type.Integer({ minimum: 0, default: 10 }),
  /**
   * Failed password logins per account name per `adminAuthWindowMs` (counted whatever the IP, so
   * a guesser spread over many addresses is held too); past it logins to that name get HTTP 429
   * with Retry-After until the window ends. 0 = no limit.
   */
  loginFailuresPerAccount: Type.Integer({ minimum: 0, default: 10 }),
  /** Length of the fixed window of `adminAuthFailuresPerIp` and `loginFailuresPerAccount` in ms. */
  adminAuthWindowMs: Type.Integer({ minimum: 1000, maximum: 86_400_000, default: 60_000 }),
  /**
   * The URL browsers use to reach Tally (e.g. `https://tally.example.com`). When it is https the
   * dashboard's session cookie is always `Secure`, also behind a TLS-terminating proxy that is not
   * in `trustedProxies`; when it is http, never. Unset: Secure when the request came over HTTPS.
   */
  publicUrl: Type.Union([Type.String({ pattern: '^https?://[^/\\s]+' }), Type.Null()], { default: null }),
  /** Time to receive a request's headers in ms; then the connection is closed (HTTP 408). */
  headersTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 10_000 }),
  /**
   * Time to receive a whole request, headers and body, in ms: a body that never arrives costs its
   * socket this long at most (HTTP 408, connection closed). Not the time to answer.
   */
  requestTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 60_000 }),
  /** A connection on which nothing moves either way for this long (ms) is closed: a stalled body, a client that stopped reading. */
  idleTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 60_000 }),
  /** How long (ms) an idle keep-alive connection is kept between requests; above a load balancer's idle timeout (often 60 s). */
  keepAliveTimeoutMs: Type.Integer({ minimum: 1, maximum: 3_600_000, default: 72_000 }),
  /** Most open connections; more are closed as they arrive. */
  maxConnections: Type.Integer({ minimum: 1, default: 10_000 }),
  /** Algorithm of keys made from now on; an existing key keeps its own. */
  signingAlgorithm: Type.Union([Type.Literal('rsa-2048'), Type.Literal('rsa-4096'), Type.Literal('ed25519')], { default: 'rsa-4096' }),
  /**
   * Peers whose `X-Forwarded-For` is believed (comma-separated IPs and CIDRs); empty = never.
   * The client IP is then the right-most address in the chain that is not a trusted proxy.
   */
  trustedProxies: Type.String({ default: '' }),
  /**
   * Requests per rate-limit window per API key (code 104, HTTP 429 past it); 0 = no limit (the
   * default). A key shipped inside an app is shared by every install of it, so this limits the
   * whole fleet together (docs/operations.md, "Sizing rate limits for a fleet").
   */
  rateLimitPerKey: Type.Integer({ minimum: 0, default: 0 }),
  /** Requests per rate-limit window per client IP, on every /api/v1 request; 0 = no limit (the default). A fleet behind one NAT is one IP. */
  rateLimitPerIp: Type.Integer({ minimum: 0, default: 0 }),
  /** Requests per rate-limit window per API key from one client IP (one install, unless several share a NAT); 0 = no limit (the default). */
  rateLimitPerKeyAndIp: Type.Integer({ minimum: 0, default: 0 }),
  /**
   * Failed authentications (answers 100–103) per rate-limit window per client IP; past it that
   * IP's requests are answered 104 before authentication unless they carry a usable key, until
   * the window ends (docs/security.md, "Key guessing"). 0 = no limit.
   */
  rateLimitFailedAuthPerIp: Type.Integer({ minimum: 0, default: 20 }),
  /**
   * IPv6 clients are rate limited per network of this prefix length, not per address (one
   * subscriber usually holds a /64 and can rotate through it); 128 = per address. Applies to
   * every per-IP limit and to the failed-authentication limit.
   */
  rateLimitIpv6Prefix: Type.Integer({ minimum: 16, maximum: 128, default: 64 }),
  /** Length of the fixed rate-limit window in ms. */
  rateLimitWindowMs: Type.Integer({ minimum: 1000, maximum: 86_400_000, default: 60_000 }),
  /**
   * A `redis://` URL: rate-limit counts are then shared by every instance using it. Empty =
   * counted in this process. While Redis cannot be reached, each process counts on its own.
   */
  redisUrl: Type.Union([Type.String({ pattern: '^rediss?://' }), Type.Null()], { default: null }),
  /** Prefix of every Redis key Tally writes, so several installations can share one Redis. */
  redisKeyPrefix: Type.String({ default: 'tally:' }),
  /** Serve Prometheus metrics at `/metrics` (docs/operations.md). */
  metrics: Type.Boolean({ default: true }),
  /** When set, `/metrics` answers only requests with `Authorization: Bearer <this>` (HTTP 401 otherwise); unset = anonymous. */
  metricsToken: Type.Union([Type.String({ minLength: 16 }), Type.Null()], { default: null }),
  /**
   * Log one line per request (with its request id). Off by default: at full ingest speed the
   * lines would cost more than the ingest. Errors, 5xx answers and requests slower than 1 s are
   * logged either way.
   */
  logRequests: Type.Boolean({ default: false }),
  logLevel: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  /**
   * What ingest keeps of each report's client address (docs/privacy.md): `full`, `truncated`
   * (IPv4 /24, IPv6 /48), `hashed` (a keyed hash of that network, its key changing every UTC day)
   * or `none`. Unset: the mode this database remembers, which on its first start is `truncated`
   * for a new database and `full` for one that already holds reports (so an upgrade changes nothing).
   */
  clientIpMode: Type.Union([...CLIENT_IP_MODES.map((mode) => Type.Literal(mode)), Type.Null()], { default: null }),
  /** Telemetry older than this many days is removed by the maintenance job (docs/retention.md); 0 = keep forever. */
  retentionDays: Type.Integer({ minimum: 0, maximum: 36_500, default: 0 }),
  /**
   * Audit log entries older than this many days are removed by the maintenance job (docs/audit.md);
   * 0 = keep forever; unset = the same as `retentionDays` (decision 0030).
   */
  auditRetentionDays: Type.Union([Type.Integer({ minimum: 0, maximum: 36_500 }), Type.Null()], { default: null }),
  /**
   * PostgreSQL: how much time each new telemetry partition spans, `month`, `week` or `day`
   * (docs/scaling.md, decision 0036). Changing it leaves existing partitions as they are: new
   * ones start where the last one ends. Ignored by SQLite.
   */
  partitionInterval: Type.Union(PARTITION_INTERVALS.map((interval) => Type.Literal(interval)), { default: 'month' }),
  /** How often the maintenance job runs (retention; PostgreSQL partitions made ahead). It also runs on start. */
  retentionIntervalMs: Type.Integer({ minimum: 1000, maximum: 86_400_000, default: 3_600_000 }),
  /** Grace period for in-flight requests on SIGTERM/SIGINT before the process exits anyway. */
  shutdownTimeoutMs: Type.Integer({ minimum: 0, default: 10_000 }),
  /** Days the license alerts count over, and the length of the window each alert fires once in (docs/webhooks.md, "Windows"). */
  alertWindowDays: Type.Integer({ minimum: 1, maximum: 3650, default: 30 }),
  /** Flagged reports of one license within the alert window that make it `license.suspicious`. */
  alertSuspiciousReports: Type.Integer({ minimum: 1, default: 10 }),
  /** How often the license alerts are checked (ms); each pass reads only licenses with reports since the last. */
  alertIntervalMs: Type.Integer({ minimum: 100, maximum: 86_400_000, default: 60_000 }),
  /** How long a webhook delivery may take (ms) before it counts as failed and is retried. */
  webhookTimeoutMs: Type.Integer({ minimum: 100, maximum: 300_000, default: 10_000 }),
  /**
   * How long a claimed delivery is kept from other instances (ms): a process that dies mid-delivery
   * leaves it to be sent again after this. More than `webhookTimeoutMs`.
   */
  webhookLeaseMs: Type.Integer({ minimum: 200, maximum: 3_600_000, default: 60_000 }),
  /** How often the delivery worker looks for due deliveries (ms). */
  webhookPollMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000 }),
  /** Most deliveries one instance has in flight at once. */
  webhookConcurrency: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
  /** The first retry's delay (ms); each next one is about 3 times longer, capped at an hour, with ±25 % jitter. */
  webhookRetryBaseMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 10_000 }),
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
