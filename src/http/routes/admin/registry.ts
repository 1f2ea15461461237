import type { FastifyInstance } from 'fastify';
import { createActivation } from '../../../registry/activations.js';
import { importLicenses } from '../../../registry/license-import.js';
import { createLicense } from '../../../registry/licenses.js';
import { addProductVersion, createProduct, listProducts } from '../../../registry/products.js';
import type { RegistryStore } from '../../../store/contract/store.js';
import {
  activationSchema, addVersionSchema, createLicenseSchema, createProductSchema, importSchema, productIdRefusals, productsSchema,
  type ActivationBody, type ImportBody, type LicenseBody, type ProductBody, type VersionBody,
} from '../../schemas/registry.js';
import type { IdParams } from '../../schemas/primitives.js';
import type { AuditLog } from '../../../model/audit.js';
import { requestAudit } from '../../plugins/admin/request-audit.js';
import { onlyTheirProducts } from '../../../model/product-access.js';
import { principalOf } from '../../plugins/admin/principal.js';

/** A license file may be far larger than a telemetry report. */
const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

/**
 * The registry for the dashboard and scripts, as thin routes over src/registry (JSON bodies):
 * `GET/POST /products`, `POST /products/:id/versions`, `POST /licenses`,
 * `POST /licenses/import` (`{"text": "<CSV or NDJSON>"}`, as `tally license import`),
 * `POST /activations` (the license lifecycle is licenses.ts). Register through `adminApi`. `registry` is the cached registry, so this
 * instance sees its own writes at once. Registry mistakes (unknown product, duplicate key, bad
 * file rows) are the caller's: 400 with the message, from the admin error handler.
 */
export function adminRegistryRoutes(admin: FastifyInstance, registry: RegistryStore, log: AuditLog): void {
  // Every product, or an account limited to products only its own.
  admin.get('/products', { schema: productsSchema, config: { productScope: 'filtered' } }, async (request) =>
    ({ products: onlyTheirProducts(principalOf(request), await listProducts(registry), (product) => product.id) }));
  admin.post<{ Body: ProductBody }>('/products', { schema: createProductSchema }, async (request, reply) =>
    reply.code(201).send(await createProduct(registry, { name: request.body.name, versions: request.body.versions }, requestAudit(log, request))),
  );
  admin.post<{ Params: IdParams; Body: VersionBody }>('/products/:id/versions', { schema: addVersionSchema, config: { adminRefusals: productIdRefusals } }, async (request) =>
    (await addProductVersion(registry, request.params.id, request.body.version, requestAudit(log, request))).product,
  );
  admin.post<{ Body: LicenseBody }>('/licenses', { schema: createLicenseSchema }, async (request, reply) => {
    const { product_id: productId, key, status, expires_at: expiresAt, max_activations: maxActivations } = request.body;
    // No product id at all is not an id either; the registry says so (with the license's other problems).
    return reply.code(201).send(await createLicense(registry, { productId: productId ?? Number.NaN, key, status, expiresAt, maxActivations }, requestAudit(log, request)));
  });
  admin.post<{ Body: ImportBody }>('/licenses/import', { schema: importSchema, bodyLimit: IMPORT_BODY_LIMIT }, async (request) =>
    importLicenses(registry, request.body.text, { update: request.body.update ?? true }, requestAudit(log, request)),
  );
  admin.post<{ Body: ActivationBody }>('/activations', { schema: activationSchema }, async (request, reply) => {
    const { license_key: licenseKey, identifier, product_id: productId } = request.body;
    return reply.code(201).send(await createActivation(registry, { licenseKey, identifier, productId }, requestAudit(log, request)));
  });
}
