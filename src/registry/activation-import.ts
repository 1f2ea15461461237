import type { AuditContext } from '../model/audit.js';
import { RegistryInputError } from '../model/errors.js';
import type { License } from '../model/registry.js';
import type { NewActivation } from '../store/contract/license-store.js';
import type { RegistryStore } from '../store/contract/store.js';
import { MAX_IDENTIFIER_LENGTH } from './products.js';
import { badRowsMessage, missingRequired, parseRowFile, type RawRow, type RowFileSpec } from './row-file.js';

type Column = 'license_key' | 'identifier' | 'product_id';
const SPEC: RowFileSpec<Column> = { columns: ['license_key', 'identifier', 'product_id'], required: ['license_key', 'identifier'], numeric: ['product_id'] };

interface CheckedRow {
  line: number;
  activation?: NewActivation;
  problems: string[];
}

/** What an activation import did: activations recorded (new, or deactivated ones activated again) and rows that counted already. */
export interface ActivationImportResult {
  imported: number;
  unchanged: number;
}

/**
 * Records activations in bulk from a file's text, as importLicenses reads licenses (CSV with a
 * header or NDJSON; columns license_key, identifier, and product_id when a key is registered for
 * several products). Every row is checked first (the license exists, the identifier is usable,
 * no row repeats an earlier one) and ALL bad rows are listed with their line numbers; only a file
 * without any is written, in one transaction. Idempotent: importing the same file again records
 * nothing new. Recorded in the audit log as one entry.
 */
export async function importActivations(registry: RegistryStore, text: string, audit: AuditContext): Promise<ActivationImportResult> {
  const raw = parseRowFile(text, SPEC);
  const licenses = await registry.findLicensesByKeys(raw.flatMap((row) => ('fields' in row && row.fields.license_key ? [row.fields.license_key.trim()] : [])));
  const rows = markRepeats(raw.map((row) => checkRow(row, licenses)));
  const bad = rows.filter((row) => row.problems.length > 0);
  if (bad.length > 0) throw new RegistryInputError(badRowsMessage(bad));
  const activations = rows.flatMap((row) => (row.activation ? [row.activation] : []));
  const imported = await registry.importActivations(activations);
  const result = { imported, unchanged: activations.length - imported };
  await audit.log.record({
    actor: audit.actor, action: 'activation.import', targetType: 'activation', targetId: null,
    changes: { activations: { before: null, after: { rows: activations.length, ...result } } },
  });
  return result;
}

function checkRow(row: RawRow<Column>, licenses: readonly License[]): CheckedRow {
  if ('problem' in row) return { line: row.line, problems: [row.problem] };
  const missing = missingRequired(row.fields, SPEC);
  if (missing.length > 0) return { line: row.line, problems: [`Missing ${missing.join(' and ')}.`] };
  const key = (row.fields.license_key ?? '').trim();
  const identifier = (row.fields.identifier ?? '').trim();
  const problems: string[] = [];
  if (identifier.length > MAX_IDENTIFIER_LENGTH) problems.push(`The identifier must not be longer than ${MAX_IDENTIFIER_LENGTH} characters.`);
  if (identifier.includes('\u0000')) problems.push('The identifier must not contain U+0000.');
  const license = licenseOf(key, row.fields.product_id?.trim() ?? '', licenses, problems);
  if (problems.length > 0 || license === undefined) return { line: row.line, problems };
  return { line: row.line, activation: { license_id: license.id, identifier }, problems };
}

function licenseOf(key: string, productText: string, licenses: readonly License[], problems: string[]): License | undefined {
  if (productText !== '' && !/^\d{1,15}$/.test(productText)) {
    problems.push(`The product_id must be a positive integer, not "${productText}".`);
    return undefined;
  }
  const found = licenses.filter((license) => license.key === key && (productText === '' || license.product_id === Number(productText)));
  if (found.length === 0) problems.push(`No license "${key}"${productText === '' ? '' : ` for product ${productText}`}.`);
  if (found.length > 1) problems.push(`License "${key}" exists for several products (${found.map((l) => l.product_id).join(', ')}); give its product_id.`);
  return found.length === 1 ? found[0] : undefined;
}

function markRepeats(rows: CheckedRow[]): CheckedRow[] {
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (!row.activation) continue;
    const pair = `${row.activation.license_id}\n${row.activation.identifier}`;
    const earlier = seen.get(pair);
    if (earlier !== undefined) row.problems.push(`Same license and identifier as line ${earlier}.`);
    else seen.set(pair, row.line);
  }
  return rows;
}
