import { fileURLToPath } from 'node:url';
import { measure, type LoadOptions, type LoadSummary } from './load.js';
import { freePort, spawnNode, stopChild, waitUntilAnswering, type Child } from './processes.js';

const BARE_SERVER = fileURLToPath(new URL('./bare-server.js', import.meta.url));

export interface BareServer {
  child: Child;
  baseUrl: string;
}

/** Runs the bare `node:http` baseline on a free 127.0.0.1 port, answering `answerBytes` bytes. */
export async function startBare(answerBytes: number): Promise<BareServer> {
  const port = await freePort();
  const child = spawnNode('bare server', BARE_SERVER, [String(port), String(answerBytes)]);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(child, baseUrl + '/');
  return { child, baseUrl };
}

/**
 * The bare baseline started, measured with `bodies` under `options`, and stopped; `onListening`
 * is told its URL before the load (a log line).
 */
export async function measureBare(answerBytes: number, bodies: readonly string[], options: LoadOptions, onListening: (baseUrl: string) => void = () => undefined): Promise<LoadSummary> {
  const bare = await startBare(answerBytes);
  try {
    onListening(bare.baseUrl);
    return await measure('bare node:http', bare.baseUrl, bodies, options, undefined, bare.child.process.pid);
  } finally {
    await stopChild(bare.child);
  }
}
