import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../repo-root.js';
import { TEST_PASSWORD_ENV } from '../password-cost.js';

/** The built CLI, as `npx tally` runs it (`npm run build` makes it). */
export const CLI = path.join(REPO_ROOT, 'dist/app/main.js');

export async function runCli(args: string[], input?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  const child = promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, ...TEST_PASSWORD_ENV, TALLY_LOG_LEVEL: 'silent' } });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}
