import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { lazyRequestLogger } from '../../src/http/plugins/request-logger.js';

/** A Fastify app's own pino logger at `level`, writing JSON lines into `lines`. */
function appLogger(level: string, lines: Record<string, unknown>[]): FastifyBaseLogger {
  const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
  return Fastify({ logger: { level, stream } }).log;
}

/** Counts the children `parent` makes, leaving what they do as it is. */
function countingChildren(parent: FastifyBaseLogger): { parent: FastifyBaseLogger; made: () => number } {
  let made = 0;
  const child = parent.child.bind(parent);
  parent.child = (bindings, options) => {
    made++;
    return child(bindings, options);
  };
  return { parent, made: () => made };
}

describe('a request logger made on first use', () => {
  it('makes no child logger for a request that logs nothing', () => {
    const { parent, made } = countingChildren(appLogger('warn', []));
    const logger = lazyRequestLogger(parent, { reqId: 'r-1' }, {});
    assert.equal(logger.level, 'warn', 'its level is readable without a child');
    assert.equal(made(), 0);
  });

  it("logs with the request's bindings, through one child made on the first line", () => {
    const lines: Record<string, unknown>[] = [];
    const { parent, made } = countingChildren(appLogger('info', lines));
    const logger = lazyRequestLogger(parent, { reqId: 'r-2' }, {});
    logger.warn({ status: 500 }, 'answered with a server error');
    logger.error('unexpected error');
    logger.debug('below the level');
    assert.equal(made(), 1);
    assert.deepEqual(lines.map((line) => [line['reqId'], line['msg'], line['status']]), [
      ['r-2', 'answered with a server error', 500],
      ['r-2', 'unexpected error', undefined],
    ]);
  });

  it("keeps a route's own level, as the child Fastify would have made", () => {
    const lines: Record<string, unknown>[] = [];
    const logger = lazyRequestLogger(appLogger('warn', lines), { reqId: 'r-3' }, { level: 'debug' });
    assert.equal(logger.level, 'debug');
    logger.debug('shown at the route level');
    assert.deepEqual(lines.map((line) => line['msg']), ['shown at the route level']);
  });

  it('is the request.log of a Fastify app, bound to the request id', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
    const app = Fastify({ logger: { level: 'warn', stream }, childLoggerFactory: lazyRequestLogger, genReqId: () => 'r-4' });
    app.get('/', async (request) => {
      request.log.warn('from the route');
      return 'ok';
    });
    await app.inject({ method: 'GET', url: '/' });
    await app.close();
    assert.deepEqual(lines.map((line) => [line['reqId'], line['msg']]), [['r-4', 'from the route']]);
  });
});
