import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { fireWrk, luaScript, parseWrk } from '../../bench/wrk-load.js';
import { describeWhenReachable } from '../service-gate.js';

/** wrk's report of a real run (wrk 4.2, one thread, `--latency`). */
const REPORT = `Running 10s test @ http://127.0.0.1:8080/api/v1/send-telemetry-data
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.71ms  412.55us  14.02ms   91.10%
    Req/Sec    18.49k   702.13    19.44k    81.00%
  Latency Distribution
     50%    2.62ms
     75%    2.80ms
     90%    3.05ms
     99%    1.10s
  184071 requests in 10.01s, 96.81MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 17
Requests/sec:  18389.32
Transfer/sec:      9.67MB
`;

describe('the wrk load generator', () => {
  it('reads requests, duration, non-2xx answers, socket errors and p50/p99 from its report', () => {
    assert.deepEqual(parseWrk(REPORT), { requests: 184_071, seconds: 10.01, non2xx: 17, errors: 5, p50Ms: 2.62, p99Ms: 1100 });
  });

  it('refuses a report without a request count rather than reading zeros', () => {
    assert.throws(() => parseWrk('unable to connect to 127.0.0.1:9 Connection refused'), /no request count/);
  });

  it('quotes each body as a Lua long string of a level that body cannot close', () => {
    const script = luaScript(['a=1', 'x=]]&y=]=]'], 'application/x-www-form-urlencoded');
    assert.match(script, /\[==\[\nx=\]\]&y=\]=\]\]==\],/);
    assert.match(script, /wrk\.headers\["Content-Type"\] = "application\/x-www-form-urlencoded"/);
  });
});

const wrkMissing = Promise.resolve(((): string | null => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return null;
  } catch (error) {
    // `wrk --version` prints its usage and exits 1: only a missing binary is ENOENT.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'wrk is not installed' : null;
  }
})());

await describeWhenReachable('the wrk load generator against a server', wrkMissing, process.env['TALLY_TEST_REQUIRE_WRK'] === '1', 'apt-get install wrk', () => {
  it('posts every body in turn with its content type and counts the non-2xx answers', async (t) => {
    const seen = new Map<string, number>();
    const types = new Set<string>();
    const server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => {
        seen.set(body, (seen.get(body) ?? 0) + 1);
        types.add(request.headers['content-type'] ?? '');
        response.writeHead(body === 'refuse=1' ? 503 : 200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const { port } = server.address() as AddressInfo;

    const result = await fireWrk(`http://127.0.0.1:${port}/api/v1/send-telemetry-data`, ['a=1', 'refuse=1', 'b=2'], 'application/x-www-form-urlencoded', 2, 1);
    const answered = [...seen.values()].reduce((sum, n) => sum + n, 0);
    assert.ok(result.requests > 0 && result.requests <= answered, `${result.requests} responses counted, ${answered} requests answered`);
    assert.deepEqual([...seen.keys()].sort(), ['a=1', 'b=2', 'refuse=1']);
    assert.deepEqual([...types], ['application/x-www-form-urlencoded']);
    // Every third request is refused; wrk counts the refusals it got answers to.
    assert.ok(Math.abs(result.non2xx - result.requests / 3) <= 2, `${result.non2xx} non-2xx of ${result.requests}`);
  });
});
