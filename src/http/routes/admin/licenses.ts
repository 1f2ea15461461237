import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditContext, AuditLog } from '../../../model/audit.js';
import { importActivations } from '../../../registry/activation-import.js';
import { deactivateActivation, listActivations } from '../../../registry/activation-lifecycle.js';
import {
  bulkLicenseAction, deleteLicense, getLicense, setLicenseStatus, showLicense, STATUS_ACTIONS, updateLicense,
} from '../../../registry/license-lifecycle.js';
import { listLicenses } from '../../../registry/license-list.js';
import type { RegistryStore } from '../../../store/contract/store.js';
import { actorOf, principalOf } from '../../plugins/admin/principal.js';
import { mayUseProduct, onlyTheirProducts } from '../../../model/product-access.js';
import {
  activationRefusals, activationsSchema, bulkSchema, deactivateSchema, deleteLicenseSchema, importActivationsSchema, licenseActionSchema,
  licenseActivationsSchema, licenseListRefusals, licenseRefusals, listLicensesSchema, listRefusals, patchLicenseSchema, showLicenseSchema,
  type ActivationImportBody, type ActivationListQuery, type BulkBody, type LicenseListQuery, type LicensePatch, type PageQuery,
} from '../../schemas/licenses.js';
import type { IdParams } from '../../schemas/primitives.js';

/** An activation file may be far larger than a telemetry report. */
const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

type Id = { Params: IdParams };

/**
 * The license lifecycle (docs/licenses.md, docs/admin-api.md "Licenses"): thin routes over
 * src/registry, as `tally license …` and `tally activation …` are. `registry` is the cached
 * registry, so a change here is seen by this instance's ingest at once (others: within the
 * registry cache TTL). Every change goes to the audit log with who made it and from where.
 */
export function adminLicenseRoutes(admin: FastifyInstance, registry: RegistryStore, log: AuditLog): void {
  const audit = (request: FastifyRequest): AuditContext => ({ log, actor: actorOf(request) });
  // An account limited to products reaches a license or activation by id only when it is of one of them.
  const idOf = (request: FastifyRequest): number => Number((request.params as { id?: unknown }).id);
  const licenseProduct = async (request: FastifyRequest): Promise<number | null> =>
    Number.isSafeInteger(idOf(request)) ? ((await registry.getLicense(idOf(request)))?.product_id ?? null) : null;
  const activationProduct = async (request: FastifyRequest): Promise<number | null> =>
    Number.isSafeInteger(idOf(request)) ? ((await registry.getActivation(idOf(request)))?.product_id ?? null) : null;
  const license = { config: { adminRefusals: licenseRefusals, productOf: licenseProduct } };
  // `?key=` answers only about the caller's products; the list names its product like other routes.
  admin.get<{ Querystring: LicenseListQuery }>('/licenses', { schema: listLicensesSchema, config: { adminRefusals: listRefusals, productScope: 'filtered' } }, async (request, reply) => {
    const principal = principalOf(request);
    const { product_id: productId, key } = request.query;
    if (principal.products !== null && key === undefined && (productId === undefined || !mayUseProduct(principal, productId))) {
      return reply.code(403).send({ error: `Name one of your products as product_id: your account is limited to product(s) ${principal.products.join(', ') || '(none)'}.` });
    }
    const page = await listPage(registry, request.query);
    return { ...page, licenses: onlyTheirProducts(principal, page.licenses, (found) => found.product_id) };
  });
  admin.get<Id>('/licenses/:id', { schema: showLicenseSchema, ...license }, async (request) => showLicense(registry, request.params.id));
  admin.patch<Id & { Body: LicensePatch }>('/licenses/:id', { schema: patchLicenseSchema, ...license }, async (request) => {
    const { status, expires_at: expiresAt, max_activations: maxActivations, notes } = request.body;
    return updateLicense(registry, request.params.id, { status, expiresAt, maxActivations, notes }, audit(request));
  });
  for (const action of STATUS_ACTIONS) {
    admin.post<Id>(`/licenses/:id/${action}`, { schema: licenseActionSchema, ...license }, async (request) =>
      setLicenseStatus(registry, request.params.id, action, audit(request)));
  }
  admin.delete<Id>('/licenses/:id', { schema: deleteLicenseSchema, ...license }, async (request) => {
    await deleteLicense(registry, request.params.id, audit(request));
    return { id: request.params.id, deleted: true as const };
  });
  admin.post<{ Body: BulkBody }>('/licenses/bulk', { schema: bulkSchema }, async (request) =>
    bulkLicenseAction(registry, request.body.ids, request.body.action, audit(request)));
  admin.get<Id & { Querystring: PageQuery }>('/licenses/:id/activations', { schema: licenseActivationsSchema, config: { adminRefusals: licenseListRefusals, productOf: licenseProduct } }, async (request) => {
    await getLicense(registry, request.params.id);
    return listActivations(registry, { licenseId: request.params.id, limit: request.query.limit, after: request.query.after });
  });
  admin.get<{ Querystring: ActivationListQuery }>('/activations', { schema: activationsSchema, config: { adminRefusals: listRefusals } }, async (request) => {
    const { product_id: productId, license_id: licenseId, limit, after } = request.query;
    return listActivations(registry, { productId, licenseId, limit, after });
  });
  admin.post<{ Body: ActivationImportBody }>('/activations/import', { schema: importActivationsSchema, bodyLimit: IMPORT_BODY_LIMIT }, async (request) =>
    importActivations(registry, request.body.text, audit(request)));
  admin.post<Id>('/activations/:id/deactivate', { schema: deactivateSchema, config: { adminRefusals: activationRefusals, productOf: activationProduct } }, async (request) =>
    deactivateActivation(registry, request.params.id, audit(request)));
}

/** `?key=` finds a key as it always has (one page, every product's unless product_id narrows it); else the filtered list. */
async function listPage(registry: RegistryStore, query: LicenseListQuery): Promise<{ licenses: Awaited<ReturnType<RegistryStore['findLicenses']>>; next: string | null }> {
  if (query.key !== undefined) {
    const found = await registry.findLicenses(query.key);
    return { licenses: found.filter((l) => query.product_id === undefined || l.product_id === query.product_id), next: null };
  }
  return listLicenses(registry, {
    productId: query.product_id, status: query.status, expiry: query.expiry, expiresBefore: query.expires_before,
    search: query.search, limit: query.limit, after: query.after,
  });
}
