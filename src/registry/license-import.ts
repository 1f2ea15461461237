import type { AuditContext } from '../model/audit.js';
import type { NewLicense, RegistryStore } from '../store/contract/store.js';
import { checkLicense } from './licenses.js';
import { RegistryInputError } from '../model/errors.js';
import { licensesBefore, recordLicenseImport } from './license-import-audit.js';
import { badRowsMessage, missingRequired, parseRowFile, type RawRow, type RowFileSpec } from './row-file.js';

type Column = 'product_id' | 'key' | 'status' | 'expires_at' | 'max_activations';
const SPEC: RowFileSpec<Column> = {
  columns: ['product_id', 'key', 'status', 'expires_at', 'max_activations'],
  required: ['product_id', 'key'],
  numeric: ['product_id', 'max_activations'],
};

interface CheckedRow {
  line: number;
  license?: NewLicense;
  problems: string[];
}

/** What an import did: licenses inserted or updated, and rows left alone (existing pairs under `update: false`). */
export interface LicenseImportResult {
  imported: number;
  skipped: number;
}

/**
 * Bulk-registers licenses from a file's text: CSV with a header row, or NDJSON (detected by a
 * first non-blank `{`). Every row is checked first and ALL bad rows are reported with their
 * line numbers; only a file without any is written, in one transaction. An existing product +
 * key pair is updated (its status, expiry and seats become the row's, a blank one clearing it;
 * a revoked license stays revoked; notes are kept), or with `update: false` left untouched and
 * counted as skipped (docs/licenses.md, "Importing licenses"). The audit log gets one entry per
 * license created or changed, read back after the write (license-import-audit.ts).
 */
export async function importLicenses(registry: RegistryStore, text: string, options: { update: boolean }, audit: AuditContext): Promise<LicenseImportResult> {
  const rows = await checkRows(registry, parseRowFile(text, SPEC));
  const bad = rows.filter((row) => row.problems.length > 0);
  if (bad.length > 0) throw new RegistryInputError(badRowsMessage(bad));
  const licenses = rows.flatMap((row) => (row.license ? [row.license] : []));
  const before = await licensesBefore(registry, licenses);
  const imported = await registry.importLicenses(licenses, options);
  await recordLicenseImport(registry, before, licenses, audit);
  return { imported, skipped: licenses.length - imported };
}

/** Checks each row's fields, then that its product exists and that no earlier row has the same product and key. */
async function checkRows(registry: RegistryStore, rows: readonly RawRow<Column>[]): Promise<CheckedRow[]> {
  const checked = rows.map(checkRow);
  const missing = await missingProducts(registry, checked);
  const seen = new Map<string, number>();
  for (const row of checked) {
    if (!row.license) continue;
    const { product_id: productId, key } = row.license;
    if (missing.has(productId)) row.problems.push(`No product with id ${productId}.`);
    const earlier = seen.get(`${productId}\n${key}`);
    if (earlier !== undefined) row.problems.push(`Same product and key as line ${earlier}.`);
    else seen.set(`${productId}\n${key}`, row.line);
  }
  return checked;
}

function checkRow(row: RawRow<Column>): CheckedRow {
  if ('problem' in row) return { line: row.line, problems: [row.problem] };
  const missing = missingRequired(row.fields, SPEC);
  if (missing.length > 0) return { line: row.line, problems: [`Missing ${missing.join(' and ')}.`] };
  const productId = row.fields.product_id?.trim() ?? '';
  const check = checkLicense({
    productId: /^\d+$/.test(productId) ? Number(productId) : Number.NaN,
    key: row.fields.key ?? '',
    status: row.fields.status ?? null,
    expiresAt: row.fields.expires_at ?? null,
    maxActivations: row.fields.max_activations ?? null,
  });
  return check.ok ? { line: row.line, license: check.license, problems: [] } : { line: row.line, problems: check.problems };
}

async function missingProducts(registry: RegistryStore, rows: readonly CheckedRow[]): Promise<Set<number>> {
  const ids = new Set(rows.flatMap((row) => (row.license ? [row.license.product_id] : [])));
  const missing = new Set<number>();
  for (const id of ids) if ((await registry.getProduct(id)) === null) missing.add(id);
  return missing;
}
