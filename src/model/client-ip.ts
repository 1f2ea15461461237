import { parseIp, type ParsedIp } from './ip-prefix-set.js';

/** `a.b.c.d:port`, as some proxies write a client in X-Forwarded-For. */
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;
/** `[v6]` or `[v6]:port`. */
const BRACKETED_IPV6 = /^\[([^\]]+)\](?::\d{1,5})?$/;
/** Dotted decimal with leading zeros (`009.009.009.009`), which node:net's isIP refuses. */
const PADDED_IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
/** `::ffff:0:0/96`: the IPv4-mapped IPv6 addresses. */
const MAPPED_PREFIX = 0xffffn;

/**
 * A client's address as the socket or a trusted proxy's X-Forwarded-For writes it, read to the
 * one number every spelling of it shares, so the blocklist and the API keys' allowed IPs compare
 * canonical forms: any case, a port (`9.9.9.9:1234`, `[2001:db8::1]:443`), brackets, a zone
 * (`fe80::1%eth0`), and IPv4-mapped IPv6 in every spelling (`::ffff:9.9.9.9`,
 * `0:0:0:0:0:ffff:9.9.9.9`, `::ffff:909:909`) read as the IPv4 address it carries. Leading
 * zeros are read as decimal (`009.009.009.009` is 9.9.9.9, never octal: no proxy writes octal).
 * Null for anything else (`9.9.9`, `0x9.9.9.9`, a bare number, a name): callers must decide
 * what an unreadable address means; the blocklist counts it as matching its IP entries.
 */
export function parseClientIp(text: string): ParsedIp | null {
  const address = withoutPortOrZone(text.trim());
  const ip = parseIp(address) ?? paddedIpv4(address);
  if (ip === null || !ip.v6 || ip.value >> 32n !== MAPPED_PREFIX) return ip;
  return { v6: false, value: ip.value & 0xffff_ffffn };
}

function withoutPortOrZone(text: string): string {
  const address = BRACKETED_IPV6.exec(text)?.[1] ?? IPV4_WITH_PORT.exec(text)?.[1] ?? text;
  const zone = address.includes(':') ? address.indexOf('%') : -1;
  return zone < 0 ? address : address.slice(0, zone);
}

function paddedIpv4(text: string): ParsedIp | null {
  const octets = PADDED_IPV4.exec(text)?.slice(1).map(Number);
  if (octets === undefined || octets.some((octet) => octet > 255)) return null;
  return { v6: false, value: BigInt(octets.reduce((value, octet) => value * 256 + octet, 0)) };
}
