import type { FastifyInstance, FastifyReply } from 'fastify';
import { createActivation } from '../../../registry/activations.js';
import { importLicenses } from '../../../registry/license-import.js';
import { createLicense } from '../../../registry/licenses.js';
import { addProductVersion, createProduct, listProducts } from '../../../registry/products.js';
import { RegistryInputError } from '../../../model/errors.js';
import type { AppDeps } from '../../app-deps.js';

/** A license file may be far larger than a telemetry report. */
const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

type Fields = Record<string, unknown>;

function fieldsOf(body: unknown): Fields {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Fields) : {};
}

function text(fields: Fields, name: string): string {
  const value = fields[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** A positive id from a field or path; NaN (refused by the registry functions) otherwise. */
function id(value: unknown): number {
  const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  return /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
}

/** Registry mistakes (unknown product, duplicate key, bad file rows) are the caller's: 400 with the message. */
async function answer(reply: FastifyReply, status: number, work: () => Promise<unknown>): Promise<FastifyReply> {
  try {
    return reply.code(status).send(await work());
  } catch (error) {
    if (error instanceof RegistryInputError) return reply.code(400).send({ error: error.message });
    throw error;
  }
}

/**
 * The registry for the dashboard and scripts, as thin routes over src/registry (JSON bodies):
 * `GET/POST /products`, `POST /products/:id/versions`, `GET /licenses?key=`, `POST /licenses`,
 * `POST /licenses/import` (`{"text": "<CSV or NDJSON>"}`, as `tally license import`),
 * `POST /activations`. Register through `adminApi`. Writes go through deps.registry, which
 * clears this instance's registry cache.
 */
export function adminRegistryRoutes(admin: FastifyInstance, deps: AppDeps): void {
  // Through the cached registry, so that this instance sees its own writes at once.
  const registry = deps.registry;
  admin.get('/products', async (_request, reply) => reply.send({ products: await listProducts(registry) }));
  admin.post('/products', async (request, reply) => {
    const fields = fieldsOf(request.body);
    const versions = Array.isArray(fields['versions']) ? fields['versions'].filter((v): v is string => typeof v === 'string') : text(fields, 'versions').split(',').filter((v) => v.trim() !== '');
    return answer(reply, 201, () => createProduct(registry, { name: text(fields, 'name'), versions }));
  });
  admin.post<{ Params: { id: string } }>('/products/:id/versions', async (request, reply) =>
    answer(reply, 200, () => addProductVersion(registry, id(request.params.id), text(fieldsOf(request.body), 'version'))),
  );
  admin.get<{ Querystring: { key?: unknown } }>('/licenses', async (request, reply) => {
    const key = typeof request.query.key === 'string' ? request.query.key.trim() : '';
    if (key === '') return reply.code(400).send({ error: 'Give the license key to look up as ?key=.' });
    return reply.send({ licenses: await registry.findLicenses(key) });
  });
  admin.post('/licenses', async (request, reply) => {
    const fields = fieldsOf(request.body);
    const request_ = { productId: id(fields['product_id']), key: text(fields, 'key'), status: text(fields, 'status'), expiresAt: text(fields, 'expires_at') };
    return answer(reply, 201, () => createLicense(registry, request_));
  });
  admin.post('/licenses/import', { bodyLimit: IMPORT_BODY_LIMIT }, async (request, reply) =>
    answer(reply, 200, async () => ({ imported: await importLicenses(registry, text(fieldsOf(request.body), 'text')) })),
  );
  admin.post('/activations', async (request, reply) => {
    const fields = fieldsOf(request.body);
    const productId = text(fields, 'product_id').trim() === '' ? undefined : id(fields['product_id']);
    return answer(reply, 201, () => createActivation(registry, { licenseKey: text(fields, 'license_key'), identifier: text(fields, 'identifier'), productId }));
  });
}
