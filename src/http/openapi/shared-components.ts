/** A JSON object of the document. */
type Json = Record<string, unknown>;

/** The parts of an OpenAPI document this looks at (their types differ between OpenAPI versions). */
interface Shareable {
  paths?: object;
  components?: object;
}

const METHODS: ReadonlySet<string> = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** One place in an operation that holds a response, a request body or a parameter, and how to put a `$ref` there. */
interface Slot {
  section: 'responses' | 'requestBodies' | 'parameters';
  /** The component's name should it be shared: the first operation that uses it, and where. */
  name: string;
  value: unknown;
  set(ref: Json): void;
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entriesOf(value: unknown): [string, unknown][] {
  return isJson(value) ? Object.entries(value) : [];
}

function slotsOf(operation: Json, operationName: string): Slot[] {
  const slots: Slot[] = [];
  const { responses, requestBody, parameters } = operation;
  if (isJson(responses)) {
    for (const [status, value] of Object.entries(responses)) slots.push({ section: 'responses', name: `${operationName}-${status}`, value, set: (ref) => { responses[status] = ref; } });
  }
  if (requestBody !== undefined) slots.push({ section: 'requestBodies', name: operationName, value: requestBody, set: (ref) => { operation['requestBody'] = ref; } });
  if (Array.isArray(parameters)) {
    parameters.forEach((value: unknown, i) => {
      const name = isJson(value) ? `${String(value['in'])}-${String(value['name'])}` : `${operationName}-${i}`;
      slots.push({ section: 'parameters', name, value, set: (ref) => { parameters[i] = ref; } });
    });
  }
  return slots;
}

function allSlots(document: Shareable): Slot[] {
  return entriesOf(document.paths).flatMap(([path, item]) =>
    entriesOf(item).flatMap(([method, operation]) =>
      (METHODS.has(method) && isJson(operation) ? slotsOf(operation, `${method}${path}`.replace(/[^A-Za-z0-9._-]+/g, '-')) : [])));
}

/**
 * The document with every response, request body and parameter that more than one operation
 * repeats moved to `components` once and referenced from each (`$ref`). The `/api/v1`
 * endpoints answer under several paths with the same envelopes, and every admin route shares
 * its refusals: written out each time, the document would be about five times larger.
 */
export function withSharedComponents<D extends Shareable>(document: D): D {
  const slots = allSlots(document).map((slot) => ({ slot, key: `${slot.section}:${JSON.stringify(slot.value)}` }));
  const uses = new Map<string, number>();
  for (const { key } of slots) uses.set(key, (uses.get(key) ?? 0) + 1);
  const named = new Map<string, string>();
  const components: Json = isJson(document.components) ? document.components : {};
  document.components = components;
  for (const { slot, key } of slots) {
    if ((uses.get(key) ?? 0) < 2) continue;
    const section = (components[slot.section] ??= {}) as Json;
    let name = named.get(key);
    if (name === undefined) {
      name = slot.name;
      for (let n = 2; name in section; n++) name = `${slot.name}-${n}`;
      section[name] = slot.value;
      named.set(key, name);
    }
    slot.set({ $ref: `#/components/${slot.section}/${name}` });
  }
  return document;
}
