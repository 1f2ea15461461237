import type { BlockEntry } from '../model/blocklist.js';
import { blockMatchForm } from '../model/block-match.js';
import { parseClientIp } from '../model/client-ip.js';
import { IpPrefixSet, type ParsedIp } from '../model/ip-prefix-set.js';

/** What a report says about who sent it: the values the blocklist is matched against. */
export interface ReportIdentity {
  clientIp: string | null;
  productId: number | null;
  /** Trimmed, as stored with the record. */
  userIdentifier: string | null;
  licenseKey: string | null;
}

/** A client address read for matching: parsed, absent, or present but not readable as an IP. */
type ClientAddress = ParsedIp | null | 'unreadable';

/** An identifier in the two forms entries are compared in (model/block-match.ts). */
interface MatchForms {
  exact: string;
  folded: string;
}

/** Exact and case-insensitive entries of one kind. */
class IdentifierSet {
  readonly #exact = new Set<string>();
  readonly #folded = new Set<string>();

  add(entry: BlockEntry): void {
    if (entry.ignore_case) this.#folded.add(blockMatchForm(entry.value, true));
    else this.#exact.add(blockMatchForm(entry.value, false));
  }

  has(forms: MatchForms | null): boolean {
    return forms !== null && (this.#exact.has(forms.exact) || (this.#folded.size > 0 && this.#folded.has(forms.folded)));
  }
}

/** The entries of one product scope (or of every product), compiled for lookups in O(1) / O(prefixes). */
class Scope {
  readonly ips = new IpPrefixSet();
  readonly users = new IdentifierSet();
  readonly licenses = new IdentifierSet();

  add(entry: BlockEntry): void {
    if (entry.kind === 'user_identifier') this.users.add(entry);
    else if (entry.kind === 'license_key') this.licenses.add(entry);
    else this.ips.add(entry.value);
  }

  /** An address that cannot be read as an IP matches every IP entry: a proxy's odd spelling must not escape them. */
  ipBlocked(ip: ClientAddress): boolean {
    if (ip === null || this.ips.size === 0) return false;
    return ip === 'unreadable' || this.ips.has(ip);
  }

  blocks(ip: ClientAddress, user: MatchForms | null, license: MatchForms | null): boolean {
    return this.ipBlocked(ip) || this.users.has(user) || this.licenses.has(license);
  }
}

/** Every spelling of one address reads the same (model/client-ip.ts). */
function addressOf(ip: string | null): ClientAddress {
  return ip === null ? null : (parseClientIp(ip) ?? 'unreadable');
}

function formsOf(value: string | null): MatchForms | null {
  return value === null ? null : { exact: blockMatchForm(value, false), folded: blockMatchForm(value, true) };
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
    const user = formsOf(identity.userIdentifier);
    const license = formsOf(identity.licenseKey);
    if (this.#all.blocks(ip, user, license)) return true;
    const scope = identity.productId === null ? undefined : this.#byProduct.get(identity.productId);
    return scope !== undefined && scope.blocks(ip, user, license);
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
