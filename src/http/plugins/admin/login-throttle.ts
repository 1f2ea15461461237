import type { FastifyReply } from 'fastify';
import type { Config } from '../../../config/config.js';
import { accountNameKey } from '../../../model/account-record.js';
import { FailureCounter } from './failure-counter.js';

/**
 * Throttles password guessing per account: wrong passwords for one name (whatever its case, and
 * whether or not an account has it, so the answer tells nothing) are counted from every IP, and
 * past `loginFailuresPerAccount` in a window, logins to that name are answered 429 with
 * Retry-After until the window ends, right password or not (docs/accounts.md, "Throttling").
 * Kept per process, like the per-IP count (AdminAuthThrottle).
 */
export class AccountLoginThrottle {
  readonly #failures: FailureCounter;

  constructor(config: Pick<Config, 'loginFailuresPerAccount' | 'adminAuthWindowMs'>) {
    this.#failures = new FailureCounter({ limit: config.loginFailuresPerAccount, windowMs: config.adminAuthWindowMs });
  }

  /** Answers 429 and returns the reply when logins to `name` are throttled; otherwise null. */
  refuseIfThrottled(name: string, reply: FastifyReply): FastifyReply | null {
    const waitMs = this.#failures.waitMs(accountNameKey(name));
    if (waitMs <= 0) return null;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return reply.code(429).header('retry-after', String(seconds)).send({ error: `Too many failed logins to this account; try again in ${seconds} s.` });
  }

  /** Counts a wrong password for `name`. */
  failed(name: string): void {
    this.#failures.fail(accountNameKey(name));
  }
}
