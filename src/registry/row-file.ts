import { CsvError, parse } from 'csv-parse/sync';
import { RegistryInputError } from '../model/errors.js';

/**
 * The bulk files of the registry (licenses, activations): CSV with a header row, or NDJSON
 * (detected by a first non-blank `{`), split into rows with their line numbers. A row that cannot
 * be read carries why, so that an import can list every bad row; a bad header or bad CSV refuses
 * the file as a whole.
 */

/** The columns a kind of file has: all known, the ones it must have, and those NDJSON may give as numbers. */
export interface RowFileSpec<C extends string> {
  columns: readonly C[];
  required: readonly C[];
  numeric: readonly C[];
}

export type RowFields<C extends string> = Partial<Record<C, string>>;

/** One row of the file before checking: its fields, or why they could not be read. */
export type RawRow<C extends string> = { line: number; fields: RowFields<C> } | { line: number; problem: string };

/** Splits the text into rows, choosing CSV or NDJSON by its first non-blank character. */
export function parseRowFile<C extends string>(text: string, spec: RowFileSpec<C>): RawRow<C>[] {
  const body = text.replace(/^\uFEFF/, '');
  const first = body.trimStart()[0];
  if (first === undefined) throw new RegistryInputError('The file is empty.');
  return first === '{' ? parseNdjson(body, spec) : parseCsv(body, spec);
}

/** The names of the required columns a row leaves blank. */
export function missingRequired<C extends string>(fields: RowFields<C>, spec: RowFileSpec<C>): C[] {
  return spec.required.filter((column) => (fields[column] ?? '').trim() === '');
}

/** The message for a file with bad rows: every one, with its line number. */
export function badRowsMessage(bad: readonly { line: number; problems: string[] }[]): string {
  const lines = bad.map((row) => `  line ${row.line}: ${row.problems.join(' ')}`);
  return `${bad.length} bad row(s), nothing imported:\n${lines.join('\n')}`;
}

function parseNdjson<C extends string>(body: string, spec: RowFileSpec<C>): RawRow<C>[] {
  const rows: RawRow<C>[] = [];
  body.split(/\r?\n/).forEach((text, index) => {
    if (text.trim() !== '') rows.push(ndjsonRow(text, index + 1, spec));
  });
  return rows;
}

function ndjsonRow<C extends string>(text: string, line: number, spec: RowFileSpec<C>): RawRow<C> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, problem: 'Not a JSON object.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { line, problem: 'Not a JSON object.' };
  const fields: RowFields<C> = {};
  for (const [name, field] of Object.entries(value)) {
    if (!isColumn(name, spec)) return { line, problem: `Unknown field "${name}" (known: ${spec.columns.join(', ')}).` };
    const numeric = (spec.numeric as readonly string[]).includes(name);
    if (field === null) continue;
    if (typeof field === 'string' || (numeric && typeof field === 'number')) fields[name] = String(field);
    else return { line, problem: `The ${name} field must be a ${numeric ? 'number or string' : 'string'}.` };
  }
  return { line, fields };
}

function parseCsv<C extends string>(body: string, spec: RowFileSpec<C>): RawRow<C>[] {
  const records = readCsvRecords(body);
  const header = csvHeader(records[0]?.record ?? [], spec);
  return records.slice(1).map(({ record, info }): RawRow<C> => {
    const line = info.lines;
    if (record.length !== header.length) return { line, problem: `Has ${record.length} field(s); the header has ${header.length}.` };
    return { line, fields: Object.fromEntries(header.map((column, i) => [column, record[i]])) as RowFields<C> };
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

function csvHeader<C extends string>(names: readonly string[], spec: RowFileSpec<C>): C[] {
  const header = names.map((name) => name.trim());
  const unknown = header.filter((name) => !isColumn(name, spec));
  if (unknown.length > 0) throw new RegistryInputError(`Unknown column(s) in the header: ${unknown.join(', ')} (known: ${spec.columns.join(', ')}).`);
  if (new Set(header).size !== header.length) throw new RegistryInputError('A column appears twice in the header.');
  const missing = spec.required.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new RegistryInputError(`The header lacks the column(s): ${missing.join(', ')}.`);
  return header as C[];
}

function isColumn<C extends string>(name: string, spec: RowFileSpec<C>): name is C {
  return (spec.columns as readonly string[]).includes(name);
}
