/** How deeply a JSON body may nest; past it the body is refused (400) rather than stored. */
export const MAX_NESTING_DEPTH = 32;

/**
 * Whether a parsed JSON value nests objects/arrays deeper than `max`. Iterative, so a
 * pathological body cannot overflow the stack here, and cheap for the usual flat body.
 * (A deeply nested value would later make JSON.stringify throw while its group commits.)
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
