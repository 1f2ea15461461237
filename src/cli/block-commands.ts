import type { Command } from 'commander';
import { addBlockEntry, removeBlockEntry } from '../registry/blocklist.js';
import type { BlockEntry, BlockKind } from '../model/blocklist.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId } from './parse-values.js';
import { CliInputError, runWithStore } from './run-command.js';
import { cliAudit } from './cli-audit.js';

interface AddOptions extends ConfigFlags {
  ip?: string;
  userIdentifier?: string;
  licenseKey?: string;
  product?: number;
  reason?: string;
  ignoreCase?: boolean;
  json?: boolean;
}

/**
 * `tally block add|list|remove`: the blocklist (docs/security.md, "Blocklist"). A running
 * server sees changes within its registry cache TTL (`--registry-cache-ms`).
 */
export function registerBlockCommands(program: Command): void {
  const group = program.command('block').description('block IPs, user identifiers or license keys (their reports are stored, flagged, and answered 150)');
  addConfigOptions(
    group.command('add').description('add one entry: exactly one of --ip, --user-identifier, --license-key')
      .option('--ip <ip-or-cidr>', 'an IPv4/IPv6 address or CIDR')
      .option('--user-identifier <id>', 'a user identifier, matched after trimming and dropping invisible characters (NUL, zero-width)')
      .option('--license-key <key>', 'a license key, matched like --user-identifier')
      .option('--ignore-case', 'match the user identifier or license key whatever the case (Pirate for pirate)')
      .option('--product <id>', 'apply to this product only (default: every product)', parseId)
      .option('--reason <text>', 'why, for the people who read the list')
      .option('--json', 'print one JSON object'),
  ).action((options: AddOptions) =>
    runWithStore(options, async ({ store }) => {
      const [kind, value] = kindAndValue(options);
      const entry = await addBlockEntry(store.blocklist, store.registry, {
        kind, value, product_id: options.product, reason: options.reason, ignore_case: options.ignoreCase === true,
      }, cliAudit(store));
      if (options.json) printJson(entry);
      else printLine(`Blocked ${describe(entry)} (entry ${entry.id}).`);
    }),
  );
  addConfigOptions(group.command('list').description('list the blocklist').option('--json', 'print one JSON object')).action(
    (options: ConfigFlags & { json?: boolean }) =>
      runWithStore(options, async ({ store }) => {
        const entries = await store.blocklist.list();
        if (options.json) return printJson({ entries });
        if (entries.length === 0) printLine('The blocklist is empty.');
        for (const e of entries) printLine(`${e.id}\t${e.kind}\t${e.value}\t${e.ignore_case ? 'any case' : 'exact'}\t${scope(e)}\t${e.created_at}\t${e.reason ?? ''}`);
      }),
  );
  addConfigOptions(group.command('remove').description('remove an entry').argument('<id>', 'entry id', parseId).option('--json', 'print one JSON object: {"id", "removed": true}')).action(
    (id: number, options: ConfigFlags & { json?: boolean }) =>
      runWithStore(options, async ({ store }) => {
        await removeBlockEntry(store.blocklist, id, cliAudit(store));
        if (options.json) printJson({ id, removed: true });
        else printLine(`Removed blocklist entry ${id}.`);
      }),
  );
}

function kindAndValue(options: AddOptions): [BlockKind, string] {
  const given: [BlockKind, string | undefined][] = [
    ['ip', options.ip], ['user_identifier', options.userIdentifier], ['license_key', options.licenseKey],
  ];
  const chosen = given.filter((pair): pair is [BlockKind, string] => pair[1] !== undefined);
  if (chosen.length !== 1 || chosen[0] === undefined) {
    throw new CliInputError('Give exactly one of --ip, --user-identifier, --license-key.');
  }
  return chosen[0];
}

function scope(entry: BlockEntry): string {
  return entry.product_id === null ? 'every product' : `product ${entry.product_id}`;
}

function describe(entry: BlockEntry): string {
  return `${entry.kind} "${entry.value}"${entry.ignore_case ? ' (any case)' : ''} for ${scope(entry)}`;
}
