import { spawnSync } from 'node:child_process';
import { describeWhenReachable } from '../service-gate.js';

/** CI sets it (.ci/run installs php-cli): there, a missing `php` fails the tests instead of skipping them. */
export const PHP_REQUIRED = process.env.TALLY_TEST_REQUIRE_PHP === '1';

// One text per line, base64 of its UTF-8 bytes; prints per line the base64 of PHP's round trip, or ! when it fails.
const ROUND_TRIP_SCRIPT = `
foreach (file('php://stdin', FILE_IGNORE_NEW_LINES) as $line) {
  $data = json_decode(base64_decode($line), true);
  if (json_last_error() !== JSON_ERROR_NONE) { echo "!\\n"; continue; }
  $json = json_encode($data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
  echo $json === false ? '!' : base64_encode($json), "\\n";
}`;

/** Why PHP 8 cannot be run here, or null when it can. */
export function phpUnavailableReason(): string | null {
  const result = spawnSync('php', ['-r', 'echo PHP_MAJOR_VERSION;'], { encoding: 'utf8' });
  if (result.error !== undefined) return `php is not installed (${result.error.message})`;
  if (result.status !== 0) return `php -r failed: ${result.stderr}`;
  return Number(result.stdout) >= 8 ? null : `php ${result.stdout} is older than PHP 8`;
}

/**
 * PHP's own `json_encode(json_decode($text, true), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)`
 * of each text (sent as Node's UTF-8 bytes), with serialize_precision -1, in one php process:
 * the bytes, or null where json_decode or json_encode failed.
 */
export function realPhpRoundTrips(texts: readonly string[]): (Buffer | null)[] {
  const input = texts.map((text) => Buffer.from(text, 'utf8').toString('base64')).join('\n') + '\n';
  const result = spawnSync('php', ['-d', 'serialize_precision=-1', '-d', 'memory_limit=1G', '-r', ROUND_TRIP_SCRIPT], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`php failed (${result.status}): ${result.stderr}`);
  const lines = result.stdout.split('\n').slice(0, -1);
  if (lines.length !== texts.length) throw new Error(`php answered ${lines.length} lines for ${texts.length} texts: ${result.stderr}`);
  return lines.map((line) => (line === '!' ? null : Buffer.from(line, 'base64')));
}

/** Registers the tests that need real PHP; without it one skipped test, or a failing one when PHP_REQUIRED. */
export function describeWithPhp(what: string, describeTests: () => void): Promise<void> {
  const hint = 'install php-cli to run it (TALLY_TEST_REQUIRE_PHP=1 makes this a failure)';
  return describeWhenReachable(what, Promise.resolve(phpUnavailableReason()), PHP_REQUIRED, hint, describeTests);
}
