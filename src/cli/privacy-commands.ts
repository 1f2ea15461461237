import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { FieldErrors } from '../model/record.js';
import { subjectFilter, type PrivacySubject } from '../model/privacy-subject.js';
import { eraseSubject } from '../privacy/subject-erasure.js';
import { subjectExportLines } from '../privacy/subject-export.js';
import { readSubject } from '../privacy/subject-request.js';
import { inChunks, matchingRecords } from '../query/export.js';
import type { TelemetryStore } from '../store/contract/store.js';
import { cliActor } from './cli-actor.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId } from './parse-values.js';
import { CliInputError, runWithStore } from './run-command.js';
import { writeAll } from './write-out.js';

interface SubjectOptions extends ConfigFlags {
  userIdentifier?: string;
  licenseKey?: string;
  activationIdentifier?: string;
  product?: number;
}

interface EraseOptions extends SubjectOptions {
  yes?: boolean;
  json?: boolean;
}

function subjectCommand(command: Command): Command {
  return addConfigOptions(command
    .requiredOption('--user-identifier <id>', 'the user identifier, exactly as stored (case and spaces count)')
    .option('--license-key <key>', 'only their records with this license key')
    .option('--activation-identifier <id>', 'only their records with this activation identifier')
    .option('--product <id>', 'only their records of this product', parseId));
}

function subjectOf(options: SubjectOptions): PrivacySubject {
  const reading = readSubject({
    user_identifier: options.userIdentifier, license_key: options.licenseKey,
    activation_identifier: options.activationIdentifier, product_id: options.product,
  });
  if (!reading.ok) throw new CliInputError(messages(reading.errors));
  return reading.subject;
}

/**
 * `tally privacy export|erase`: a person's data on request (docs/privacy.md). `export` streams
 * every stored record of the user identifier as NDJSON (the admin shape, client IP included);
 * `erase` deletes them and their event ids, asking first unless `--yes`, and writes the erasure to
 * the audit log without the erased values.
 */
export function registerPrivacyCommands(program: Command): void {
  const group = program.command('privacy').description('export or erase the stored reports of one user identifier (docs/privacy.md)');
  subjectCommand(group.command('export').description('stream every stored record of a user identifier as NDJSON (admin shape, client_ip included)'))
    .action((options: SubjectOptions) =>
      runWithStore(options, async ({ store }) => {
        await writeAll(inChunks(subjectExportLines(store.telemetry, subjectOf(options))));
      }),
    );
  subjectCommand(group.command('erase').description('delete every stored record of a user identifier and its event ids; the audit log records counts only'))
    .option('--yes', 'do not ask (needed when stdin is not a terminal)')
    .option('--json', 'print one JSON object')
    .action((options: EraseOptions) =>
      runWithStore(options, async ({ store }) => {
        const subject = subjectOf(options);
        if (options.yes !== true) await confirm(store.telemetry, subject);
        const report = await eraseSubject(store.privacy, subject, { log: store.audit, actor: cliActor() });
        if (options.json) printJson(report);
        else printLine(`Erased ${report.records} record(s) and ${report.event_ids} event id(s).`);
      }),
    );
}

/** Asks on the terminal before erasing; without one, refuses (scripts pass --yes). */
async function confirm(telemetry: TelemetryStore, subject: PrivacySubject): Promise<void> {
  if (process.stdin.isTTY !== true) throw new CliInputError('erase deletes records for good: pass --yes to confirm');
  let count = 0;
  const records = matchingRecords(telemetry, subjectFilter(subject));
  while ((await records.next()).done !== true) count += 1;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`Erase ${count} record(s) of this user identifier and their event ids? This cannot be undone. [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliInputError('nothing erased');
  } finally {
    prompt.close();
  }
}

function messages(errors: FieldErrors): string {
  return Object.values(errors).flat().join(' ');
}
