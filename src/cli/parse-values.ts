import { InvalidArgumentError } from 'commander';

/** A positive integer id (commander argument parser); anything else is a usage error. */
export function parseId(text: string): number {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1 || !Number.isSafeInteger(Number(trimmed))) {
    throw new InvalidArgumentError('Not a positive integer id.');
  }
  return Number(trimmed);
}

/**
 * `a, b,,c` → ['a', 'b', 'c']: comma lists with blanks dropped. An empty list is a usage error:
 * for `--products` or `--allowed-ips` it would silently mean "all" / "anywhere".
 */
export function parseList(text: string): string[] {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new InvalidArgumentError('Give at least one value (comma-separated).');
  return items;
}

/** `1,2` → [1, 2]. */
export function parseIdList(text: string): number[] {
  return parseList(text).map(parseId);
}

/** A page size (`--limit`): a positive integer; its upper bound is the use case's to say. */
export function parseLimit(text: string): number {
  const trimmed = text.trim();
  if (!/^\d{1,15}$/.test(trimmed) || Number(trimmed) < 1) throw new InvalidArgumentError('Not a positive integer.');
  return Number(trimmed);
}
