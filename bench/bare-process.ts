import { fileURLToPath } from 'node:url';
import { freePort, spawnNode, waitUntilAnswering, type Child } from './processes.js';

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
