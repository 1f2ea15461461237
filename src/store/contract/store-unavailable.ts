import { StoreUnavailableError } from '../../model/errors.js';

/**
 * Errors that mean "the database cannot be used right now", not "this request is wrong": the
 * PostgreSQL server is gone or restarting, the connection broke, the SQLite file is locked by
 * another process past the busy timeout, or the disk is full. The client should retry later
 * (503 + Retry-After), and a group commit that failed this way must not be retried record by
 * record: a broken connection leaves it unknown whether the group was committed.
 */
const NODE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** PostgreSQL SQLSTATEs: admin/crash shutdown, cannot connect now, too many connections, disk full, out of memory. */
const PG_UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '53100', '53200', '58030']);

/** Messages of node-postgres itself when its connection is gone (it sets no code on these). */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
];

const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|PROTOCOL|READONLY_DBMOVED)/;


export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof StoreUnavailableError) return true;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NODE_NETWORK_CODES.has(code) || PG_UNAVAILABLE_STATES.has(code)) return true;
    // Class 08: connection exception.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    if (SQLITE_UNAVAILABLE.test(code)) return true;
  }
  if (PG_CONNECTION_MESSAGES.some((message) => error.message.includes(message))) return true;
  // An AggregateError (several addresses refused) or a wrapped cause.
  if (error instanceof AggregateError && error.errors.some(isStoreUnavailable)) return true;
  return error.cause !== undefined && error.cause !== error && isStoreUnavailable(error.cause);
}
