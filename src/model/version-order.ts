/** A version split into runs of digits (compared as numbers) and runs of anything else (compared as text). */
function parts(version: string): (number | string)[] {
  return (version.match(/\d+|\D+/g) ?? []).map((part) => (/^\d/.test(part) ? Number(part) : part));
}

/**
 * Versions in version order (`1.2.0` < `1.10.0`, `2.1.0` < `2.1.0-beta`: digits compared as
 * numbers, the rest as text, a prefix first), then by their text, so the order is total.
 */
export function compareVersions(a: string, b: string): number {
  const left = parts(a);
  const right = parts(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] as number | string;
    const y = right[i] as number | string;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return left.length - right.length || (a < b ? -1 : a > b ? 1 : 0);
}
