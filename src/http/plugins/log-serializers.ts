/** The parts of a request that a log line may show. */
interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
}

/**
 * How a request appears when something logs it: method, path and client address only. The
 * query string is cut off (it may carry `api_key`), and headers and bodies (Authorization,
 * an `api_key` field, the admin token) are never included.
 */
export const logSerializers = {
  req(request: LoggedRequest): { method: string | undefined; path: string | undefined; remoteAddress: string | undefined } {
    return { method: request.method, path: request.url?.split('?')[0], remoteAddress: request.ip };
  },
};
