import { HASHED_IP_PREFIX } from './client-ip-mode.js';
import { parseIp } from './ip-prefix-set.js';

/** Bits of the network an address is counted in: IPv4 /24, IPv6 /48 (a site's usual allocation). */
export const IPV4_NETWORK_BITS = 24;
export const IPV6_NETWORK_BITS = 48;

/** Dotted IPv4, alone or IPv4-mapped (`::ffff:1.2.3.4`, what a dual-stack socket gives): its first three parts. */
const IPV4 = /^(?:::ffff:)?(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}$/;
/** Plain IPv6: hex digits and colons only (no brackets, port, zone or embedded IPv4). */
const IPV6_CHARACTERS = /^[0-9a-f:]+$/;

/**
 * The client network of a stored client address, as license insights count them (distinct
 * networks per license), as a short key: `4:a.b.c` for IPv4 /24 (plain or `::ffff:`-mapped),
 * `6:<prefix in hex>` for IPv6 /48; a hashed network (`--client-ip-mode hashed`, already a
 * network's hash) as stored; null (not counted) for any other spelling. The rule is
 * deliberately textual and small, so that PostgreSQL computes the same in SQL
 * (store/postgres/insights-query.ts): it reads what sockets and proxies write, whatever the case.
 */
export function clientNetwork(ip: string | null): string | null {
  if (ip === null) return null;
  if (ip.startsWith(HASHED_IP_PREFIX)) return ip;
  const text = ip.toLowerCase();
  const v4 = IPV4.exec(text);
  if (v4 !== null) return `4:${v4[1] ?? ''}`;
  if (!IPV6_CHARACTERS.test(text)) return null;
  const parsed = parseIp(text);
  return parsed?.v6 === true ? `6:${(parsed.value >> BigInt(128 - IPV6_NETWORK_BITS)).toString(16)}` : null;
}
