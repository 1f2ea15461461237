import { isPgError } from './connection.js';
import { alreadyExists } from '../contract/already-exists.js';

const UNIQUE_VIOLATION = '23505';

/** Runs a write and turns a unique-constraint violation into the store contract's DuplicateError. */
export async function rethrowDuplicate<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) throw alreadyExists(what, error);
    throw error;
  }
}
