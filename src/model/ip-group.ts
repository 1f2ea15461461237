import { parseClientIp } from './client-ip.js';

/** The group of every client address that does not parse (only a misconfigured proxy chain yields one). */
const UNPARSED_GROUP = 'unparsed';

/**
 * The group a client address is limited in (docs/security.md): an IPv4 address alone (an
 * IPv4-mapped IPv6 peer as its IPv4 address), an IPv6 address with every address of its
 * `/v6PrefixBits` network (one subscriber usually holds a whole /64 and can rotate through it;
 * 128 = each address alone). The result is short and bounded whatever the input, so it can key
 * per-client state; an address that does not parse falls into one shared group.
 */
export function ipGroup(ip: string, v6PrefixBits: number): string {
  const parsed = parseClientIp(ip);
  if (parsed === null) return UNPARSED_GROUP;
  if (!parsed.v6) return `4:${parsed.value.toString(16)}`;
  const hostBits = BigInt(128 - v6PrefixBits);
  return `6:${(parsed.value >> hostBits).toString(16)}/${v6PrefixBits}`;
}
