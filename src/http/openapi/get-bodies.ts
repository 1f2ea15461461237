/** The part of an OpenAPI document this looks at: each path's GET operation. */
interface Paths {
  paths?: Record<string, { get?: { requestBody?: unknown } } | undefined>;
}

/**
 * The document without a request body on GET operations. A route that answers GET and POST (the
 * query endpoints) has one description for both, whose body is the POST's form; a GET sends
 * its fields in the query string.
 */
export function withoutGetBodies<D extends Paths>(document: D): D {
  for (const item of Object.values(document.paths ?? {})) {
    if (item?.get?.requestBody === undefined) continue;
    // A copy: the POST operation is the same object.
    const get = { ...item.get };
    delete get.requestBody;
    item.get = get;
  }
  return document;
}
