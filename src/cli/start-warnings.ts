import { trustedProxyList, type Config } from '../config/config.js';

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^(::ffff:)?127\./.test(bare);
}

/**
 * What `tally serve` warns about before it starts. Tally speaks plain HTTP only, so a listener
 * other than loopback with no trusted proxy means admin tokens and session cookies either cross
 * the network in the clear or come through a TLS proxy whose `X-Forwarded-Proto` Tally ignores
 * (then only `--public-url https://…` keeps the session cookie Secure).
 */
export function startWarnings(config: Pick<Config, 'host' | 'trustedProxies' | 'publicUrl'>): string[] {
  if (isLoopback(config.host) || trustedProxyList(config.trustedProxies).length > 0) return [];
  const cookie = config.publicUrl?.toLowerCase().startsWith('https://') === true
    ? 'the session cookie is Secure (--public-url is https)'
    : 'the session cookie is not marked Secure (set --public-url https://…)';
  return [
    `warning: listening on ${config.host} over plain HTTP (Tally has no TLS of its own) with no --trusted-proxies: ` +
      `admin tokens, session cookies and reports cross the network unencrypted unless a TLS proxy sits in front, and ${cookie}. ` +
      'Put Tally behind a TLS-terminating proxy and list it in --trusted-proxies, or listen on 127.0.0.1.',
  ];
}
