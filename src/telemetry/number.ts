/** A plain decimal: optional sign, digits with optional fraction (or a bare fraction), optional exponent. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses the contract's number grammar. `NaN`, `Infinity`, hex, and values that overflow to
 * infinity are not numbers: they give null.
 */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** Integers as the contract accepts them for ids: digits without sign or leading zeros, within the safe range. */
const INTEGER = /^(?:0|[1-9]\d{0,15})$/;

export function parseId(text: string): number | null {
  if (!INTEGER.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}
