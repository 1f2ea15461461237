import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { boundedMemo } from '../../src/model/bounded-memo.js';

describe('boundedMemo', () => {
  it('answers as the function does, computing each input once', () => {
    const calls: string[] = [];
    const length = boundedMemo((input) => {
      calls.push(input);
      return input.length;
    });
    assert.deepEqual(['a', 'bb', 'a', 'bb', 'ccc'].map(length), [1, 2, 1, 2, 3]);
    assert.deepEqual(calls, ['a', 'bb', 'ccc']);
  });

  it('remembers a null answer too', () => {
    let calls = 0;
    const nothing = boundedMemo(() => {
      calls++;
      return null;
    });
    assert.equal(nothing('x'), null);
    assert.equal(nothing('x'), null);
    assert.equal(calls, 1);
  });

  it('holds at most maxEntries inputs, then starts over', () => {
    let calls = 0;
    const same = boundedMemo((input) => {
      calls++;
      return input;
    }, 2);
    for (const input of ['a', 'b', 'c', 'a']) same(input);
    // 'c' did not fit beside 'a' and 'b': they were forgotten, so 'a' is computed again.
    assert.equal(calls, 4);
    same('c');
    assert.equal(calls, 4);
  });
});
