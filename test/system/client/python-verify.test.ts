import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { post, startTestServer, type TestServer } from '../../http/test-server.js';
import { REPO_ROOT } from '../../repo-root.js';

const CLIENTS_DOC = path.join(REPO_ROOT, 'docs/clients.md');
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** The first ```python block of docs/clients.md: the standard-library verifier. */
function documentedVerifier(): string {
  const match = /```python\n([\s\S]*?)```/.exec(fs.readFileSync(CLIENTS_DOC, 'utf8'));
  assert.ok(match?.[1], 'docs/clients.md has a python example');
  return match[1];
}

function runVerifier(script: string, pem: string, envelope: string): { ok: boolean; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-py-'));
  try {
    fs.writeFileSync(path.join(dir, 'verify.py'), `${script}\nimport sys\nprint(verify_tally_answer(sys.stdin.read(), open(sys.argv[1]).read())["code"])\n`);
    fs.writeFileSync(path.join(dir, 'key.pem'), pem);
    const out = execFileSync('python3', [path.join(dir, 'verify.py'), path.join(dir, 'key.pem')], { input: envelope, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
    return { ok: true, out: out.trim() };
  } catch (error) {
    return { ok: false, out: String((error as { stderr?: unknown }).stderr ?? error) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('docs/clients.md: the Python standard-library verifier', { skip: hasPython ? false : 'python3 is not installed' }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('accepts a real batch answer and rejects it once a byte of the signature or of the signed bytes changed', async () => {
    const answer = await post(`${server.url}/api/v1/send-telemetry-data-batch`, JSON.stringify([{ product_id: server.seed.productA }]), 'application/json',
      { authorization: `Bearer ${server.seed.keys.full}` });
    const pem = (await server.store.secrets.getSigningKey('global'))!.public_pem;
    const script = documentedVerifier();
    assert.deepEqual(runVerifier(script, pem, answer.text), { ok: true, out: '840' });
    const envelope = JSON.parse(answer.text) as Record<string, string>;
    const signature = Buffer.from(envelope['signature']!, 'base64');
    signature[5] = (signature[5] ?? 0) ^ 1;
    assert.equal(runVerifier(script, pem, JSON.stringify({ ...envelope, signature: signature.toString('base64') })).ok, false);
    const signed = Buffer.from(envelope['response_base64']!, 'base64');
    signed[8] = (signed[8] ?? 0) ^ 1;
    assert.equal(runVerifier(script, pem, JSON.stringify({ ...envelope, response_base64: signed.toString('base64') })).ok, false);
  });
});
