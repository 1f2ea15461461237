import { isIP } from 'node:net';

/** An address as a number: IPv4 in 32 bits, IPv6 in 128 bits. */
export interface ParsedIp {
  v6: boolean;
  value: bigint;
}

/**
 * Whether an entry is an IP address or a CIDR (`10.0.0.0/8`, `2001:db8::/32`): what API keys'
 * allowed IPs, blocklist entries and trusted proxies accept. The one check of that shape.
 */
export function isIpOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Parses an IPv4 or IPv6 address (no CIDR, no zone); null when it is neither. */
export function parseIp(text: string): ParsedIp | null {
  const family = isIP(text);
  if (family === 4) return { v6: false, value: BigInt(ipv4Number(text)) };
  if (family === 6 && !text.includes('%')) return { v6: true, value: ipv6Number(text) };
  return null;
}

function ipv4Number(text: string): number {
  let value = 0;
  for (const part of text.split('.')) value = value * 256 + Number(part);
  return value;
}

function ipv6Number(text: string): bigint {
  let groups: string[];
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let tail = text;
  const extra: string[] = [];
  if (embedded?.[1] !== undefined) {
    const v4 = ipv4Number(embedded[1]);
    extra.push((v4 >>> 16).toString(16), (v4 & 0xffff).toString(16));
    tail = text.slice(0, -embedded[1].length);
    if (tail.endsWith(':') && !tail.endsWith('::')) tail = tail.slice(0, -1);
  }
  const [head = '', rest] = tail.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  if (rest === undefined) groups = [...left, ...extra];
  else groups = [...left, ...new Array<string>(8 - left.length - right.length - extra.length).fill('0'), ...right, ...extra];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(parseInt(group, 16));
  return value;
}

/**
 * A set of IPv4/IPv6 networks, looked up by masking the address once per distinct prefix
 * length present and probing a hash set: O(distinct prefix lengths), whatever the number of
 * entries (node:net's BlockList checks its rules one by one).
 */
export class IpPrefixSet {
  readonly #v4 = new Map<number, Set<bigint>>();
  readonly #v6 = new Map<number, Set<bigint>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds an address or CIDR (already validated by isIpOrCidr); returns false when it does not parse. */
  add(entry: string): boolean {
    const [address = '', bits] = entry.split('/');
    const ip = parseIp(address);
    if (ip === null) return false;
    const width = ip.v6 ? 128 : 32;
    const prefix = bits === undefined ? width : Number(bits);
    const byPrefix = ip.v6 ? this.#v6 : this.#v4;
    let networks = byPrefix.get(prefix);
    if (networks === undefined) {
      networks = new Set();
      byPrefix.set(prefix, networks);
    }
    networks.add(masked(ip.value, prefix, width));
    this.#size++;
    return true;
  }

  /** An IPv4 address also matches IPv6 networks as `::ffff:a.b.c.d`, as node:net's BlockList (and so the API keys' allowed IPs) does. */
  has(ip: ParsedIp): boolean {
    if (ip.v6) return hasIn(this.#v6, ip.value, 128);
    return hasIn(this.#v4, ip.value, 32) || (this.#v6.size > 0 && hasIn(this.#v6, IPV4_MAPPED | ip.value, 128));
  }
}

const IPV4_MAPPED = 0xffff_0000_0000n;

function hasIn(byPrefix: ReadonlyMap<number, ReadonlySet<bigint>>, value: bigint, width: number): boolean {
  for (const [prefix, networks] of byPrefix) {
    if (networks.has(masked(value, prefix, width))) return true;
  }
  return false;
}

function masked(value: bigint, prefix: number, width: number): bigint {
  const hostBits = BigInt(width - prefix);
  return (value >> hostBits) << hostBits;
}
