import { MAX_NESTING_DEPTH, nestsDeeperThan } from './nesting-depth.js';

/** The two bodies the batch endpoint reads. */
export type BatchFormat = 'json' | 'ndjson';

/** The items of a batch body, or why the whole request is refused (400, nothing stored). */
export type BatchBody = { ok: true; items: unknown[] } | { ok: false; error: string };

/** `application/json; charset=utf-8` → 'json'; null for any other media type. */
export function batchFormatOf(contentType: string | undefined): BatchFormat | null {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (media === 'application/json') return 'json';
  if (media === 'application/x-ndjson' || media === 'application/ndjson') return 'ndjson';
  return null;
}

/**
 * Reads a batch body: a JSON array of reports, or NDJSON (one JSON value per line, blank lines
 * ignored). Pure and total. A body that does not parse, is not a list, is empty, holds more than
 * `maxReports` items or nests too deeply is refused as a whole, with a message that says why.
 * Items that parse but are not objects are kept: they are stored as incorrect reports.
 */
export function parseBatchBody(text: string | undefined, format: BatchFormat, maxReports: number): BatchBody {
  const parsed = format === 'json' ? parseJsonArray(text ?? '') : parseNdjson(text ?? '');
  if (!parsed.ok) return parsed;
  const { items } = parsed;
  if (items.length === 0) return { ok: false, error: 'The batch holds no reports.' };
  if (items.length > maxReports) return { ok: false, error: `The batch holds ${items.length} reports; at most ${maxReports} are accepted per request.` };
  const deep = items.findIndex((item) => nestsDeeperThan(item, MAX_NESTING_DEPTH));
  if (deep >= 0) return { ok: false, error: `Report ${deep + 1} nests deeper than ${MAX_NESTING_DEPTH} levels.` };
  return parsed;
}

function parseJsonArray(text: string): BatchBody {
  if (text.trim() === '') return { ok: false, error: 'The batch holds no reports.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The body is not valid JSON.' };
  }
  if (!Array.isArray(value)) return { ok: false, error: 'The body must be a JSON array of reports (or send application/x-ndjson).' };
  return { ok: true, items: value };
}

function parseNdjson(text: string): BatchBody {
  const items: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    try {
      items.push(JSON.parse(line));
    } catch {
      return { ok: false, error: `Line ${i + 1} of the NDJSON body is not valid JSON.` };
    }
  }
  return { ok: true, items };
}
