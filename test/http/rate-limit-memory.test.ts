import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { authenticate, MAX_API_KEY_LENGTH } from '../../src/registry/api-keys.js';
import type { RegistryStore } from '../../src/store/contract/store.js';
import { startTestServer, type TestServer } from './test-server.js';

const REQUESTS = 3000;
const KEY_CHARS = 15_000;
const IN_FLIGHT = 16;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection (the server runs in this process). */
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** `tally_rate_limit_state_<what>{state="…"}` from /metrics, by state. */
async function heldState(server: TestServer, what: 'entries' | 'bytes'): Promise<Record<string, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const held: Record<string, number> = {};
  for (const match of text.matchAll(new RegExp(`^tally_rate_limit_state_${what}\\{state="(\\w+)"\\} (\\d+)$`, 'gm'))) held[match[1]!] = Number(match[2]);
  return held;
}

describe('fake API keys from one IP (issue 16, item 1)', () => {
  let server: TestServer;
  before(async () => {
    // Every limit on, as an operator would set them; the IP limit refuses all but the first 100.
    server = await startTestServer({ rateLimitPerIp: 100, rateLimitPerKey: 1000, rateLimitPerKeyAndIp: 1000, rateLimitWindowMs: 86_400_000 });
  });
  after(() => server.close());

  it(`keeps no state per key for ${REQUESTS} requests with distinct ${KEY_CHARS}-character Bearer keys, and the heap does not grow with them`, async () => {
    const heapBefore = heapAfterGc();
    const codes = new Map<number, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < REQUESTS) {
        next++;
        const key = randomBytes(KEY_CHARS / 2).toString('hex');
        const res = await fetch(`${server.url}/api/v1/send-telemetry-data`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
        const code = ((await res.json()) as { response: { code: number } }).response.code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    // 20 failures (the default failure limit) answered 100, then the IP is cut off; past 100 requests the IP limit refuses first.
    assert.deepEqual([codes.get(100), codes.get(104), codes.size], [20, REQUESTS - 20, 2]);

    const entries = await heldState(server, 'entries');
    const bytes = await heldState(server, 'bytes');
    assert.equal(entries['perKey'], 0, 'no per-key entry for a key that never authenticated');
    assert.equal(entries['perKeyAndIp'], 0);
    assert.equal(entries['perIp'], 1, 'one client');
    assert.ok((entries['failedAuth'] ?? 0) <= 1 && (entries['cutOff'] ?? 0) <= 1);
    const heldBytes = Object.values(bytes).reduce((sum, n) => sum + n, 0);
    assert.ok(heldBytes < 1024, `rate-limit state holds ${heldBytes} bytes`);
    // The keys sent add up to 45 MB; kept as sent, they would show here.
    const grown = heapAfterGc() - heapBefore;
    assert.ok(grown < 16 * 1024 * 1024, `heap grew by ${Math.round(grown / 1048576)} MiB`);
  });
});

describe('a key longer than any Tally issues', () => {
  it('is invalid (100) before the registry is asked', async () => {
    const registry = { findApiKeyByHash: () => Promise.reject(new Error('the registry was asked')) } as unknown as RegistryStore;
    assert.deepEqual(await authenticate(registry, 'k'.repeat(MAX_API_KEY_LENGTH + 1), '192.0.2.1', 'send_telemetry'), { ok: false, code: 100 });
    await assert.rejects(authenticate(registry, 'k'.repeat(MAX_API_KEY_LENGTH), '192.0.2.1', 'send_telemetry'), /the registry was asked/);
  });
});
