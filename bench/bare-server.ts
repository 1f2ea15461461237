/**
 * The baseline: the least a Node server can do for an ingest request. It reads the body,
 * parses it as a form, and answers a fixed JSON string as long as Tally's 830 answer.
 * Run as a child process: `node bare-server.js <port> <answerBytes>`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

function answerOfLength(bytes: number): string {
  const head = '{"response":{"code":830},"pad":"';
  const tail = '"}';
  return head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail;
}

function handler(answer: Buffer): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      response.statusCode = form.has('api_key') ? 200 : 400;
      response.setHeader('content-type', 'application/json; charset=utf-8');
      response.setHeader('content-length', answer.length);
      response.end(answer);
    });
  };
}

function main(): void {
  const port = Number(process.argv[2]);
  const answer = Buffer.from(answerOfLength(Number(process.argv[3] ?? 500)), 'utf8');
  const server = createServer(handler(answer));
  server.keepAliveTimeout = 72_000;
  server.listen(port, '127.0.0.1');
  process.once('SIGTERM', () => process.exit(0));
}

main();
