import { parseClientIp } from '../model/client-ip.js';
import { IpPrefixSet, isIpOrCidr } from '../model/ip-prefix-set.js';

/** Compiled allow-lists, by their entries joined: a key's list is compiled once, not per request. */
const sets = new Map<string, IpPrefixSet>();

/** Whether `ip` is allowed by the entries; an empty list allows every address. IPv4-mapped IPv6 peers match IPv4 entries. */
export function ipAllowed(entries: readonly string[], ip: string): boolean {
  if (entries.length === 0) return true;
  const cacheKey = entries.join(',');
  let set = sets.get(cacheKey);
  if (set === undefined) {
    set = new IpPrefixSet();
    for (const entry of entries) if (isIpOrCidr(entry)) set.add(entry);
    sets.set(cacheKey, set);
  }
  const address = parseClientIp(ip);
  return address !== null && set.has(address);
}
