import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CutOffList } from '../../src/http/plugins/api/rate-limit/cut-off-list.js';
import { FailedAuthLimit } from '../../src/http/plugins/api/rate-limit/failed-auth.js';
import { UsableKeys } from '../../src/http/plugins/api/rate-limit/usable-keys.js';
import { WindowCounter } from '../../src/http/plugins/api/rate-limit/window-counter.js';
import type { ApiKey } from '../../src/model/registry.js';
import { hashSecret } from '../../src/registry/secrets.js';

/** An API key as the registry lists it, with only what UsableKeys reads. */
function listed(secret: string, state: Partial<Pick<ApiKey, 'active' | 'revoked' | 'expires_at'>> = {}): ApiKey {
  return { secret_hash: hashSecret(secret), active: true, revoked: false, expires_at: null, ...state } as ApiKey;
}

describe('UsableKeys', () => {
  it('knows the keys that can authenticate: not revoked, active, not expired', async () => {
    const keys = [listed('good'), listed('revoked', { revoked: true }), listed('off', { active: false }), listed('old', { expires_at: '2020-01-01T00:00:00.000Z' })];
    const usable = new UsableKeys(async () => keys, 1000);
    assert.deepEqual(await Promise.all(['good', 'revoked', 'off', 'old', 'guess'].map((s) => usable.has(s))), [true, false, false, false, false]);
  });

  it('reads the registry once per refresh, however many keys are guessed at once or in a row', async () => {
    let now = 0;
    let reads = 0;
    const usable = new UsableKeys(async () => {
      reads++;
      return [listed('good')];
    }, 1000, () => now);
    await Promise.all(Array.from({ length: 500 }, (_, i) => usable.has(`guess-${i}`)));
    for (let i = 0; i < 500; i++) await usable.has(`guess-again-${i}`);
    assert.equal(reads, 1);
    now = 1000;
    assert.equal(await usable.has('good'), true);
    assert.equal(reads, 2);
  });

  it('lets every key through to authentication when the registry cannot be read, and keeps the last list after a failed read', async () => {
    let now = 0;
    let fail = true;
    const usable = new UsableKeys(async () => {
      if (fail) throw new Error('database unavailable');
      return [listed('good')];
    }, 1000, () => now);
    assert.equal(await usable.has('guess'), true);
    fail = false;
    now = 1000;
    assert.equal(await usable.has('guess'), false);
    fail = true;
    now = 2000;
    assert.deepEqual([await usable.has('good'), await usable.has('guess')], [true, false]);
  });
});

describe('CutOffList', () => {
  it('holds an IP for the time given, then forgets it', () => {
    let now = 0;
    const list = new CutOffList(10, () => now);
    list.add('192.0.2.1', 500);
    assert.equal(list.remainingMs('192.0.2.1'), 500);
    assert.equal(list.remainingMs('192.0.2.2'), null);
    now = 499;
    assert.equal(list.remainingMs('192.0.2.1'), 1);
    now = 500;
    assert.equal(list.remainingMs('192.0.2.1'), null);
    assert.equal(list.size, 0);
  });

  it('never holds more than its bound: expired IPs go first, then the oldest', () => {
    let now = 0;
    const list = new CutOffList(3, () => now);
    list.add('a', 10);
    list.add('b', 1000);
    list.add('c', 1000);
    now = 20;
    list.add('d', 1000);
    assert.equal(list.size, 3);
    assert.equal(list.remainingMs('a'), null);
    list.add('e', 1000);
    assert.equal(list.size, 3);
    assert.equal(list.remainingMs('b'), null, 'the oldest was forgotten');
    assert.ok(list.remainingMs('e') !== null);
  });
});

describe('FailedAuthLimit', () => {
  it('answers failures with their own code up to the limit, cuts the IP off at it, and lets usable keys through until the window ends', async () => {
    let now = 1_000;
    const counter = new WindowCounter({ limit: 3, windowMs: 60_000, now: () => now });
    const limit = new FailedAuthLimit(counter, new UsableKeys(async () => [listed('good')], 1000, () => now), new CutOffList(100, () => now));
    assert.deepEqual([await limit.failed('ip'), await limit.failed('ip')], [null, null]);
    assert.equal(await limit.refusal('ip', 'guess'), null, 'not cut off before the limit');
    assert.equal(await limit.failed('ip'), null, 'the failure that reaches the limit keeps its own code');
    assert.equal(await limit.refusal('ip', 'guess'), 59_000);
    assert.equal(await limit.refusal('ip', null), 59_000);
    assert.equal(await limit.refusal('ip', 'good'), null);
    assert.equal(await limit.refusal('other-ip', 'guess'), null);
    assert.equal(await limit.failed('ip'), 59_000, 'a failure past the limit (another instance\'s, or in flight) is answered 104');
    now = 60_000;
    assert.equal(await limit.refusal('ip', 'guess'), null, 'the next window starts afresh');
    assert.equal(await limit.failed('ip'), null);
  });
});
