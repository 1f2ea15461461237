import { CsvError, parse } from 'csv-parse/sync';
import type { NewLicense, RegistryStore } from '../store/contract/store.js';
import { checkLicense } from './licenses.js';
import { RegistryInputError } from '../model/errors.js';
import type { AuditContext } from '../model/audit.js';
import { licensesBefore, recordLicenseImport } from './license-import-audit.js';

const COLUMNS = ['product_id', 'key', 'status', 'expires_at', 'max_activations'] as const;
const REQUIRED_COLUMNS: readonly Column[] = ['product_id', 'key'];
type Column = (typeof COLUMNS)[number];
type RowFields = Partial<Record<Column, string>>;
/** NDJSON fields that may also be JSON numbers. */
const NUMERIC_FIELDS: ReadonlySet<string> = new Set<Column>(['product_id', 'max_activations']);

/** One row of the file before checking: its fields, or why they could not be read. */
type RawRow = { line: number; fields: RowFields } | { line: number; problem: string };

interface CheckedRow {
  line: number;
  license?: NewLicense;
  problems: string[];
}

/**
 * Bulk-registers licenses from a file's text: CSV with a header row, or NDJSON (detected by a
 * first non-blank `{`). Every row is checked first and ALL bad rows are reported with their
 * line numbers; only a file without any is written, in one transaction (existing product +
 * key pairs are updated). Returns how many licenses were written. The audit log gets one entry
 * per license created or changed (license-import-audit.ts).
 */
export async function importLicenses(registry: RegistryStore, text: string, audit: AuditContext): Promise<number> {
  const rows = await checkRows(registry, parseLicenseFile(text));
  const bad = rows.filter((row) => row.problems.length > 0);
  if (bad.length > 0) {
    const lines = bad.map((row) => `  line ${row.line}: ${row.problems.join(' ')}`);
    throw new RegistryInputError(`${bad.length} bad row(s), nothing imported:\n${lines.join('\n')}`);
  }
  const licenses = rows.flatMap((row) => (row.license ? [row.license] : []));
  const before = await licensesBefore(registry, licenses);
  const written = await registry.importLicenses(licenses);
  await recordLicenseImport(registry, before, licenses, audit);
  return written;
}

/** Splits the text into rows, choosing CSV or NDJSON by its first non-blank character. */
export function parseLicenseFile(text: string): RawRow[] {
  const body = text.replace(/^\uFEFF/, '');
  const first = body.trimStart()[0];
  if (first === undefined) throw new RegistryInputError('The file is empty.');
  return first === '{' ? parseNdjson(body) : parseCsv(body);
}

function parseNdjson(body: string): RawRow[] {
  const rows: RawRow[] = [];
  body.split(/\r?\n/).forEach((text, index) => {
    if (text.trim() !== '') rows.push(ndjsonRow(text, index + 1));
  });
  return rows;
}

function ndjsonRow(text: string, line: number): RawRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, problem: 'Not a JSON object.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { line, problem: 'Not a JSON object.' };
  const fields: RowFields = {};
  for (const [name, field] of Object.entries(value)) {
    if (!isColumn(name)) return { line, problem: `Unknown field "${name}" (known: ${COLUMNS.join(', ')}).` };
    if (field === null) continue;
    if (typeof field === 'string' || (NUMERIC_FIELDS.has(name) && typeof field === 'number')) fields[name] = String(field);
    else return { line, problem: `The ${name} field must be a ${NUMERIC_FIELDS.has(name) ? 'number or string' : 'string'}.` };
  }
  return { line, fields };
}

function parseCsv(body: string): RawRow[] {
  const records = readCsvRecords(body);
  const header = csvHeader(records[0]?.record ?? []);
  return records.slice(1).map(({ record, info }): RawRow => {
    const line = info.lines;
    if (record.length !== header.length) return { line, problem: `Has ${record.length} field(s); the header has ${header.length}.` };
    return { line, fields: Object.fromEntries(header.map((column, i) => [column, record[i]])) };
  });
}

function readCsvRecords(body: string): { record: string[]; info: { lines: number } }[] {
  try {
    // With `info`, each record comes as { record, info }; csv-parse's overloads do not say so.
    return parse(body, { info: true, skip_empty_lines: true, skip_records_with_empty_values: true, relax_column_count: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    if (error instanceof CsvError) throw new RegistryInputError(`The file is not valid CSV: ${error.message}`);
    throw error;
  }
}

function csvHeader(names: readonly string[]): Column[] {
  const header = names.map((name) => name.trim());
  const unknown = header.filter((name) => !isColumn(name));
  if (unknown.length > 0) throw new RegistryInputError(`Unknown column(s) in the header: ${unknown.join(', ')} (known: ${COLUMNS.join(', ')}).`);
  if (new Set(header).size !== header.length) throw new RegistryInputError('A column appears twice in the header.');
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new RegistryInputError(`The header lacks the column(s): ${missing.join(', ')}.`);
  return header as Column[];
}

function isColumn(name: string): name is Column {
  return (COLUMNS as readonly string[]).includes(name);
}

/** Checks each row's fields, then that its product exists and that no earlier row has the same product and key. */
async function checkRows(registry: RegistryStore, rows: readonly RawRow[]): Promise<CheckedRow[]> {
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

function checkRow(row: RawRow): CheckedRow {
  if ('problem' in row) return { line: row.line, problems: [row.problem] };
  const missing = REQUIRED_COLUMNS.filter((column) => (row.fields[column] ?? '').trim() === '');
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
