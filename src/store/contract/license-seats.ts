/**
 * A license's seats (the machines it may run on) as one SQL expression, given the placeholder
 * of the configured default (`--default-seats`) and a `licenses` row aliased `l` (null when the
 * key is not registered): its own `max_activations`, else the default. The one place the
 * license alerts read seats from, on both backends (the insights read `max_activations` and apply
 * the default in src/query/insights.ts).
 */
export function licenseSeatsSql(defaultSeats: string): string {
  return `COALESCE(l.max_activations, ${defaultSeats})`;
}
