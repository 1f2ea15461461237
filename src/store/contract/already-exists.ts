import { DuplicateError } from '../../model/errors.js';

/** The contract's DuplicateError for a unique-constraint violation of either backend: "<what> already exists". */
export function alreadyExists(what: string, cause: unknown): DuplicateError {
  return new DuplicateError(`${what} already exists`, { cause });
}
