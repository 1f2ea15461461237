/** @tally/client for browsers and Node (no Node built-ins here; Node's file queue is in `@tally/client/node`). */
export { TallyClient, SINGLE_PATH, BATCH_PATH, type TallyClientOptions, type SendOutcome } from './client.js';
export { verifyAnswer, importPublicKey, TallyVerificationError, type VerifiedResponse, type PinnedKey } from './envelope.js';
export { checkNonce, newNonce, TallyNonceError } from './nonce.js';
export { MemoryQueueStorage, type QueueStorage } from './queue-storage.js';
export { LocalStorageQueueStorage, IndexedDbQueueStorage, type KeyValueStorage } from './browser-storage.js';
export { backoffMs, retryAfterMs, type RetryOptions } from './backoff.js';
export type { TelemetryReport, NumericSingleValueReport, NumericXyReport, TextReport, ReportBase, QueuedReport, JsonValue } from './reports.js';
