import { posix } from 'node:path';

/** The scheme and authority of an absolute-form request target (`http://host:port`). */
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * The path of a request target as the router sees it: the scheme and host of an absolute-form
 * target dropped, the query cut off, percent-escapes decoded (left as sent when malformed) and
 * dot segments and repeated slashes resolved. Only for requests no route matched (a route that
 * matched is known by its own options); never for deciding on a raw `request.url`.
 */
export function requestPath(url: string): string {
  const target = url.replace(ABSOLUTE_FORM, '');
  const path = target.split(/[?#]/, 1)[0] ?? '';
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape: the router refuses the request; judge the path as sent.
  }
  return posix.normalize(`/${decoded}`);
}
