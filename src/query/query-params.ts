import type { FieldErrors } from '../model/record.js';

/** `data_group` → `data group`, the way Laravel-style messages name a field. */
function label(name: string): string {
  return name.replace(/_/g, ' ');
}

/**
 * Reads a query string (as the HTTP framework parsed it) one parameter at a time, collecting
 * Laravel-style messages per field instead of throwing: bad input is data. Values are trimmed
 * and an empty value counts as absent; a repeated parameter (an array) is an error.
 */
export class ParamReader {
  readonly errors: FieldErrors = {};
  readonly #query: Readonly<Record<string, unknown>>;

  constructor(query: Readonly<Record<string, unknown>>) {
    this.#query = query;
  }

  /** The trimmed value, or undefined when absent, empty or not a single string (recorded). */
  text(name: string, maxLength = 255): string | undefined {
    const raw = Object.hasOwn(this.#query, name) ? this.#query[name] : undefined;
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string') return this.fail(name, `The ${label(name)} field must be a string.`);
    const value = raw.trim();
    if (value.length > maxLength) return this.fail(name, `The ${label(name)} field must not be greater than ${maxLength} characters.`);
    return value === '' ? undefined : value;
  }

  /** Like text, and records `… is required.` when absent. */
  required(name: string): string | undefined {
    const value = this.text(name);
    if (value === undefined && this.errors[name] === undefined) this.fail(name, `The ${label(name)} field is required.`);
    return value;
  }

  /** A whole number in [min, max], `fallback` when absent. */
  integer(name: string, min: number, max: number, fallback: number): number {
    const value = this.text(name);
    if (value === undefined) return fallback;
    if (/^\d{1,16}$/.test(value) && Number(value) >= min && Number(value) <= max) return Number(value);
    this.fail(name, `The ${label(name)} field must be an integer between ${min} and ${max}.`);
    return fallback;
  }

  /** `0` or `1`, undefined when absent. */
  bit(name: string): 0 | 1 | undefined {
    const value = this.text(name);
    if (value === undefined || value === '0' || value === '1') return value === undefined ? undefined : (Number(value) as 0 | 1);
    return this.fail(name, `The ${label(name)} field must be 0 or 1.`);
  }

  /** Records an error for every parameter not in `known`, so that a typo is not silently ignored. */
  rejectUnknown(known: readonly string[]): void {
    for (const name of Object.keys(this.#query)) {
      if (!known.includes(name)) this.fail(name, `The ${name} parameter is not supported.`);
    }
  }

  fail(name: string, message: string): undefined {
    (this.errors[name] ??= []).push(message);
    return undefined;
  }

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }
}
