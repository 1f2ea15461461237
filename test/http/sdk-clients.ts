import { spawnSync } from 'node:child_process';
import { createVerify } from 'node:crypto';

/**
 * Requests shaped exactly as the published SDKs send them, and answers checked exactly as they
 * check them (CONTRACT §5). Written from what the SDKs do on the wire, not from their code.
 */

export const JS_SDK_AGENT = 'GetKeyManager-JS-SDK/2.0.0';
export const PHP_SDK_AGENT = 'GetKeyManager-PHP-SDK/2.0.0';

/** What an SDK got back: the HTTP status, the raw body and the body parsed. */
export interface SdkAnswer {
  status: number;
  body: string;
  envelope: { response: { code: number } & Record<string, unknown>; signature?: string; retry_after?: number } & Record<string, unknown>;
}

/**
 * A request as both SDKs make it: JSON body with `api_key` added (POST) or `api_key` appended to
 * the query (GET), `Authorization: Bearer`, `Accept` and `Content-Type: application/json`, their
 * User-Agent.
 */
export async function sdkRequest(agent: string, url: string, method: 'GET' | 'POST', apiKey: string, data: Record<string, unknown> = {}): Promise<SdkAnswer> {
  const target = new URL(url);
  if (method === 'GET') target.searchParams.append('api_key', apiKey);
  const res = await fetch(target, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json', 'user-agent': agent },
    ...(method === 'POST' ? { body: JSON.stringify({ ...data, api_key: apiKey }) } : {}),
  });
  const body = await res.text();
  return { status: res.status, body, envelope: JSON.parse(body) as SdkAnswer['envelope'] };
}

/** The JS SDK's check: `JSON.stringify` of the parsed answer without `signature`, RSA-SHA256. */
export function jsSdkVerifies(body: string, publicKeyPem: string): boolean {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const signature = parsed['signature'];
  if (typeof signature !== 'string') return false;
  delete parsed['signature'];
  return createVerify('RSA-SHA256').update(JSON.stringify(parsed)).verify(publicKeyPem, signature, 'base64');
}

/** Whether `php` can be run here; PHP checks are required in CI (TALLY_TEST_REQUIRE_PHP=1). */
export const PHP_AVAILABLE = spawnSync('php', ['--version']).status === 0;
export const PHP_REQUIRED = process.env.TALLY_TEST_REQUIRE_PHP === '1';

/**
 * The PHP SDK's check, run by real PHP: `json_decode($body, true)`, drop `signature`,
 * `json_encode(…, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)`, `openssl_verify` with
 * SHA-256 — after loading the key as its verifier does, which warns (E_USER_WARNING, an
 * exception under Laravel) below 4096 bits. Returns PHP's verdict and anything it printed on stderr.
 */
export function phpSdkVerifies(body: string, publicKeyPem: string): { valid: boolean; warnings: string } {
  const script = `
    $input = json_decode(stream_get_contents(STDIN), true);
    $key = openssl_pkey_get_public($input['pem']);
    $bits = openssl_pkey_get_details($key)['bits'];
    if ($bits < 4096) { fwrite(STDERR, "Warning: Key size is {$bits} bits. Expected 4096 bits."); }
    $data = json_decode($input['body'], true);
    if (json_last_error() !== JSON_ERROR_NONE) { echo 'undecodable'; exit; }
    $signature = $data['signature'];
    unset($data['signature']);
    $payload = json_encode($data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    echo openssl_verify($payload, base64_decode($signature, true), $key, OPENSSL_ALGO_SHA256) === 1 ? 'valid' : 'invalid';
  `;
  const run = spawnSync('php', ['-d', 'display_errors=stderr', '-r', script], { input: JSON.stringify({ body, pem: publicKeyPem }), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`php failed: ${run.stderr}`);
  return { valid: run.stdout === 'valid', warnings: run.stderr };
}
