/**
 * Functions over records built once from a list of fields (the column table) and compiled, so
 * that they run as fast as the object and array literals they replace. A loop reading
 * `input[field]` for 25 fields measured ~30× slower than the literal (V8 sees one property access
 * with 25 names); the compiled function has one access per name, as hand-written code does.
 * The source is generated from the names only, each quoted with JSON.stringify: no value ever
 * becomes code (docs/decisions/0019-one-column-table.md).
 */

/** A conversion of one value; any one-argument function. */
export type Converter = (value: never) => unknown;

/** One key of the built object: the input field it reads, and how the value is converted (absent = as is). */
export interface MappedKey {
  key: string;
  from: string;
  convert?: Converter;
}

/**
 * `input => ({ key: convert(input.from), … })`, keys in the order given. A field read by several
 * keys through the same conversion is converted once.
 */
export function compileObjectMapper<In extends object, Out>(keys: readonly MappedKey[]): (input: In) => Out {
  const converters: Converter[] = [];
  const locals = new Map<string, string>();
  const statements: string[] = [];
  const valueOf = ({ from, convert }: MappedKey): string => {
    const read = `input[${JSON.stringify(from)}]`;
    if (convert === undefined) return read;
    const index = converters.includes(convert) ? converters.indexOf(convert) : converters.push(convert) - 1;
    const id = JSON.stringify([index, from]);
    let local = locals.get(id);
    if (local === undefined) {
      local = `v${locals.size}`;
      locals.set(id, local);
      statements.push(`const ${local} = c${index}(${read});`);
    }
    return local;
  };
  const entries = keys.map((key) => `${JSON.stringify(key.key)}: ${valueOf(key)}`);
  const body = `return function (input) { ${statements.join(' ')} return { ${entries.join(', ')} }; };`;
  return compile<(input: In) => Out>(converters, body);
}

/** `input => [input.f1, input.f2, …]`, the fields' values in the order given. */
export function compileArrayMapper<In extends object, Value>(fields: readonly string[]): (input: In) => Value[] {
  const values = fields.map((field) => `input[${JSON.stringify(field)}]`);
  return compile<(input: In) => Value[]>([], `return function (input) { return [${values.join(', ')}]; };`);
}

/** The function `body` returns, with the converters in scope as c0, c1, … */
function compile<F>(converters: readonly Converter[], body: string): F {
  const factory = new Function(...converters.map((_, i) => `c${i}`), body) as (...converters: Converter[]) => F;
  return factory(...converters);
}
