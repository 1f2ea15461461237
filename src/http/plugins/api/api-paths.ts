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
 * Whether a request's URL is under the public API (so its answer is a signed envelope). `/api/`
 * as a whole counts, as it always has (an unknown `/api/…` path gets a signed 404 too).
 */
export function isApiUrl(url: string): boolean {
  return url.startsWith('/api/') || url.startsWith('/v1/');
}
