import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The built CLI, as `npx tally` runs it. */
export const CLI = path.resolve(here, '../../src/cli/main.js');

export async function runCli(args: string[], input?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  const child = promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, TALLY_LOG_LEVEL: 'silent' } });
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
