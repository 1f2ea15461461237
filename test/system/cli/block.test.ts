import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempTally } from './cli-helper.js';

describe('tally block remove', () => {
  it('prints {id, removed: true} with --json, the human line without, and exits 1 with nothing on stdout for an unknown entry', async (t) => {
    const tally = await tempTally(t);
    const first = await tally.json<{ id: number }>(['block', 'add', '--ip', '203.0.113.7']);
    const second = await tally.json<{ id: number }>(['block', 'add', '--user-identifier', 'pirate']);
    assert.deepEqual(await tally.json(['block', 'remove', String(first.id)]), { id: first.id, removed: true });
    const human = await tally.run(['block', 'remove', String(second.id)]);
    assert.deepEqual([human.code, human.stdout], [0, `Removed blocklist entry ${second.id}.\n`]);
    assert.deepEqual(await tally.json(['block', 'list']), { entries: [] });
    const gone = await tally.run(['block', 'remove', String(first.id), '--json']);
    assert.deepEqual([gone.code, gone.stdout], [1, '']);
    assert.match(gone.stderr, new RegExp(`No blocklist entry ${first.id}\\.`));
  });
});
