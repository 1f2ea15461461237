/**
 * Where the public API lives. The published API's documented base is `/api/v1/`; the published
 * JS SDK resolves `new URL('/v1/…', base)`, which drops the base's path, so every endpoint also
 * answers under `/v1/` (CONTRACT §5). Anything under these prefixes is answered with a signed
 * envelope, a 404 included, never a bare JSON error: the PHP SDK crashes on one.
 */
export const API_PREFIXES = ['/api/v1/', '/v1/'] as const;

/** Every path of an endpoint: each of its names under each prefix. */
export function apiPaths(...names: readonly string[]): string[] {
  return API_PREFIXES.flatMap((prefix) => names.map((name) => prefix + name));
}

/**
 * Whether a decoded, normalised path (requestPath) is under the public API, so an answer to it
 * that no route gave (a 404) is a signed envelope. `/api/` as a whole counts, as it always has.
 */
export function isApiPath(path: string): boolean {
  return path.startsWith('/api/') || path.startsWith('/v1/');
}
