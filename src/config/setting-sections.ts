import type { ConfigKey } from './config.js';

/** A heading of docs/configuration.md and .env.example, with the settings listed under it. */
export interface SettingSection {
  readonly title: string;
  readonly keys: readonly ConfigKey[];
}

/**
 * The settings that say which database every command works on: the only ones the help of a
 * command other than `tally serve` lists (the rest are accepted there too, unlisted).
 */
export const STORE_SETTINGS: readonly ConfigKey[] = [
  'dataDir', 'databaseUrl', 'readDatabaseUrl', 'readMaxLagMs', 'sqliteSynchronous', 'partitionInterval',
];

/** Every setting once, in the order people look for them (a test checks none is missing or listed twice). */
export const SETTING_SECTIONS: readonly SettingSection[] = [
  { title: 'Where it listens and what it stores in', keys: ['port', 'host', ...STORE_SETTINGS, 'sqliteReaderThread', 'sqliteWriterThread', 'postgresPreparedStatements'] },
  {
    title: 'Ingest',
    keys: [
      'bodyLimit', 'batchBodyLimit', 'batchMaxReports', 'maxReportAgeDays', 'minFreeDiskMb', 'quotaReportsPerKeyPerDay', 'quotaBytesPerKeyPerDay',
      'commitMaxBatch', 'commitWindowMs', 'registryCacheMs', 'clientIpMode',
    ],
  },
  { title: 'Reading', keys: ['maxAnswerBytes', 'defaultSeats'] },
  { title: 'Connections and timeouts', keys: ['headersTimeoutMs', 'requestTimeoutMs', 'idleTimeoutMs', 'keepAliveTimeoutMs', 'maxConnections', 'shutdownTimeoutMs', 'trustedProxies', 'publicUrl'] },
  {
    title: 'Accounts, keys and abuse limits',
    keys: [
      'adminToken', 'passwordHashCost', 'adminAuthFailuresPerIp', 'loginFailuresPerAccount', 'adminAuthWindowMs', 'signingAlgorithm',
      'rateLimitPerKey', 'rateLimitPerIp', 'rateLimitPerKeyAndIp', 'rateLimitFailedAuthPerIp', 'rateLimitIpv6Prefix', 'rateLimitWindowMs', 'redisUrl', 'redisKeyPrefix',
    ],
  },
  { title: 'Retention', keys: ['retentionDays', 'auditRetentionDays', 'retentionIntervalMs'] },
  { title: 'Alerts and webhooks', keys: ['alertWindowDays', 'alertSuspiciousReports', 'alertIntervalMs', 'webhookTimeoutMs', 'webhookLeaseMs', 'webhookPollMs', 'webhookConcurrency', 'webhookRetryBaseMs'] },
  { title: 'Observability', keys: ['metrics', 'metricsToken', 'logRequests', 'logLevel'] },
];
