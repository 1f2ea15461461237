import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { foldFields, MAX_FIELDS } from '../../src/http/body/form-fields.js';
import { post, startTestServer, type TestServer } from './test-server.js';

/** `a[]&a[]&…` of exactly `bytes` bytes: a[] is 3 bytes, each & one more (16,000 fields in 64,000 bytes). */
function repeatedArrayField(bytes: number): string {
  return 'a[]&'.repeat(Math.floor(bytes / 4)).slice(0, bytes);
}

/** Runs `work` and returns how long (ms) the event loop was blocked at most meanwhile, with its result. */
async function blockedOnce<T>(work: () => Promise<T>): Promise<{ result: T; blockedMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    const result = await work();
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { result, blockedMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

/**
 * Runs `work` three times; every result, and the least of the three blocks. Work that blocks the
 * loop (the quadratic field copying this guards against took ~1 s) blocks every time; a busy
 * machine pausing the process (another test, a GC) does not hit all three runs.
 */
async function blockedWhile<T>(work: () => Promise<T>): Promise<{ results: T[]; blockedMs: number }> {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await blockedOnce(work));
  return { results: runs.map((run) => run.result), blockedMs: Math.min(...runs.map((run) => run.blockedMs)) };
}

const FORM = 'application/x-www-form-urlencoded';

describe('repeated form fields', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  for (const path of ['/api/v1/send-telemetry-data', '/api/v1/get-telemetry-data']) {
    it(`answers a 64,000-byte a[]&a[]… body to ${path} with a signed 400 at once, without blocking the server`, async () => {
      const { results, blockedMs } = await blockedWhile(() => post(`${server.url}${path}`, repeatedArrayField(64_000), FORM));
      for (const result of results) {
        assert.equal(result.status, 400);
        assert.equal(result.response.code, 400);
        assert.deepEqual(result.response.errors, { body: [`The body or query string has more than ${MAX_FIELDS} fields.`] });
      }
      assert.ok(blockedMs < 100, `event loop blocked ${blockedMs.toFixed(1)} ms (the least of three tries)`);
    });
  }

  it('answers the same body posted to /login with a 400 naming the field cap, without blocking the server', async () => {
    const { results, blockedMs } = await blockedWhile(async () => {
      const res = await fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': FORM }, body: repeatedArrayField(64_000) });
      return { status: res.status, body: (await res.json()) as { error: string; errors: { body: string[] } } };
    });
    for (const result of results) {
      assert.equal(result.status, 400);
      assert.deepEqual(result.body.errors.body, [`The body or query string has more than ${MAX_FIELDS} fields.`]);
    }
    assert.ok(blockedMs < 100, `event loop blocked ${blockedMs.toFixed(1)} ms (the least of three tries)`);
  });

  it(`still reads a body of ${MAX_FIELDS} fields`, async () => {
    const body = `data_group=g&data_type=text&data=x&${'tags[]=t&'.repeat(MAX_FIELDS - 3)}`;
    const answer = await post(`${server.url}/api/v1/send-telemetry-data`, body, FORM, { authorization: `Bearer ${server.seed.keys.full}` });
    assert.notEqual(answer.response.code, 400, JSON.stringify(answer.response));
  });
});

describe('folding form fields', () => {
  it('takes linear time for repeated a[] fields (16,000 of them in well under 100 ms, where copying took ~1 s)', () => {
    const pairs = Array.from({ length: 16_000 }, () => ['a[]', ''] as const);
    // The least of three runs: quadratic copying is slow every time, a pause of a busy machine is not.
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      const fields = foldFields(pairs, Infinity);
      times.push(performance.now() - start);
      assert.equal((fields['a'] as unknown[]).length, 16_000);
    }
    const elapsed = Math.min(...times);
    assert.ok(elapsed < 100, `${elapsed.toFixed(1)} ms (the least of three runs)`);
  });
});
