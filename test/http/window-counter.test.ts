import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WindowCounter } from '../../src/http/plugins/api/rate-limit/window-counter.js';

describe('WindowCounter', () => {
  it('allows `limit` hits per key per window, counts down, and starts over when the window rolls over', () => {
    let now = 10_000;
    const counter = new WindowCounter({ limit: 3, windowMs: 1000, now: () => now });
    assert.deepEqual([1, 2, 3, 4].map(() => counter.hit('a').remaining), [2, 1, 0, 0]);
    now = 10_250;
    const over = counter.hit('a');
    assert.equal(over.allowed, false);
    assert.equal(over.resetMs, 750);
    assert.equal(counter.hit('b').allowed, true, 'keys are counted apart');
    now = 11_000;
    const fresh = counter.hit('a');
    assert.deepEqual(fresh, { allowed: true, limit: 3, remaining: 2, resetMs: 1000 });
    assert.equal(counter.size, 1, 'the passed window was cleared');
  });

  it('never tracks more than maxKeys keys, forgetting the oldest first', () => {
    const counter = new WindowCounter({ limit: 1, windowMs: 60_000, maxKeys: 3, now: () => 0 });
    for (const key of ['a', 'b', 'c', 'd']) counter.hit(key);
    assert.equal(counter.size, 3);
    assert.equal(counter.hit('a').allowed, true, 'a was forgotten');
    assert.equal(counter.hit('d').allowed, false, 'd is still counted');
  });
});
