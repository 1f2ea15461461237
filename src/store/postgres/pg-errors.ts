import { isPgError } from './connection.js';
import { DuplicateError } from '../../model/errors.js';

const UNIQUE_VIOLATION = '23505';

/** Runs a write and turns a unique-constraint violation into the store contract's DuplicateError. */
export async function rethrowDuplicate<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isPgError(error, UNIQUE_VIOLATION)) throw new DuplicateError(`${what} already exists`, { cause: error });
    throw error;
  }
}
