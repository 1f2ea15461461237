import { Option, type Command } from 'commander';
import { CONFIG_KEYS, ConfigSchema, envName, flagName, loadConfig, type Config, type ConfigKey } from '../config/config.js';

/** The parsed value of every setting flag, as commander hands it over (strings; absent when not given). */
export type ConfigFlags = Partial<Record<ConfigKey, string | string[]>>;

const DESCRIPTIONS: Partial<Record<ConfigKey, string>> = {
  port: 'port the HTTP service listens on',
  host: 'address the HTTP service listens on',
  dataDir: 'directory of the embedded SQLite database',
  databaseUrl: 'database URL; postgres://… switches to PostgreSQL',
  readDatabaseUrl: 'PostgreSQL streaming replica that carries the reads; repeat for several (env: comma-separated)',
  readMaxLagMs: 'a replica further behind than this (ms) gets no reads until it catches up',
  bodyLimit: 'largest request body in bytes',
  batchBodyLimit: 'largest batch request body in bytes',
  batchMaxReports: 'most reports in one batch request',
  maxReportAgeDays: 'oldest reported_at (client time) a report may carry, in days',
  maxAnswerBytes: 'largest get-telemetry answer or admin records page in bytes',
  minFreeDiskMb: 'SQLite: refuse reports (503) below this much free disk, in MiB; 0 = never',
  quotaReportsPerKeyPerDay: 'reports one API key may store per UTC day; 0 = no quota',
  quotaBytesPerKeyPerDay: 'bytes of values one API key may store per UTC day; 0 = no quota',
  sqliteSynchronous: 'SQLite synchronous mode (FULL, NORMAL, OFF)',
  commitMaxBatch: 'most reports committed in one transaction',
  commitWindowMs: 'how long a report waits for others to commit with',
  defaultSeats: 'machines a license without max_activations may run on before insights and the license.shared alert call it shared',
  adminToken: 'an admin token (an owner token for machines; at least 32 characters); only its hash is stored',
  adminAuthFailuresPerIp: 'wrong admin tokens per client IP per window before 429 (0 = no limit)',
  loginFailuresPerAccount: 'wrong passwords per account name per window before 429 (0 = no limit)',
  adminAuthWindowMs: 'window of --admin-auth-failures-per-ip and --login-failures-per-account in ms',
  publicUrl: 'URL browsers reach Tally at; https makes the session cookie Secure',
  headersTimeoutMs: 'time to receive request headers in ms',
  requestTimeoutMs: 'time to receive headers and body in ms',
  idleTimeoutMs: 'close a connection idle this long (ms)',
  keepAliveTimeoutMs: 'keep idle keep-alive connections this long (ms)',
  maxConnections: 'most open connections',
  metricsToken: 'Bearer token /metrics requires (none = anonymous)',
  signingAlgorithm: 'algorithm of new signing keys (rsa-2048, rsa-4096, ed25519)',
  logLevel: 'log level',
  partitionInterval: 'PostgreSQL: span of new telemetry partitions (month, week, day)',
  auditRetentionDays: 'days audit log entries are kept (0 = forever; none = as --retention-days)',
  shutdownTimeoutMs: 'grace period for in-flight requests on shutdown',
  alertWindowDays: 'days the license alerts count over, and each alert\'s once-per window',
  alertSuspiciousReports: 'flagged reports of a license within the window that fire license.suspicious',
  alertIntervalMs: 'how often the license alerts are checked (ms)',
  webhookTimeoutMs: 'time a webhook delivery may take (ms)',
  webhookLeaseMs: 'how long a claimed delivery is kept from other instances (ms); more than the timeout',
  webhookPollMs: 'how often the delivery worker looks for due deliveries (ms)',
  webhookConcurrency: 'most webhook deliveries in flight per instance',
  webhookRetryBaseMs: 'first webhook retry delay (ms); then about x3 each, capped at 1 h',
};

/**
 * Adds every setting of `config.ts` as a flag, so any command can point at any store
 * (`--data-dir`, `--database-url`, …). Derived from CONFIG_KEYS so a new setting needs no CLI change.
 */
export function addConfigOptions(command: Command): Command {
  for (const key of CONFIG_KEYS) {
    const description = `${DESCRIPTIONS[key] ?? key} (env ${envName(key)}, default ${defaultOf(key)})`;
    const option = new Option(`${flagName(key)} <value>`, description).helpGroup('Settings:');
    // A setting of several values (an array in config.ts) is a repeatable flag.
    if (Array.isArray(defaultValue(key))) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    command.addOption(option);
  }
  return command;
}

/** Settings from the parsed flags over TALLY_* variables over defaults; throws ConfigError. */
export function configFromOptions(options: ConfigFlags): Config {
  const flags: ConfigFlags = {};
  for (const key of CONFIG_KEYS) if (options[key] !== undefined) flags[key] = options[key];
  return loadConfig(flags);
}

function defaultValue(key: ConfigKey): unknown {
  const schema: { default?: unknown } = ConfigSchema.properties[key];
  return schema.default;
}

function defaultOf(key: ConfigKey): string {
  const value = defaultValue(key);
  return value === null || (Array.isArray(value) && value.length === 0) ? 'none' : String(value);
}
