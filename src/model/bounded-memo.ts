/**
 * `compute` remembered for the last distinct inputs, up to `maxEntries` (then forgotten all at
 * once and refilled): for pure functions of a client address that each request would otherwise
 * parse again, where the inputs repeat (a fleet's machines report again and again) and an
 * attacker varying them only costs the parse the cache saves.
 */
export function boundedMemo<T>(compute: (input: string) => T, maxEntries = 10_000): (input: string) => T {
  const known = new Map<string, T>();
  return (input) => {
    const hit = known.get(input);
    if (hit !== undefined || known.has(input)) return hit as T;
    const value = compute(input);
    if (known.size >= maxEntries) known.clear();
    known.set(input, value);
    return value;
  };
}
