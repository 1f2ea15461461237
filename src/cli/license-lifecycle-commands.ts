import type { Command } from 'commander';
import type { License } from '../model/registry.js';
import { deleteLicense, resolveLicense, setLicenseStatus, showLicense, STATUS_ACTIONS, updateLicense, type LicenseUpdate } from '../registry/license-lifecycle.js';
import { listLicenses } from '../registry/license-list.js';
import { cliActor } from './cli-actor.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId, parseLimit } from './parse-values.js';
import { CliInputError, runWithStore } from './run-command.js';

interface ListOptions extends ConfigFlags {
  product?: number;
  status?: string;
  expired?: boolean;
  never?: boolean;
  expiresBefore?: string;
  search?: string;
  limit?: number;
  after?: string;
  json?: boolean;
}

interface OneOptions extends ConfigFlags {
  product?: number;
  json?: boolean;
}

interface UpdateOptions extends OneOptions {
  status?: string;
  expiresAt?: string;
  /** false with --no-expiry. */
  expiry: boolean;
  maxActivations?: string;
  /** false with --no-seats. */
  seats: boolean;
  notes?: string;
}

const PAST: Record<string, string> = { block: 'Blocked', unblock: 'Unblocked', revoke: 'Revoked' };

/** `tally license list|show|update|block|unblock|revoke|delete` (docs/licenses.md). */
export function registerLicenseLifecycleCommands(group: Command): void {
  addConfigOptions(
    group.command('list').description('list licenses, filtered and paged (by id)')
      .option('--product <id>', 'only this product\'s', parseId)
      .option('--status <status>', 'only active, blocked or revoked ones')
      .option('--expired', 'only expired ones')
      .option('--never-expires', 'only ones that never expire')
      .option('--expires-before <iso>', 'only ones that expire before then')
      .option('--search <text>', 'text in the key or the notes (any case)')
      .option('--limit <n>', 'licenses per page, 1 to 1000 (default 50)', parseLimit)
      .option('--after <next>', 'the next of the page before')
      .option('--json', 'print one JSON object: {"licenses": […], "next": … or null}'),
  ).action((options: ListOptions & { neverExpires?: boolean }) =>
    runWithStore(options, async ({ store }) => {
      if (options.expired && options.neverExpires) throw new CliInputError('Give --expired or --never-expires, not both.');
      const expiry = options.expired ? 'expired' : options.neverExpires ? 'never' : undefined;
      const page = await listLicenses(store.registry, {
        productId: options.product, status: options.status, expiry, expiresBefore: options.expiresBefore,
        search: options.search, limit: options.limit, after: options.after,
      });
      if (options.json) return printJson(page);
      for (const license of page.licenses) printLine(licenseLine(license));
      printLine(page.licenses.length === 0 ? 'No licenses.' : page.next === null ? `${page.licenses.length} license(s).` : `More: --after ${page.next}`);
    }),
  );
  addConfigOptions(oneLicense(group.command('show').description('show a license with its activations and report counts'))).action((ref: string, options: OneOptions) =>
    runWithStore(options, async ({ store }) => {
      const detail = await showLicense(store.registry, (await resolveLicense(store.registry, ref, options.product)).id);
      if (options.json) return printJson(detail);
      printLine(licenseLine(detail.license));
      if (detail.license.notes !== null) printLine(`  notes: ${detail.license.notes}`);
      const { total, flagged, last_report_at: last } = detail.reports;
      printLine(`  reports: ${total} (${flagged} red-flagged), last ${last ?? 'never'}`);
      printLine(`  activations: ${detail.activations.length}${detail.activations_next === null ? '' : '+ (tally activation list --license … --after …)'}`);
      for (const a of detail.activations) printLine(`    ${a.id} ${a.identifier} ${a.created_at}${a.deactivated_at === null ? '' : ` deactivated ${a.deactivated_at}`}`);
    }),
  );
  addConfigOptions(
    oneLicense(group.command('update').description('change a license\'s status, expiry, seats or notes'))
      .option('--status <status>', 'active, blocked or revoked (revoked is final)')
      .option('--expires-at <iso>', 'ISO-8601 date or date-time (UTC unless it has an offset)')
      .option('--no-expiry', 'never expires')
      .option('--max-activations <n>', 'seats: machines the license may run on')
      .option('--no-seats', 'no seat limit of its own (--default-seats applies)')
      .option('--notes <text>', 'the vendor\'s notes ("" clears them)'),
  ).action((ref: string, options: UpdateOptions) =>
    runWithStore(options, async ({ store }) => {
      const license = await resolveLicense(store.registry, ref, options.product);
      const after = await updateLicense(store.registry, license.id, readUpdate(options), { log: store.audit, actor: cliActor() });
      if (options.json) printJson(after);
      else printLine(`Updated: ${licenseLine(after)}`);
    }),
  );
  for (const action of STATUS_ACTIONS) {
    addConfigOptions(oneLicense(group.command(action).description(`${action} a license${action === 'revoke' ? ' (final: it cannot be made active again)' : ''}`)))
      .action((ref: string, options: OneOptions) =>
        runWithStore(options, async ({ store }) => {
          const license = await resolveLicense(store.registry, ref, options.product);
          const after = await setLicenseStatus(store.registry, license.id, action, { log: store.audit, actor: cliActor() });
          if (options.json) printJson(after);
          else printLine(`${PAST[action]}: ${licenseLine(after)}`);
        }),
      );
  }
  addConfigOptions(oneLicense(group.command('delete').description('delete a license and its activations (its reports stay)'))).action((ref: string, options: OneOptions) =>
    runWithStore(options, async ({ store }) => {
      const license = await resolveLicense(store.registry, ref, options.product);
      await deleteLicense(store.registry, license.id, { log: store.audit, actor: cliActor() });
      if (options.json) printJson({ id: license.id, key: license.key, product_id: license.product_id, deleted: true });
      else printLine(`Deleted license ${license.id} "${license.key}" of product ${license.product_id} and its activations.`);
    }),
  );
}

function oneLicense(command: Command): Command {
  return command.argument('<license>', 'license key, or id')
    .option('--product <id>', 'product id, when the key exists for several products', parseId)
    .option('--json', 'print one JSON object');
}

function readUpdate(options: UpdateOptions): LicenseUpdate {
  if (!options.expiry && options.expiresAt !== undefined) throw new CliInputError('Give --expires-at or --no-expiry, not both.');
  if (!options.seats && options.maxActivations !== undefined) throw new CliInputError('Give --max-activations or --no-seats, not both.');
  return {
    status: options.status,
    expiresAt: options.expiry ? options.expiresAt : null,
    maxActivations: options.seats ? options.maxActivations : null,
    notes: options.notes,
  };
}

function licenseLine(license: License): string {
  const expiry = license.expires_at === null ? 'never expires' : `expires ${license.expires_at}`;
  const seats = license.max_activations === null ? 'no seat limit' : `${license.max_activations} seat(s)`;
  return `${license.id} "${license.key}" product ${license.product_id}: ${license.status}, ${expiry}, ${seats}`;
}
