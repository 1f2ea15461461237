import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** This process's part of the ids it makes: random, so two instances' logs never share an id. */
const BOOT = randomBytes(6).toString('base64url');
let made = 0;

/**
 * The id of a request: the caller's `X-Request-Id` when it is a short, plain token (so a load
 * balancer's id follows the request into Tally's logs), else a new one, unique to this process
 * (a random prefix chosen at start and a count: cheaper than a UUID per request). Anything else a
 * client sends there is ignored, so it cannot forge log lines.
 */
export function requestId(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && SAFE_ID.test(header) ? header : `${BOOT}-${(++made).toString(36)}`;
}
