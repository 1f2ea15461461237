import { parseId } from '../telemetry/number.js';

/** The product id a request names in its `product_id` field, or null when it names none (or not a valid id). */
export function requestedProduct(input: Readonly<Record<string, unknown>> | undefined): number | null {
  const value = input?.['product_id'];
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  return typeof value === 'string' ? parseId(value.trim()) : null;
}
