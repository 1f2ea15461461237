import { fileURLToPath } from 'node:url';

/**
 * The file a `sqlite:` or `file:` database URL names. Accepted forms:
 * `file:///abs/tally.db` (a standard file URL), `sqlite:///abs/tally.db` (absolute),
 * `sqlite://data/tally.db`, `sqlite:data/tally.db` and `file:./tally.db` (relative to the
 * working directory).
 */
export function sqliteFileFromUrl(url: string): string {
  if (/^file:\/\//i.test(url)) return fileURLToPath(url);
  const rest = url.replace(/^(sqlite|file):/i, '');
  const file = rest.startsWith('//') ? rest.slice(2) : rest;
  if (file === '') throw new Error('The SQLite database URL names no file');
  return file;
}
