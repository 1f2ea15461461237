import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { jsonReader, lenientReader } from '../../src/http/plugins/admin/json-reader.js';
import { textReader, withCrossFieldRule } from '../../src/http/plugins/admin/text-reader.js';
import { Bit, Bounded, Id, IdValue, Instant, Text, TextValue } from '../../src/http/schemas/primitives.js';

/** The admin readers on schemas made up here: every message comes from the schema, none from a name. */

const Query = Type.Object({
  ticket_id: Id(),
  page_size: Type.Optional(Bounded(5, 50, 10)),
  since: Type.Optional(Instant()),
  verbose: Type.Optional(Bit()),
  label: Type.Optional(Text(8)),
}, { additionalProperties: false });

const readQuery = textReader(Query, true);

describe('query parameters read against a schema', () => {
  it('read numbers and flags from their digits, trim text, decode instants and fill in defaults', () => {
    const read = readQuery({ ticket_id: ' 42 ', since: '2024-02-27', verbose: '1', label: ' ab ' });
    assert.deepEqual(read, {
      ok: true,
      value: { ticket_id: 42, page_size: 10, since: { us: Date.UTC(2024, 1, 27) * 1000, unitUs: 86_400_000_000 }, verbose: 1, label: 'ab' },
    });
  });

  it('word each refusal from the keywords, in schema order, then unknown names in the order they came', () => {
    const read = readQuery({ zeta: '1', label: 'x'.repeat(9), verbose: 'yes', since: 'soon', page_size: '51', alpha: '2' });
    assert.deepEqual(read.ok ? {} : read.errors, {
      ticket_id: ['The ticket id field is required.'],
      page_size: ['The page size field must be an integer between 5 and 50.'],
      since: ['The since field must be an ISO-8601 date or Unix seconds.'],
      verbose: ['The verbose field must be 0 or 1.'],
      label: ['The label field must not be greater than 8 characters.'],
      zeta: ['The zeta parameter is not supported.'],
      alpha: ['The alpha parameter is not supported.'],
    });
    assert.deepEqual(Object.keys(read.ok ? {} : read.errors), ['ticket_id', 'page_size', 'since', 'verbose', 'label', 'zeta', 'alpha']);
  });

  it('refuse a list, an id that is not positive, and a number longer than 255 characters', () => {
    const read = readQuery({ ticket_id: '0', page_size: ['5'], label: '', verbose: '1'.repeat(256) });
    assert.deepEqual(read.ok ? {} : read.errors, {
      ticket_id: ['The ticket id field must be a positive integer.'],
      page_size: ['The page size field must be a string.'],
      verbose: ['The verbose field must not be greater than 255 characters.'],
    });
  });

  it('keep what could be read of a refused value (a route may name it)', () => {
    const read = textReader(Type.Object({ id: Id() }), false)({ id: '00' });
    assert.deepEqual(read.ok ? undefined : read.read, { id: 0 });
  });

  it('report a rule across fields with the fields\' own errors, in field order', () => {
    const Range = withCrossFieldRule(
      Type.Object({ a: Type.Optional(Bounded(0, 9, 0)), b: Type.Optional(Bounded(0, 9, 0)), c: Type.Optional(Bit()) }, { additionalProperties: false }),
      (values, errors): Record<string, string[]> => (errors['a'] === undefined && (values.b ?? 0) < (values.a ?? 0) ? { b: ['b must not be below a.'] } : {}),
    );
    const read = textReader(Range, true)({ c: 'x', b: '1', a: '5', d: '' });
    assert.deepEqual(read.ok ? {} : read.errors, { b: ['b must not be below a.'], c: ['The c field must be 0 or 1.'], d: ['The d parameter is not supported.'] });
  });
});

const Body = Type.Object({
  name: Type.String({ errorMessage: 'name: a string, please.' }),
  tags: Type.Optional(Type.Array(Type.String(), { errorMessage: 'tags: a list of strings, please.' })),
}, { additionalProperties: false, errorMessage: 'Send an object.' });

describe('JSON bodies read strictly', () => {
  const read = jsonReader(Body);
  const refusal = (input: unknown): string | undefined => {
    const outcome = read(input);
    return outcome.ok ? undefined : Object.values(outcome.errors)[0]?.[0];
  };

  it('answer the first problem: not an object, then unknown fields, then each field in order', () => {
    assert.equal(refusal([]), 'Send an object.');
    assert.equal(refusal(null), 'Send an object.', 'no body, and a field is required');
    assert.equal(refusal({ name: 5, b: 1, a: 2 }), 'Unknown field: b, a (known: name, tags).');
    assert.equal(refusal({ tags: 'x' }), 'name: a string, please.');
    assert.equal(refusal({ name: 'n', tags: ['x', 1] }), 'tags: a list of strings, please.');
    assert.deepEqual(read({ name: 'n' }), { ok: true, value: { name: 'n' } });
  });

  it('read no body as {} when nothing is required', () => {
    assert.deepEqual(jsonReader(Type.Object({ n: Type.Optional(Type.Integer({ errorMessage: 'n!' })) }, { errorMessage: 'object!' }))(null), { ok: true, value: {} });
  });

  it('refuse, as the app starts, a body schema without its texts', () => {
    assert.throws(() => jsonReader(Type.Object({ name: Type.String() }, { errorMessage: 'Send an object.' })), /no errorMessage for name/);
  });
});

describe('lenient bodies (the registry routes)', () => {
  const Lenient = Type.Object({
    name: TextValue(),
    id: Type.Optional(IdValue()),
    list: Type.Optional(Type.Array(Type.String(), { default: [] })),
  }, { 'x-lenient': true });
  const read = lenientReader(Lenient);

  it('read a number as its text, a wrong-typed field as absent (its default), and keep a list\'s fitting items', () => {
    assert.deepEqual(read({ name: 5, list: ['a', 1, 'b'] }), { ok: true, value: { name: '5', list: ['a', 'b'] } });
    assert.deepEqual(read({ name: true, list: 'a' }), { ok: true, value: { name: '', list: [] } });
    assert.deepEqual(read('not an object'), { ok: true, value: { name: '', list: [] } });
  });

  it('read ids from numbers or text: blank is none, anything else that is not an id is NaN', () => {
    const ids = [' 7 ', 7, '', 'abc', 1.5, 0].map((id) => (read({ id }) as { value: { id?: number } }).value.id);
    assert.deepEqual(ids, [7, 7, undefined, Number.NaN, Number.NaN, 0]);
  });
});
