import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { verifyEnvelope } from '../envelope/verify.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printLine } from './output.js';
import { CliInputError, runCommand } from './run-command.js';

/** `tally verify --public-key FILE [RESPONSE_FILE|-]`: checks a signed answer as a client would. */
export function registerVerifyCommand(program: Command): void {
  addConfigOptions(
    program.command('verify').description('check the signature of a saved answer; exit 0 when valid')
      .requiredOption('--public-key <file>', 'PEM public key (from `tally keys public`)')
      .argument('[response]', 'file holding the answer (the whole JSON envelope); - or none reads stdin', '-'),
  ).action((response: string, options: ConfigFlags & { publicKey: string }) =>
    runCommand(options, async () => {
      const result = verifyEnvelope(await readInput(response), await readPublicKey(options.publicKey));
      if (result.valid) printLine('valid');
      else {
        process.stderr.write(`invalid: ${result.reason}\n`);
        process.exitCode = 1;
      }
    }),
  );
}

/** Reads the key up front so a wrong file is reported as such, not as an invalid answer. */
async function readPublicKey(file: string): Promise<string> {
  const pem = await readFile(file, 'utf8');
  try {
    createPublicKey(pem);
  } catch {
    throw new CliInputError(`${file} does not hold a public key in PEM form.`);
  }
  return pem;
}

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
