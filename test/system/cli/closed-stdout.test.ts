import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { CLI } from '../../http/cli-runner.js';

/** Runs the CLI with `args` whose stdout reader has gone away before it writes (`tally … | head`). */
async function withClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('the CLI when the reader of its output goes away', () => {
  for (const args of [['export', '--help'], ['--help'], ['--version']]) {
    it(`tally ${args.join(' ')}: ends as it would have, without an EPIPE stack trace`, async () => {
      const { code, stderr } = await withClosedStdout(args);
      assert.equal(stderr, '');
      assert.equal(code, 0);
    });
  }
});
