import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { form, post, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
let endpoint: string;

before(async () => {
  server = await startTestServer();
  endpoint = `${server.url}/api/v1/send-telemetry-data`;
});
after(() => server.close());

async function expectRefused(body: string, contentType: string | undefined, status: number, detail: RegExp): Promise<void> {
  const before = await server.store.telemetry.count();
  const answer = await post(endpoint, body, contentType, { authorization: `Bearer ${server.seed.keys.full}` });
  assert.equal(answer.status, status);
  assert.equal(answer.response.code, status);
  const errors = answer.response.errors as { body: string[] };
  assert.match(errors.body[0] ?? '', detail);
  assert.equal(await server.store.telemetry.count(), before, 'nothing stored');
}

describe('malformed requests get a clear 4xx in the signed envelope', () => {
  it('answers 400 for broken JSON', () => expectRefused('{"data_group": "g"', 'application/json', 400, /not valid JSON/));
  it('answers 400 for a JSON array instead of an object', () => expectRefused('[1,2]', 'application/json', 400, /set of fields/));
  it('answers 400 for an empty JSON body', () => expectRefused('', 'application/json', 400, /empty/));
  it('answers 400 for a broken percent-escape', () => expectRefused('data_group=%zz', 'application/x-www-form-urlencoded', 400, /percent-escape/));
  it('answers 400 for a lone % at the end', () => expectRefused('data_group=abc%', 'application/x-www-form-urlencoded', 400, /percent-escape/));
  it('answers 400 for percent-escapes that are not UTF-8', () => expectRefused('data_group=%C3', 'application/x-www-form-urlencoded', 400, /percent-escape/));
  it('answers 400 for JSON nested too deeply to store', () =>
    expectRefused(`{"data_group":"g","deep":${'['.repeat(5000)}${']'.repeat(5000)}}`, 'application/json', 400, /deeper than 32/));
  it('answers 400 for a broken percent-escape in the query string', async () => {
    const before = await server.store.telemetry.count();
    const answer = await post(`${endpoint}?data_group=%E0%A4%A`, form({ data_type: 'text' }), 'application/x-www-form-urlencoded', { authorization: `Bearer ${server.seed.keys.full}` });
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.response.errors, { body: ['The query string has a malformed percent-escape.'] });
    assert.equal(await server.store.telemetry.count(), before);
  });
  it('answers 415 for a content type the API does not take', () => expectRefused('data_group=g', 'text/plain', 415, /x-www-form-urlencoded/));
  it('answers 415 for XML', () => expectRefused('<a/>', 'application/xml', 415, /x-www-form-urlencoded/));
  it('answers 413 for a form body over 64 KiB', () => expectRefused(form({ data_group: 'g', text_data: 'x'.repeat(70_000) }), 'application/x-www-form-urlencoded', 413, /65536 bytes/));
  it('answers 413 for a JSON body over 64 KiB', () => expectRefused(JSON.stringify({ text_data: 'x'.repeat(70_000) }), 'application/json', 413, /65536 bytes/));

  it('answers 413 for a multipart body over 64 KiB', async () => {
    const body = new FormData();
    body.append('data_group', 'g');
    body.append('text_data', 'x'.repeat(70_000));
    const before = await server.store.telemetry.count();
    const answer = await post(endpoint, body, undefined, { authorization: `Bearer ${server.seed.keys.full}` });
    assert.equal(answer.status, 413);
    assert.equal(await server.store.telemetry.count(), before);
  });

  it('accepts a body just under the limit and stores the over-long text whole', async () => {
    const text = 'y'.repeat(65_536 - 200);
    const answer = await post(endpoint, form({ data_type: 'text', text_data: text, data_group: 'g' }), 'application/x-www-form-urlencoded', {
      authorization: `Bearer ${server.seed.keys.full}`,
    });
    assert.equal(answer.response.code, 831);
    const [record] = await server.store.telemetry.list({ afterId: (await server.store.telemetry.count()) - 1, limit: 1 });
    assert.equal(record?.text_data, text);
  });

  it('answers an unknown /api/v1 path with a signed 404', async () => {
    const res = await fetch(`${server.url}/api/v1/nope`);
    assert.equal(res.status, 404);
    const body = (await res.json()) as { response: { code: number }; signature: string };
    assert.equal(body.response.code, 404);
    assert.ok(body.signature.length > 0);
  });

  it('survives a burst of garbage without a 5xx', async () => {
    const bodies = ['%', '&&&', '=', '==&=', 'a[=1', 'a]=1', '%00=%00', '\u0000', 'x='.repeat(5000), '{"a":', 'null', '"s"', '1'];
    for (const contentType of ['application/x-www-form-urlencoded', 'application/json', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/octet-stream']) {
      for (const body of bodies) {
        const res = await fetch(endpoint, { method: 'POST', body, headers: { 'content-type': contentType, authorization: `Bearer ${server.seed.keys.full}` } });
        assert.ok(res.status < 500, `${contentType} ${JSON.stringify(body.slice(0, 20))} → ${res.status}`);
        await res.arrayBuffer();
      }
    }
  });
});
