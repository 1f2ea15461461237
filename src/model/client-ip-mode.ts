/**
 * What ingest keeps of a report's client address (docs/privacy.md, `--client-ip-mode`): `full`
 * the address; `truncated` its network (IPv4 /24 as `a.b.c.0`, IPv6 /48 as `x:y:z::`); `hashed`
 * a keyed hash of that network under a key that changes every UTC day, marked `hashed:`; `none`
 * nothing (null).
 */
export const CLIENT_IP_MODES = ['full', 'truncated', 'hashed', 'none'] as const;
export type ClientIpMode = (typeof CLIENT_IP_MODES)[number];

export function isClientIpMode(text: string): text is ClientIpMode {
  return (CLIENT_IP_MODES as readonly string[]).includes(text);
}

/** What a stored hashed address starts with, so it is never read as an address. */
export const HASHED_IP_PREFIX = 'hashed:';
