import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SERVER_NODE_FLAGS } from '../../bench/tally-server.js';

/** package.json at the repository root (tests run from dist/test/cli). */
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('npm start', () => {
  it('runs node with the flags the benchmark measures the server with, then `tally serve`', () => {
    assert.equal(pkg.scripts['start'], `node ${SERVER_NODE_FLAGS.join(' ')} dist/src/cli/main.js serve`);
  });
});
