import { CliInputError } from './run-command.js';

/** Reads a password from standard input (`--password-stdin`): all of it, without the final line break. */
export async function passwordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new CliInputError('--password-stdin read no password.');
  return text;
}

/** True when a person is at the terminal: standard input and error are both terminals. */
export function isInteractive(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** Asks for a line on the terminal without echoing it (prompt on stderr). */
function askHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  let typed = '';
  return new Promise((resolve, reject) => {
    const done = (error: Error | null): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error === null) resolve(typed);
      else reject(error);
    };
    const onData = (data: Buffer): void => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return done(null);
        if (char === '\u0003') return done(new CliInputError('Cancelled.'));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += char;
      }
    };
    input.on('data', onData);
  });
}

/** Asks twice on the terminal; refuses when the two differ. */
export async function promptNewPassword(): Promise<string> {
  const first = await askHidden('New password: ');
  const second = await askHidden('Repeat it: ');
  if (first !== second) throw new CliInputError('The two passwords differ.');
  return first;
}

/**
 * The password a command sets: from stdin with `--password-stdin`; asked twice when a person is
 * at the terminal; otherwise null (the command generates one and prints it once).
 */
export async function chosenPassword(fromStdin: boolean | undefined): Promise<string | null> {
  if (fromStdin === true) return passwordFromStdin();
  if (isInteractive()) return promptNewPassword();
  return null;
}
