import type { BlockEntry } from '../model/blocklist.js';
import { IpPrefixSet, parseClientIp, type ParsedIp } from '../model/ip-prefix-set.js';

/** What a report says about who sent it: the values the blocklist is matched against. */
export interface ReportIdentity {
  clientIp: string | null;
  productId: number | null;
  /** Trimmed, as stored with the record. */
  userIdentifier: string | null;
  licenseKey: string | null;
}

/** The entries of one product scope (or of every product), compiled for lookups in O(1) / O(prefixes). */
class Scope {
  readonly ips = new IpPrefixSet();
  readonly users = new Set<string>();
  readonly licenses = new Set<string>();

  add(entry: BlockEntry): void {
    if (entry.kind === 'user_identifier') this.users.add(entry.value);
    else if (entry.kind === 'license_key') this.licenses.add(entry.value);
    else this.ips.add(entry.value);
  }

  ipBlocked(ip: ParsedIp | null): boolean {
    return ip !== null && this.ips.size > 0 && this.ips.has(ip);
  }

  blocks(ip: ParsedIp | null, identity: ReportIdentity): boolean {
    return (
      this.ipBlocked(ip) ||
      (identity.userIdentifier !== null && this.users.has(identity.userIdentifier)) ||
      (identity.licenseKey !== null && this.licenses.has(identity.licenseKey))
    );
  }
}

/** An IPv4-mapped IPv6 peer (`::ffff:1.2.3.4`) matches IPv4 entries, as in the API keys' allow-lists. */
function addressOf(ip: string | null): ParsedIp | null {
  return ip === null ? null : parseClientIp(ip);
}

/**
 * The blocklist compiled for the hot path: one scope for entries without a product and one per
 * product. An empty list answers without looking at anything.
 */
export class BlocklistMatcher {
  readonly #all = new Scope();
  readonly #byProduct = new Map<number, Scope>();
  readonly #empty: boolean;

  constructor(entries: readonly BlockEntry[]) {
    this.#empty = entries.length === 0;
    for (const entry of entries) {
      if (entry.product_id === null) {
        this.#all.add(entry);
        continue;
      }
      let scope = this.#byProduct.get(entry.product_id);
      if (scope === undefined) {
        scope = new Scope();
        this.#byProduct.set(entry.product_id, scope);
      }
      scope.add(entry);
    }
  }

  /** Whether a report is blocked: its client IP, user_identifier or license_key matches an entry for every product or for its product. */
  blocksReport(identity: ReportIdentity): boolean {
    if (this.#empty) return false;
    const ip = addressOf(identity.clientIp);
    if (this.#all.blocks(ip, identity)) return true;
    const scope = identity.productId === null ? undefined : this.#byProduct.get(identity.productId);
    return scope !== undefined && scope.blocks(ip, identity);
  }

  /**
   * Whether a client may not read telemetry: its IP matches an entry for every product, or one
   * for a product the API key may read (`allowedProducts`, empty = every product).
   */
  blocksReader(clientIp: string, allowedProducts: readonly number[]): boolean {
    if (this.#empty) return false;
    const ip = addressOf(clientIp);
    if (this.#all.ipBlocked(ip)) return true;
    for (const [productId, scope] of this.#byProduct) {
      if ((allowedProducts.length === 0 || allowedProducts.includes(productId)) && scope.ipBlocked(ip)) return true;
    }
    return false;
  }
}
