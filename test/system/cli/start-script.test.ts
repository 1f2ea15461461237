import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SERVER_NODE_FLAGS } from '../../../bench/tally-server.js';
import path from 'node:path';
import { REPO_ROOT } from '../../repo-root.js';

/** package.json at the repository root. */
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('npm start', () => {
  it('runs node with the flags the benchmark measures the server with, then `tally serve` from the bundle the package ships', () => {
    assert.equal(pkg.scripts['start'], `node ${SERVER_NODE_FLAGS.join(' ')} dist/app/main.js serve`);
  });
});
