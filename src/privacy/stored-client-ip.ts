import { createHmac } from 'node:crypto';
import { parseClientIp } from '../model/client-ip.js';
import { HASHED_IP_PREFIX, type ClientIpMode } from '../model/client-ip-mode.js';
import { IPV4_NETWORK_BITS, IPV6_NETWORK_BITS } from '../model/client-network.js';
import type { ParsedIp } from '../model/ip-prefix-set.js';
import { ipText } from '../model/ip-text.js';

/** Base64url characters kept of a hashed network: 132 bits, far past any collision in one install. */
const HASH_CHARACTERS = 22;

/** The network an address is counted in (IPv4 /24, IPv6 /48, as insights count networks), host bits zeroed. */
function networkOf(ip: ParsedIp): ParsedIp {
  const hostBits = BigInt(ip.v6 ? 128 - IPV6_NETWORK_BITS : 32 - IPV4_NETWORK_BITS);
  return { v6: ip.v6, value: (ip.value >> hostBits) << hostBits };
}

/**
 * The client's network as text: `a.b.c.0` (IPv4 /24, also for `::ffff:`-mapped IPv4), `x:y:z::`
 * (IPv6 /48); null for what is not an address (nothing can be kept of it safely).
 */
export function truncatedIp(ip: string): string | null {
  const parsed = parseClientIp(ip);
  return parsed === null ? null : ipText(networkOf(parsed));
}

/**
 * `hashed:<22 base64url characters>`: an HMAC-SHA256, under the day's key, of the client's
 * network (truncatedIp), so one network hashes alike all day and the insights' network count
 * keeps its meaning within a day; text that is no address is hashed as it is (lower-cased).
 */
export function hashedIp(ip: string, dayKey: Buffer): string {
  const subject = truncatedIp(ip) ?? `raw:${ip.trim().toLowerCase()}`;
  return HASHED_IP_PREFIX + createHmac('sha256', dayKey).update(subject).digest('base64url').slice(0, HASH_CHARACTERS);
}

/**
 * The key of one UTC day (`YYYY-MM-DD`), derived from the install's secret: HMAC-SHA256(secret,
 * "tally-client-ip:" + day). Yesterday's hashes cannot be matched to today's, and without the
 * secret (in the settings table) no hash can be tried against a guessed address.
 */
export function dayKey(secret: Buffer, day: string): Buffer {
  return createHmac('sha256', secret).update(`tally-client-ip:${day}`).digest();
}

/** What a mode keeps of a client address; `dayKey` is only read in `hashed` mode. */
export function storedClientIp(mode: ClientIpMode, ip: string, key: () => Buffer): string | null {
  switch (mode) {
    case 'full':
      return ip;
    case 'truncated':
      return truncatedIp(ip);
    case 'hashed':
      return hashedIp(ip, key());
    case 'none':
      return null;
  }
}
