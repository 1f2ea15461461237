import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempTally } from './cli-helper.js';

describe('tally webhook', () => {
  it('create --json prints {id, url, events, secret}; list never shows the secret; test queues an event; remove removes', async (t) => {
    const tally = await tempTally(t);
    const created = await tally.json<Record<string, unknown>>(['webhook', 'create', '--url', 'https://hooks.example.com/tally', '--json']);
    assert.deepEqual(Object.keys(created), ['id', 'url', 'events', 'secret']);
    assert.deepEqual({ ...created, secret: '' }, {
      id: 1, url: 'https://hooks.example.com/tally', events: ['license.shared', 'license.suspicious', 'version.unreleased'], secret: '',
    });
    assert.match(String(created.secret), /^whsec_[A-Za-z0-9_-]{43}$/);
    const some = await tally.json<Record<string, unknown>>(['webhook', 'create', '--url', 'http://10.0.0.5:8080/x', '--events', 'version.unreleased, license.shared', '--json']);
    assert.deepEqual(some.events, ['license.shared', 'version.unreleased']);
    const listed = await tally.run(['webhook', 'list', '--json']);
    assert.equal(listed.stdout.includes(String(created.secret)), false);
    assert.equal((JSON.parse(listed.stdout) as { webhooks: unknown[] }).webhooks.length, 2);
    const queued = await tally.json<{ id: number; event_id: string }>(['webhook', 'test', '1', '--json']);
    assert.match(queued.event_id, /^[0-9a-f-]{36}$/);
    const log = await tally.json<{ events: { event_id: string; type: string; state: string }[] }>(['webhook', 'deliveries', '1', '--json']);
    assert.deepEqual(log.events.map((e) => [e.event_id, e.type, e.state]), [[queued.event_id, 'webhook.test', 'pending']]);
    const removed = await tally.run(['webhook', 'remove', '1']);
    assert.deepEqual([removed.code, removed.stdout], [0, 'Removed webhook endpoint 1.\n']);
    const gone = await tally.run(['webhook', 'remove', '1']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /No webhook endpoint 1\./);
    assert.deepEqual(await tally.json(['webhook', 'remove', '2']), { id: 2, removed: true });
    const goneJson = await tally.run(['webhook', 'remove', '2', '--json']);
    assert.deepEqual([goneJson.code, goneJson.stdout], [1, '']);
    assert.match(goneJson.stderr, /No webhook endpoint 2\./);
  });

  it('exits 1 with a message for a URL that is not http(s) or an unknown event type', async (t) => {
    const tally = await tempTally(t);
    const ftp = await tally.run(['webhook', 'create', '--url', 'ftp://example.com/']);
    assert.equal(ftp.code, 1);
    assert.match(ftp.stderr, /url must be an http:\/\/ or https:\/\/ URL\./);
    const unknown = await tally.run(['webhook', 'create', '--url', 'https://example.com/', '--events', 'license.stolen']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /"license\.stolen" is not an event type/);
  });
});
