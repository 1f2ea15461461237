import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { nonceMismatch } from '../envelope/request-nonce.js';
import { splitPemBundle, verifyEnvelopeWithAny, type VerifyAnyResult } from '../envelope/verify.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { CliInputError, runCommand } from './run-command.js';

/**
 * `tally verify --public-key FILE [RESPONSE_FILE|-]`: checks a signed answer as a client would,
 * against one pinned key or a set: the signature over `response_base64`'s bytes, and that the
 * envelope's plain `response` holds the same value, so an edited copy is never called valid. An
 * answer a published SDK's client saved (signed over the bytes that SDK verifies) is valid too,
 * and says which scheme. With `--nonce`, the signed response must also carry exactly that nonce,
 * so an answer saved for another request is not called valid for this one. With `--json` the
 * verdict is one JSON object on stdout either way (an invalid answer is a verdict, not an error);
 * the exit code stays 0 for valid, 1 for invalid.
 */
export function registerVerifyCommand(program: Command): void {
  addConfigOptions(
    program.command('verify').description('check a saved answer: its signature, and that its plain response matches the signed bytes; exit 0 when valid')
      .requiredOption('--public-key <file>', 'PEM public key (from `tally keys public`), or several (from `keys public --all`): valid when any verifies')
      .option('--nonce <nonce>', 'the nonce the request sent: valid only when the signed response carries exactly it')
      .argument('[response]', 'file holding the answer (the whole JSON envelope); - or none reads stdin', '-')
      .option('--json', 'print one JSON object: {"valid": true, "key_id", "scheme"} or {"valid": false, "reason"} (exit codes unchanged)'),
  ).action((response: string, options: ConfigFlags & { publicKey: string; nonce?: string; json?: boolean }) =>
    runCommand(options, async () => {
      const result = boundTo(verifyEnvelopeWithAny(await readInput(response), await readPublicKeys(options.publicKey)), options.nonce);
      if (!result.valid) process.exitCode = 1;
      if (options.json) printJson(result.valid ? { valid: true, key_id: result.keyId, scheme: result.scheme } : { valid: false, reason: result.reason });
      else if (result.valid) printLine(result.scheme === 'contract' ? 'valid' : `valid (signed for the ${result.scheme} scheme)`);
      else process.stderr.write(`invalid: ${result.reason}\n`);
    }),
  );
}

/** The result, made invalid when a nonce was given and the verified response does not carry it. */
function boundTo(result: VerifyAnyResult, nonce: string | undefined): VerifyAnyResult {
  if (!result.valid || nonce === undefined) return result;
  const mismatch = nonceMismatch(result.response, nonce);
  return mismatch === null ? result : { valid: false, reason: mismatch };
}

/** Reads the keys up front so a wrong file is reported as such, not as an invalid answer. Ed25519, RSA-2048 and RSA-4096 keys. */
async function readPublicKeys(file: string): Promise<string[]> {
  const pems = splitPemBundle(await readFile(file, 'utf8'));
  for (const pem of pems) {
    try {
      createPublicKey(pem);
    } catch {
      throw new CliInputError(`${file} does not hold a public key in PEM form.`);
    }
  }
  return pems;
}

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
