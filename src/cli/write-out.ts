import { once } from 'node:events';

/**
 * Writes chunks to a stream (stdout), waiting for 'drain' whenever it is full, so a slow reader
 * slows the producer instead of filling memory. A reader that goes away (`tally export | head`)
 * ends the writing quietly; any other stream error is thrown.
 */
export async function writeAll(chunks: AsyncIterable<string>, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  let failure: unknown = null;
  const onError = (error: unknown): void => {
    failure = error;
  };
  out.on('error', onError);
  try {
    for await (const chunk of chunks) {
      if (failure !== null) break;
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } catch (error) {
    failure = error;
  } finally {
    out.off('error', onError);
  }
  if (failure !== null && (failure as { code?: unknown }).code !== 'EPIPE') throw failure;
}

/**
 * Lets a reader of the CLI's output go away (`tally export --help | head`) without a crash: Node
 * turns an EPIPE on stdout with no listener into an uncaught error and a stack trace. The command
 * ends as it would have (writeAll stops streaming; other writes go nowhere); any other stdout
 * error is still thrown.
 */
export function endQuietlyOnClosedStdout(out: NodeJS.WriteStream = process.stdout): void {
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}
