/**
 * A license's seats (the machines it may run on) as one SQL expression, given the placeholder
 * of the configured default (`--default-seats`) and a `licenses` row aliased `l` (null when the
 * key is not registered). Licenses carry no allowance of their own yet, so this is the default;
 * it becomes `COALESCE(l.max_activations, <default>)` when licenses gain `max_activations`
 * (issue 17, item 2). The one place the license alerts read seats from, on both backends.
 */
export function licenseSeatsSql(defaultSeats: string): string {
  return defaultSeats;
}
