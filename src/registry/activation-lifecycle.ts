import type { AuditContext } from '../model/audit.js';
import { NotFoundError, RegistryInputError } from '../model/errors.js';
import type { ListedActivation } from '../store/contract/license-store.js';
import type { RegistryStore } from '../store/contract/store.js';
import { readAfter, readLimit } from './license-list.js';
import { requireId } from './products.js';

/** Which activations to list: of one license, of one product, or all; paged by id. */
export interface ActivationListQuery {
  licenseId?: number;
  productId?: number;
  limit?: number;
  after?: string;
}

export interface ActivationPage {
  activations: ListedActivation[];
  next: string | null;
}

/** Activations (deactivated ones too, with their time), with their license's key and product, by id. */
export async function listActivations(registry: RegistryStore, query: ActivationListQuery): Promise<ActivationPage> {
  if (query.licenseId !== undefined) requireId(query.licenseId, 'license');
  if (query.productId !== undefined) requireId(query.productId, 'product');
  const limit = readLimit(query.limit);
  const rows = await registry.listActivations({ licenseId: query.licenseId, productId: query.productId, afterId: readAfter(query.after), limit: limit + 1 });
  const activations = rows.slice(0, limit);
  return { activations, next: rows.length > limit ? String(activations[activations.length - 1]?.id ?? '') : null };
}

/**
 * Deactivates one activation: from then on reports naming it are flagged `activation_exists: 0`
 * (within the registry cache TTL on other instances). Deactivating it again changes nothing.
 * Recording the same activation again (create or import) activates it again.
 */
export async function deactivateActivation(registry: RegistryStore, id: number, audit: AuditContext): Promise<ListedActivation> {
  requireId(id, 'activation');
  const before = await registry.getActivation(id);
  if (before === null) throw new NotFoundError(`No activation with id ${id}.`);
  if (before.deactivated_at !== null) return before;
  const after = await registry.deactivateActivation(id);
  if (after === null) throw new NotFoundError(`No activation with id ${id}.`);
  await audit.log.record({
    actor: audit.actor, action: 'activation.deactivate', targetType: 'activation', targetId: String(id),
    changes: { deactivated_at: { before: null, after: after.deactivated_at } },
  });
  return after;
}

/** The activation of this license under this identifier (for `tally activation deactivate --license K --identifier A`). */
export async function findActivation(registry: RegistryStore, licenseId: number, identifier: string): Promise<ListedActivation> {
  const wanted = identifier.trim();
  let after: string | undefined;
  for (;;) {
    const page = await listActivations(registry, { licenseId, limit: 1000, after });
    const found = page.activations.find((activation) => activation.identifier === wanted);
    if (found !== undefined) return found;
    if (page.next === null) throw new RegistryInputError(`License ${licenseId} has no activation "${wanted}".`);
    after = page.next;
  }
}
