/**
 * The typed errors of Tally's domain. Transports map them to answers in one place each (the
 * admin API's error handler, the CLI's runCommand); nothing matches on their messages.
 */

/** Input a person can fix: a bad value, an unknown capability, a product that does not exist. Admin API 400, CLI exit 1. */
export class RegistryInputError extends Error {
  override readonly name = 'RegistryInputError';
}

/** The id in a path names nothing (admin API 404; the CLI exits 1 like other input errors). */
export class NotFoundError extends RegistryInputError {}

/** The id names no API key. */
export class ApiKeyNotFoundError extends NotFoundError {
  constructor(id: number) {
    super(`No API key with id ${id}.`);
  }
}

/** Raised by a store when a unique entity already exists. */
export class DuplicateError extends Error {
  override readonly name = 'DuplicateError';
}

/** Raised when an operation exists only on another backend; the message says what to use instead. */
export class UnsupportedByBackendError extends Error {
  override readonly name = 'UnsupportedByBackendError';
}

/** Raised by Tally itself when the database cannot be reached (e.g. the SQLite writer thread stopped). */
export class StoreUnavailableError extends Error {}

/** The caller may not do this to this thing (another account's token): admin API 403, CLI exit 1. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}
