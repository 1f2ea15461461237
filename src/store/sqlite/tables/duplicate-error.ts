import Database from 'better-sqlite3';
import { alreadyExists } from '../../contract/already-exists.js';

const UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** Runs a write and turns a unique-constraint violation into the store contract's DuplicateError. */
export function rethrowDuplicate<T>(what: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (error instanceof Database.SqliteError && UNIQUE_CODES.has(error.code)) {
      throw alreadyExists(what, error);
    }
    throw error;
  }
}
