/**
 * The pattern of a text value: what stays when the parts that vary between reports of the same
 * event are collapsed into placeholders, so that `Unhandled exception at 0x7ffd3a2c` and
 * `Unhandled exception at 0x0040ab11` count as one `Unhandled exception at 0x<hex>`. Pure and
 * idempotent (a pattern is its own pattern). Replaced in this order, each over what the
 * previous rules left, and the whole list again until nothing changes: a placeholder can give an
 * earlier rule the word boundary it needs (the `<n>` of `0A:\` frees the drive letter, so one
 * pass gives `<n>A:\` and a second `<n><path>`). Placeholders match no rule, and every change
 * turns characters of the value into placeholders, so this ends within as many passes as the
 * value is long, and in practice after one or two:
 *
 * | what | becomes |
 * |---|---|
 * | UUID (8-4-4-4-12 hex) | `<uuid>` |
 * | email address | `<email>` |
 * | IPv4 address, IPv6 address (8 groups, or with `::`) | `<ip>` |
 * | path: `C:\…`, `\\server\…`, or `/…`, `~/…`, `./…` after a space, quote, `(` or `=` | `<path>` |
 * | `0x` and hex digits | `0x<hex>` |
 * | 8 or more hex digits, with a digit and a letter (hashes, ids) | `<hex>` |
 * | a number not glued to a letter before it (`42`, `-1.5`, `3.0.1`, the 12 of `12ms`) | `<n>` |
 */
const RULES: readonly (readonly [RegExp, string])[] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '<email>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '<ip>'],
  [/\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|(?<![\w:])(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?|::[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)(?![\w:])/gi, '<ip>'],
  [/\b[A-Za-z]:\\[^\s"'<>|]*|\\\\[^\s"'<>|]+/g, '<path>'],
  [/(?<=^|[\s"'(=])(?:~|\.{1,2})?\/[^\s"'()<>]+/g, '<path>'],
  [/\b0x[0-9a-f]+\b/gi, '0x<hex>'],
  [/\b(?=[a-f]*\d)(?=\d*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  [/(?<![A-Za-z0-9_])-?\d+(?:\.\d+)*(?!x<)/g, '<n>'],
];

export function textPattern(value: string): string {
  let pattern = value;
  for (;;) {
    const before = pattern;
    for (const [rule, placeholder] of RULES) pattern = pattern.replace(rule, placeholder);
    if (pattern === before) return pattern;
  }
}
