import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { FIELD_RULES, RESERVED_FIELDS } from '../../src/telemetry/fields.js';
import type { TelemetryRecord } from '../../src/model/record.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * Property-based fuzzing of the ingest endpoint: ≥ 10,000 generated requests (fixed seed) over
 * every content type, odd characters and numbers, arrays, duplicates, broken escapes, oversized
 * bodies and every kind of key. Every request carries a unique `fuzz_id` marker so that after the
 * run each one can be found (or not) in the store.
 */

const SEED = 20_261_126;
const RUNS = 10_000;
const CONCURRENCY = 20;
const MARKER = 'fuzz_id';
const OVERSIZED = 70 * 1024;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type ContentKind = 'form' | 'json' | 'multipart' | 'text' | 'none' | 'garbage';
type KeyKind = 'full' | 'scopedToB' | 'inactive' | 'otherIp' | 'getOnly' | 'revoked' | 'made-up' | 'none';
type KeyPlace = 'bearer' | 'body' | 'query';

interface Field {
  name: string;
  value: Json;
}

interface FuzzRequest {
  content: ContentKind;
  key: KeyKind;
  keyPlace: KeyPlace;
  /** A correct report of product A first, so that many requests are answered 830. */
  withBase: boolean;
  fields: Field[];
  brokenEscape: string | null;
  oversized: boolean;
  rawBody: string;
  garbageType: string;
}

// ---- generators --------------------------------------------------------------------------

const oddText = fc.constantFrom('', ' ', '  padded  ', '\u0000', '\u0007\u001b', '\r\n', '\t', '\ud800', '\udfff', 'x\ud83dy', '𝄞', 'é', 'e\u0301', '\u202e', '\ufeff', '\uffff', '%', '%zz', '+', '&=', '[]', '"', '\\');
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: oddText },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 250, maxLength: 300 }) },
);
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.constantFrom('1e308', '1e309', '-1e309', '5e-324', '1e-400', '-0', '0x10', '1_000', ' 42 ', '4.2.1', 'NaN', 'Infinity', '9007199254740993', '.5', '5.'),
);
const scalar: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 3, arbitrary: numberText },
  { weight: 1, arbitrary: fc.oneof(fc.double(), fc.integer(), fc.boolean(), fc.constant(null)) },
);
const value: fc.Arbitrary<Json> = fc.oneof(
  { weight: 8, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), scalar, { maxKeys: 3 }) },
);
const contractName = fc.constantFrom(...FIELD_RULES.map((r) => r.name), 'api_key');
const randomName = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'x[]', 'x[a]', 'a]', '[b', 'raw_text_data', 'meta'));
const fieldName = fc.oneof(contractName, randomName).filter((n) => !n.startsWith(MARKER));
const fieldArb: fc.Arbitrary<Field> = fc.record({ name: fieldName, value });

const requestArb: fc.Arbitrary<FuzzRequest> = fc.record({
  content: fc.constantFrom<ContentKind>('form', 'form', 'json', 'json', 'multipart', 'text', 'none', 'garbage'),
  key: fc.constantFrom<KeyKind>('full', 'full', 'full', 'scopedToB', 'inactive', 'otherIp', 'getOnly', 'revoked', 'made-up', 'none'),
  keyPlace: fc.constantFrom<KeyPlace>('bearer', 'body', 'query'),
  withBase: fc.boolean(),
  fields: fc.array(fieldArb, { maxLength: 8 }),
  brokenEscape: fc.option(fc.constantFrom('%', '%z', '%zz', '%e2%82', '%ff', '%c0%af', 'a=%'), { freq: 10 }),
  oversized: fc.boolean().chain((b) => (b ? fc.nat(100).map((n) => n === 0) : fc.constant(false))),
  rawBody: fc.string({ unit: 'binary', maxLength: 60 }),
  garbageType: fc.constantFrom('application/x-fuzz', 'text/html', 'multipart/form-data', 'multipart/form-data; boundary=', 'application/json; charset=latin1', 'application/x-www-form-urlencoded; charset=utf-16', ';;;', 'image/png', '*/*'),
});

// ---- rendering a generated request as HTTP -------------------------------------------------

interface Wire {
  path: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

function baseReport(server: TestServer): Field[] {
  const report: Record<string, string> = {
    product_id: String(server.seed.productA), user_identifier: 'fuzzer', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
    product_version: '1.0.1', data_type: 'numeric-single-value', numeric_data_single_value: '1.5', data_group: 'fuzz',
  };
  return Object.entries(report).map(([name, v]) => ({ name, value: v }));
}

function keyValue(server: TestServer, kind: KeyKind): string | null {
  if (kind === 'none') return null;
  if (kind === 'made-up') return 'tly_made-up-key';
  return server.seed.keys[kind];
}

/** Every field of the request body in order (the marker last but one, the body key last). */
function bodyFields(server: TestServer, req: FuzzRequest, marker: string): Field[] {
  const fields = [...(req.withBase ? baseReport(server) : []), ...req.fields, { name: MARKER, value: marker }];
  const key = keyValue(server, req.key);
  if (key !== null && req.keyPlace === 'body') fields.push({ name: 'api_key', value: key });
  if (req.oversized) fields.push({ name: 'pad', value: 'p'.repeat(OVERSIZED) });
  return fields;
}

function scalarText(v: Json): string {
  return v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Name/value pairs as a form or multipart sends them: arrays as `name[]`, objects as `name[k]`. */
function flatPairs(fields: readonly Field[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (const { name, value: v } of fields) {
    if (Array.isArray(v)) for (const item of v) pairs.push([`${name}[]`, scalarText(item)]);
    else if (v !== null && typeof v === 'object') for (const [k, item] of Object.entries(v)) pairs.push([`${name}[${k}]`, scalarText(item)]);
    else pairs.push([name, scalarText(v)]);
  }
  return pairs;
}

/** Percent-encodes UTF-8 bytes (a lone surrogate goes out as U+FFFD, as any UTF-8 encoder does). */
function pct(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'), (b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : '%' + b.toString(16).padStart(2, '0'))).join('');
}

function formBody(fields: readonly Field[], brokenEscape: string | null): string {
  const parts = flatPairs(fields).map(([n, v]) => `${pct(n)}=${pct(v)}`);
  if (brokenEscape !== null) parts.splice(Math.floor(parts.length / 2), 0, `broken=${brokenEscape}`);
  return parts.join('&');
}

/** JSON text written pair by pair, so duplicate names really go out twice. */
function jsonBody(fields: readonly Field[]): string {
  return '{' + fields.map((f) => `${JSON.stringify(f.name)}:${JSON.stringify(f.value)}`).join(',') + '}';
}

const BOUNDARY = '----tally-fuzz-7c2f9e1d4b';

function multipartBody(fields: readonly Field[]): string {
  const part = ([n, v]: [string, string]): string =>
    `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${n.replace(/["\r\n]/g, (c) => encodeURIComponent(c))}"\r\n\r\n${v}\r\n`;
  return flatPairs(fields).map(part).join('') + `--${BOUNDARY}--\r\n`;
}

const CONTENT_TYPES: Record<ContentKind, string | null> = {
  form: 'application/x-www-form-urlencoded',
  json: 'application/json',
  multipart: `multipart/form-data; boundary=${BOUNDARY}`,
  text: 'text/plain',
  none: null,
  garbage: null,
};

function bodyText(req: FuzzRequest, fields: readonly Field[]): string | undefined {
  switch (req.content) {
    case 'form':
      return formBody(fields, req.brokenEscape);
    case 'json':
      return jsonBody(fields);
    case 'multipart':
      return multipartBody(fields);
    case 'text':
    case 'garbage':
      return req.rawBody + (req.oversized ? 'p'.repeat(OVERSIZED) : '');
    case 'none':
      return req.oversized ? 'p'.repeat(OVERSIZED) : undefined;
  }
}

function toWire(server: TestServer, req: FuzzRequest, marker: string): Wire {
  const key = keyValue(server, req.key);
  const fields = bodyFields(server, req, marker);
  const carriesFields = req.content === 'form' || req.content === 'json' || req.content === 'multipart';
  const query: [string, string][] = carriesFields ? [] : flatPairs(fields.filter((f) => f.name !== 'pad'));
  if (key !== null && req.keyPlace === 'query') query.push(['api_key', key]);
  const headers: Record<string, string> = {};
  if (key !== null && req.keyPlace === 'bearer') headers['authorization'] = `Bearer ${key}`;
  const type = req.content === 'garbage' ? req.garbageType : CONTENT_TYPES[req.content];
  if (type !== null) headers['content-type'] = type;
  const text = carriesFields ? bodyText(req, fields) : bodyText(req, []);
  const qs = query.map(([n, v]) => `${pct(n)}=${pct(v)}`).join('&');
  return { path: `/api/v1/send-telemetry-data${qs === '' ? '' : '?' + qs}`, headers, body: text === undefined ? undefined : Buffer.from(text, 'utf8') };
}

// ---- running ------------------------------------------------------------------------------

interface Outcome {
  marker: string;
  req: FuzzRequest;
  status: number;
  code: number | null;
  problem: string | null;
}

async function send(server: TestServer, req: FuzzRequest, marker: string): Promise<Outcome> {
  const wire = toWire(server, req, marker);
  try {
    const res = await fetch(server.url + wire.path, { method: 'POST', headers: wire.headers, body: wire.body });
    const textAnswer = await res.text();
    return { marker, req, status: res.status, ...envelopeCheck(res.status, textAnswer) };
  } catch (error) {
    return { marker, req, status: 0, code: null, problem: `connection error: ${String(error)} ${String((error as { cause?: unknown }).cause)}` };
  }
}

function envelopeCheck(status: number, body: string): { code: number | null; problem: string | null } {
  if (status >= 500) return { code: null, problem: `HTTP ${status}: ${body.slice(0, 300)}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { code: null, problem: `not JSON: ${body.slice(0, 200)}` };
  }
  const envelope = parsed as { response?: { code?: unknown }; response_base64?: unknown; signature?: unknown };
  if (typeof envelope.response_base64 !== 'string' || typeof envelope.signature !== 'string' || typeof envelope.response?.code !== 'number') {
    return { code: null, problem: `not a signed envelope: ${body.slice(0, 200)}` };
  }
  return { code: envelope.response.code, problem: null };
}

async function runAll(server: TestServer, requests: readonly FuzzRequest[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array<Outcome>(requests.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const i = next++;
      outcomes[i] = await send(server, requests[i]!, `fuzz-${i}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return outcomes;
}

async function allRecords(server: TestServer): Promise<TelemetryRecord[]> {
  const records: TelemetryRecord[] = [];
  for (;;) {
    const page = await server.store.telemetry.list({ afterId: records.at(-1)?.id ?? 0, limit: 1000 });
    records.push(...page);
    if (page.length < 1000) return records;
  }
}

// ---- checking what was stored -------------------------------------------------------------

const STRING_COLUMNS = ['user_identifier', 'license_key', 'activation_identifier', 'product_version', 'data_type', 'data_group', 'text_data'] as const;

/** What a UTF-8 round trip makes of a string: lone surrogates become U+FFFD. */
function utf8(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/**
 * The fields a simple request (form/JSON/multipart, plain names, string values without U+0000)
 * sent, last value winning, or null when the request is not simple.
 */
function simpleFields(server: TestServer, req: FuzzRequest, marker: string): Map<string, string> | null {
  if (!(req.content === 'json' || req.content === 'form' || req.content === 'multipart')) return null;
  const sent = new Map<string, string>();
  for (const { name, value: v } of bodyFields(server, req, marker)) {
    if (typeof v !== 'string' || v.includes('\u0000') || name.includes('\u0000')) return null;
    if (name.endsWith(']') || name.startsWith('raw_') || (req.content === 'multipart' && /["\r\n]/.test(name))) return null;
    sent.set(name, v);
  }
  return sent;
}

/**
 * Text columns hold lone surrogates as U+FFFD (the value as sent is then in `raw_<field>`);
 * metadata keeps them when JSON carried them (forms and multipart send UTF-8, which cannot).
 */
function compareStored(record: TelemetryRecord, sent: Map<string, string>, content: ContentKind): string | null {
  const asSent = content === 'json' ? (s: string): string => s : utf8;
  for (const column of STRING_COLUMNS) {
    const raw = sent.get(column);
    const trimmed = raw === undefined ? null : utf8(raw).trim() || null;
    // A value over its column's length is stored whole too; only its flag differs.
    if (record[column] !== trimmed) return `${column}: stored ${JSON.stringify(record[column])}, sent ${JSON.stringify(raw)}`;
    if (raw !== undefined && content === 'json' && utf8(raw) !== raw && record.metadata[`raw_${column}`] !== raw.trim()) return `raw_${column} missing`;
  }
  for (const [name, v] of sent) {
    if (RESERVED_FIELDS.has(name)) continue;
    const stored = record.metadata[asSent(name)];
    if (stored !== asSent(v)) return `metadata ${JSON.stringify(name)}: stored ${JSON.stringify(stored)}, sent ${JSON.stringify(v)}`;
  }
  return null;
}

function markersStored(records: readonly TelemetryRecord[]): Map<string, TelemetryRecord[]> {
  const byMarker = new Map<string, TelemetryRecord[]>();
  for (const record of records) {
    const marker = record.metadata[MARKER];
    if (typeof marker !== 'string') continue;
    byMarker.set(marker, [...(byMarker.get(marker) ?? []), record]);
  }
  return byMarker;
}

// ---- the properties -----------------------------------------------------------------------

describe(`ingest under ${RUNS} generated requests`, () => {
  let server: TestServer;
  let outcomes: Outcome[];
  let stored: Map<string, TelemetryRecord[]>;

  before(async () => {
    server = await startTestServer();
    const requests = fc.sample(requestArb, { seed: SEED, numRuns: RUNS });
    outcomes = await runAll(server, requests);
    stored = markersStored(await allRecords(server));
  });
  after(() => server?.close());

  it('made at least 10,000 requests, a good share of them stored', () => {
    assert.ok(outcomes.length >= 10_000);
    const saved = outcomes.filter((o) => o.code === 830 || o.code === 831).length;
    assert.ok(saved > 1000, `${saved} requests were stored`);
    assert.ok(outcomes.some((o) => o.code === 830), 'some requests were correct');
  });

  it('answers every request with a signed envelope, never a 5xx or a dropped connection', () => {
    const problems = outcomes.filter((o) => o.problem !== null);
    assert.deepEqual(problems.slice(0, 5).map((o) => ({ problem: o.problem, req: o.req })), []);
  });

  it('stores every request answered 830 or 831 exactly once, and no other request', () => {
    const wrong = outcomes
      .map((o) => ({ o, count: stored.get(o.marker)?.length ?? 0 }))
      .filter(({ o, count }) => count !== (o.code === 830 || o.code === 831 ? 1 : 0));
    assert.deepEqual(wrong.slice(0, 5).map(({ o, count }) => ({ code: o.code, count, req: o.req })), []);
  });

  it('stores the table fields and metadata of simple requests exactly as sent (trimmed)', () => {
    const mismatches: { problem: string; req: FuzzRequest }[] = [];
    let compared = 0;
    for (const o of outcomes) {
      const sent = simpleFields(server, o.req, o.marker);
      const record = stored.get(o.marker)?.[0];
      if (sent === null || record === undefined) continue;
      compared++;
      const problem = compareStored(record, sent, o.req.content);
      if (problem !== null) mismatches.push({ problem, req: o.req });
    }
    assert.deepEqual(mismatches.slice(0, 5), []);
    assert.ok(compared > 300, `${compared} simple requests compared`);
  });
});
