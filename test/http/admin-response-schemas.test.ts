import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KindGuard, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { nowMicros } from '../../src/model/clock.js';
import type { BlockEntry as BlockEntryType } from '../../src/model/blocklist.js';
import type { Activation as ActivationType, License as LicenseType, Product as ProductType } from '../../src/model/registry.js';
import type { OverviewAnswer as OverviewAnswerType } from '../../src/query/overview.js';
import type { InstallsAnswer as InstallsAnswerType } from '../../src/query/installs.js';
import type { PiracyAnswer as PiracyAnswerType } from '../../src/query/piracy.js';
import type { LicenseInsight as LicenseInsightType, UserInsight as UserInsightType } from '../../src/query/insights.js';
import type { SummaryAnswer as SummaryAnswerType } from '../../src/query/summary-answer.js';
import type { VisibleApiKey as VisibleApiKeyType } from '../../src/registry/api-key-lifecycle.js';
import * as apiKeys from '../../src/http/schemas/api-keys.js';
import * as blocklist from '../../src/http/schemas/blocklist.js';
import type { AnswerSchema } from '../../src/http/schemas/error-answers.js';
import { installsSchema, type InstallsAnswer } from '../../src/http/schemas/installs.js';
import { overviewSchema, type OverviewAnswer } from '../../src/http/schemas/overview.js';
import { piracySchema, type PiracyAnswer } from '../../src/http/schemas/piracy.js';
import * as insights from '../../src/http/schemas/insights.js';
import { exportSchema, recordsSchema } from '../../src/http/schemas/records.js';
import * as registry from '../../src/http/schemas/registry.js';
import * as licenses from '../../src/http/schemas/licenses.js';
import { logoutSchema, sessionSchema } from '../../src/http/schemas/session.js';
import { summarySchema, type SummaryAnswer } from '../../src/http/schemas/summary.js';
import { seedTelemetry } from '../system/dashboard/seed-telemetry.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * The admin API's declared answers (src/http/schemas/, the future OpenAPI description) checked
 * against real answers of every route, refusals included, so that neither can drift from the
 * other. Answer schemas are closed: a key the code adds and the schema lacks fails here. The
 * interfaces the use cases already had are checked against the schemas' types at compile time.
 */

/** Whether each type is assignable to the other. */
type Describes<S, T> = [S] extends [T] ? ([T] extends [S] ? true : false) : false;
const sameTypes: true[] = [
  true as Describes<Static<typeof SummaryAnswer>, SummaryAnswerType>,
  true as Describes<Static<typeof OverviewAnswer>, OverviewAnswerType>,
  true as Describes<Static<typeof PiracyAnswer>, PiracyAnswerType>,
  true as Describes<Static<typeof InstallsAnswer>, InstallsAnswerType>,
  true as Describes<Static<typeof apiKeys.VisibleApiKey>, VisibleApiKeyType>,
  true as Describes<Static<typeof blocklist.BlockEntry>, BlockEntryType>,
  true as Describes<Static<typeof registry.Product>, ProductType>,
  true as Describes<Static<typeof registry.License>, LicenseType>,
  true as Describes<Static<typeof registry.Activation>, ActivationType>,
  true as Describes<Static<typeof insights.LicenseInsight>, LicenseInsightType>,
  true as Describes<Static<typeof insights.UserInsight>, UserInsightType>,
];

type Responses = Readonly<Record<number, AnswerSchema>>;

let server: TestServer;

before(async () => {
  server = await startTestServer();
  await seedTelemetry(server.store, server.seed, nowMicros());
  const [record] = await server.store.telemetry.list({ limit: 1 });
  assert.ok(record);
  await server.store.telemetry.insertMany([{ ...record, errors: { text_data: ['The text data field is required.'] }, metadata: { os: { name: 'linux' } }, data_group: 'with-errors' }]);
});
after(() => server.close());

interface Call {
  status: number;
  body: unknown;
}

async function call(method: string, path: string, options: { body?: string; type?: string; headers?: Record<string, string>; token?: boolean } = {}): Promise<Call> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== false) headers['authorization'] = `Bearer ${server.adminToken}`;
  if (options.body !== undefined) headers['content-type'] = options.type ?? 'application/json';
  const res = await fetch(`${server.url}/admin/api${path}`, { method, headers, body: options.body });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

const json = (value: unknown): { body: string } => ({ body: JSON.stringify(value) });

/** Asserts that `responses` declares the answer's status and that its schema describes the body. */
function assertDeclared(responses: Responses, answer: Call, expectedStatus: number, what: string): void {
  assert.equal(answer.status, expectedStatus, `${what}: ${JSON.stringify(answer.body)}`);
  const schema = responses[answer.status];
  assert.ok(KindGuard.IsSchema(schema), `${what}: no schema for ${answer.status}`);
  const problems = [...Value.Errors(schema, answer.body)].map((error) => `${error.path}: ${error.message}`);
  assert.deepEqual(problems, [], `${what} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
}

async function expectDeclared(responses: Responses, method: string, path: string, status: number, options: Parameters<typeof call>[2] = {}): Promise<Call> {
  const answer = await call(method, path, options);
  assertDeclared(responses, answer, status, `${method} ${path}`);
  return answer;
}

describe('admin answers match their declared schemas', () => {
  it('summary: numbers, xy points, texts and piracy alerts; refused and unreadable parameters; no token', async () => {
    const r = summarySchema.response;
    for (const group of ['startup_ms', 'frame_times', 'os', 'nothing']) await expectDeclared(r, 'GET', `/summary?product_id=${server.seed.productA}&data_group=${group}`, 200);
    await expectDeclared(r, 'GET', '/summary', 400);
    await expectDeclared(r, 'GET', '/summary?from=%zz', 400);
    await expectDeclared(r, 'GET', '/summary', 401, { token: false });
  });

  it('overview and piracy', async () => {
    await expectDeclared(overviewSchema.response, 'GET', '/overview', 200);
    await expectDeclared(overviewSchema.response, 'GET', `/overview?from=${new Date(Date.now() - 3_600_000).toISOString()}`, 200);
    await expectDeclared(overviewSchema.response, 'GET', '/overview?from=never', 400);
    await expectDeclared(piracySchema.response, 'GET', '/piracy', 200);
    await expectDeclared(piracySchema.response, 'GET', '/piracy?top=0', 400);
    await expectDeclared(piracySchema.response, 'GET', '/piracy?from=%', 400);
  });

  it('installs: each breakdown, an empty product, refused and unreadable parameters', async () => {
    for (const by of ['version', 'os', 'none']) await expectDeclared(installsSchema.response, 'GET', `/installs?product_id=${server.seed.productA}&by=${by}&interval=week`, 200);
    await expectDeclared(installsSchema.response, 'GET', '/installs?product_id=999', 200);
    await expectDeclared(installsSchema.response, 'GET', '/installs?interval=hour', 400);
    await expectDeclared(installsSchema.response, 'GET', '/installs?product_id=1&from=%', 400);
  });

  it('license and user insights, and their refusals', async () => {
    const page = await expectDeclared(insights.licenseInsightsSchema.response, 'GET', '/licenses/insights?limit=1', 200);
    assert.equal((page.body as { data: unknown[] }).data.length, 1);
    await expectDeclared(insights.licenseInsightsSchema.response, 'GET', '/licenses/insights?class=pirates', 400);
    await expectDeclared(insights.licenseInsightsSchema.response, 'GET', '/licenses/insights?after=x', 400);
    await expectDeclared(insights.userInsightsSchema.response, 'GET', '/users/insights', 200);
    await expectDeclared(insights.userInsightsSchema.response, 'GET', '/users/insights?limit=0', 400);
  });

  it('records (with and without errors and metadata) and export refusals', async () => {
    const page = await expectDeclared(recordsSchema.response, 'GET', '/records?limit=1000', 200);
    assert.ok(((page.body as { records: unknown[] }).records).length > 80);
    await expectDeclared(recordsSchema.response, 'GET', '/records?data_group=with-errors', 200);
    await expectDeclared(recordsSchema.response, 'GET', '/records?limit=abc', 400);
    await expectDeclared(exportSchema.response, 'GET', '/export?format=xml', 400);
    await expectDeclared(exportSchema.response, 'GET', '/export', 401, { token: false });
  });

  it('api keys: list, create, actions, update, rotate, and their refusals', async () => {
    await expectDeclared(apiKeys.listSchema.response, 'GET', '/api-keys', 200);
    const created = await expectDeclared(apiKeys.createSchema.response, 'POST', '/api-keys', 201, json({ name: 'schema test', expires_at: '2999-01-01' }));
    const id = (created.body as { id: number }).id;
    for (const bad of [{}, { name: 'x', products: [999] }]) await expectDeclared(apiKeys.createSchema.response, 'POST', '/api-keys', 400, json(bad));
    await expectDeclared(apiKeys.createSchema.response, 'POST', '/api-keys', 400, { body: '{"name":' });
    await expectDeclared(apiKeys.createSchema.response, 'POST', '/api-keys', 413, json({ name: 'x'.repeat(70_000) }));
    await expectDeclared(apiKeys.createSchema.response, 'POST', '/api-keys', 415, { body: 'name', type: 'text/plain' });
    for (const action of ['deactivate', 'activate']) await expectDeclared(apiKeys.actionSchema.response, 'POST', `/api-keys/${id}/${action}`, 200);
    for (const scheme of ['getkeymanager-php', 'getkeymanager-js', 'contract', 'auto']) {
      await expectDeclared(apiKeys.updateSchema.response, 'POST', `/api-keys/${id}/update`, 200, json({ signature_scheme: scheme }));
    }
    for (const bad of [{}, { signature_scheme: 'x' }, { signature_scheme: 5 }, { other: 1 }]) await expectDeclared(apiKeys.updateSchema.response, 'POST', `/api-keys/${id}/update`, 400, json(bad));
    await expectDeclared(apiKeys.updateSchema.response, 'POST', '/api-keys/999999/update', 404, json({ signature_scheme: 'auto' }));
    await expectDeclared(apiKeys.createSchema.response, 'POST', '/api-keys', 201, json({ name: 'pinned', signature_scheme: 'getkeymanager-js' }));
    await expectDeclared(apiKeys.actionSchema.response, 'POST', '/api-keys/abc/revoke', 404);
    await expectDeclared(apiKeys.rotateSchema.response, 'POST', `/api-keys/${id}/rotate`, 200, json({ grace_seconds: 60 }));
    await expectDeclared(apiKeys.rotateSchema.response, 'POST', `/api-keys/${id}/rotate`, 400, json({ grace_seconds: 'x' }));
    await expectDeclared(apiKeys.actionSchema.response, 'POST', `/api-keys/${id}/revoke`, 200);
    await expectDeclared(apiKeys.actionSchema.response, 'POST', `/api-keys/${id}/activate`, 400);
  });

  it('blocklist: list, add, duplicate, remove, and their refusals', async () => {
    const added = await expectDeclared(blocklist.addSchema.response, 'POST', '/blocklist', 201, json({ kind: 'ip', value: '10.99.0.0/16', reason: 'schema test' }));
    await expectDeclared(blocklist.addSchema.response, 'POST', '/blocklist', 201, json({ kind: 'license_key', value: 'K', product_id: server.seed.productA }));
    await expectDeclared(blocklist.addSchema.response, 'POST', '/blocklist', 409, json({ kind: 'ip', value: '10.99.0.0/16' }));
    await expectDeclared(blocklist.addSchema.response, 'POST', '/blocklist', 400, json({ kind: 'email' }));
    await expectDeclared(blocklist.listSchema.response, 'GET', '/blocklist', 200);
    const id = (added.body as { id: number }).id;
    await expectDeclared(blocklist.removeSchema.response, 'DELETE', `/blocklist/${id}`, 200);
    await expectDeclared(blocklist.removeSchema.response, 'DELETE', `/blocklist/${id}`, 404);
    await expectDeclared(blocklist.removeSchema.response, 'DELETE', '/blocklist/abc', 400);
  });

  it('registry: products, versions, licenses, import, activations, and their refusals', async () => {
    await expectDeclared(registry.productsSchema.response, 'GET', '/products', 200);
    const product = await expectDeclared(registry.createProductSchema.response, 'POST', '/products', 201, json({ name: 'Schema', versions: ['1.0'] }));
    const productId = (product.body as { id: number }).id;
    await expectDeclared(registry.createProductSchema.response, 'POST', '/products', 400, json({}));
    await expectDeclared(registry.addVersionSchema.response, 'POST', `/products/${productId}/versions`, 200, json({ version: '1.1' }));
    await expectDeclared(registry.addVersionSchema.response, 'POST', '/products/abc/versions', 400, json({ version: '1.1' }));
    await expectDeclared(registry.createLicenseSchema.response, 'POST', '/licenses', 201, json({ product_id: productId, key: 'SCHEMA-1', expires_at: '2030-01-01' }));
    await expectDeclared(registry.createLicenseSchema.response, 'POST', '/licenses', 201, json({ product_id: productId, key: 'SCHEMA-2' }));
    await expectDeclared(registry.createLicenseSchema.response, 'POST', '/licenses', 400, json({}));
    await expectDeclared(licenses.listLicensesSchema.response, 'GET', '/licenses?key=SCHEMA-1', 200);
    await expectDeclared(licenses.listLicensesSchema.response, 'GET', '/licenses?status=paused', 400);
    await expectDeclared(registry.importSchema.response, 'POST', '/licenses/import', 200, json({ text: `product_id,key\n${productId},SCHEMA-3\n` }));
    await expectDeclared(registry.importSchema.response, 'POST', '/licenses/import', 400, json({ text: '' }));
    await expectDeclared(registry.activationSchema.response, 'POST', '/activations', 201, json({ license_key: 'SCHEMA-1', identifier: 'machine-1' }));
    await expectDeclared(registry.activationSchema.response, 'POST', '/activations', 400, json({}));
  });

  it('license lifecycle: list, show, change, block/unblock/revoke, bulk, delete, activations, and their refusals', async () => {
    const product = await expectDeclared(registry.createProductSchema.response, 'POST', '/products', 201, json({ name: 'Lifecycle' }));
    const productId = (product.body as { id: number }).id;
    const created = await expectDeclared(registry.createLicenseSchema.response, 'POST', '/licenses', 201, json({ product_id: productId, key: 'LC-1' }));
    const id = (created.body as { id: number }).id;
    await expectDeclared(registry.activationSchema.response, 'POST', '/activations', 201, json({ license_key: 'LC-1', identifier: 'm-1', product_id: productId }));
    await expectDeclared(licenses.listLicensesSchema.response, 'GET', `/licenses?product_id=${productId}&limit=1`, 200);
    await expectDeclared(licenses.listLicensesSchema.response, 'GET', '/licenses?expires_before=soon', 400);
    await expectDeclared(licenses.showLicenseSchema.response, 'GET', `/licenses/${id}`, 200);
    await expectDeclared(licenses.showLicenseSchema.response, 'GET', '/licenses/999999', 404);
    await expectDeclared(licenses.patchLicenseSchema.response, 'PATCH', `/licenses/${id}`, 200, json({ notes: 'bought by ACME', max_activations: 3, expires_at: '2031-01-01' }));
    await expectDeclared(licenses.patchLicenseSchema.response, 'PATCH', `/licenses/${id}`, 400, json({ colour: 'red' }));
    await expectDeclared(licenses.patchLicenseSchema.response, 'PATCH', '/licenses/999999', 404, json({ notes: 'x' }));
    await expectDeclared(licenses.licenseActionSchema.response, 'POST', `/licenses/${id}/block`, 200);
    await expectDeclared(licenses.licenseActionSchema.response, 'POST', `/licenses/${id}/unblock`, 200);
    await expectDeclared(licenses.bulkSchema.response, 'POST', '/licenses/bulk', 200, json({ ids: [id, 999999], action: 'block' }));
    await expectDeclared(licenses.bulkSchema.response, 'POST', '/licenses/bulk', 400, json({ ids: [], action: 'block' }));
    await expectDeclared(licenses.licenseActionSchema.response, 'POST', `/licenses/${id}/revoke`, 200);
    await expectDeclared(licenses.licenseActionSchema.response, 'POST', `/licenses/${id}/unblock`, 400);
    await expectDeclared(licenses.licenseActivationsSchema.response, 'GET', `/licenses/${id}/activations`, 200);
    await expectDeclared(licenses.licenseActivationsSchema.response, 'GET', '/licenses/999999/activations', 404);
    const page = await expectDeclared(licenses.activationsSchema.response, 'GET', `/activations?product_id=${productId}`, 200);
    const activationId = (page.body as { activations: { id: number }[] }).activations[0]?.id;
    await expectDeclared(licenses.activationsSchema.response, 'GET', '/activations?limit=0', 400);
    await expectDeclared(licenses.importActivationsSchema.response, 'POST', '/activations/import', 200, json({ text: 'license_key,identifier\nLC-1,m-2\n' }));
    await expectDeclared(licenses.importActivationsSchema.response, 'POST', '/activations/import', 400, json({ text: 'license_key,identifier\nNOPE,m-2\n' }));
    await expectDeclared(licenses.deactivateSchema.response, 'POST', `/activations/${activationId}/deactivate`, 200);
    await expectDeclared(licenses.deactivateSchema.response, 'POST', '/activations/999999/deactivate', 404);
    await expectDeclared(licenses.deleteLicenseSchema.response, 'DELETE', `/licenses/${id}`, 200);
    await expectDeclared(licenses.deleteLicenseSchema.response, 'DELETE', `/licenses/${id}`, 404);
  });

  it('session: by token, by cookie (and a change without the CSRF token), logout', async () => {
    await expectDeclared(sessionSchema.response, 'GET', '/session', 200);
    const login = await fetch(`${server.url}/login`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: server.adminToken }).toString(),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const session = await expectDeclared(sessionSchema.response, 'GET', '/session', 200, { token: false, headers: { cookie } });
    await expectDeclared(logoutSchema.response, 'DELETE', '/session', 403, { token: false, headers: { cookie } });
    const csrf = (session.body as { csrf_token: string }).csrf_token;
    await expectDeclared(logoutSchema.response, 'DELETE', '/session', 204, { token: false, headers: { cookie, 'x-tally-csrf': csrf } });
  });

  it('every route declares 401, 500 and 503', () => {
    const all = [summarySchema, overviewSchema, piracySchema, installsSchema, recordsSchema, exportSchema, apiKeys.listSchema, apiKeys.createSchema, apiKeys.actionSchema,
      apiKeys.updateSchema, apiKeys.rotateSchema, blocklist.listSchema, blocklist.addSchema, blocklist.removeSchema, registry.productsSchema, registry.createProductSchema,
      registry.addVersionSchema, registry.createLicenseSchema, registry.importSchema, registry.activationSchema, sessionSchema, logoutSchema,
      insights.licenseInsightsSchema, insights.userInsightsSchema, licenses.listLicensesSchema, licenses.showLicenseSchema, licenses.patchLicenseSchema,
      licenses.licenseActionSchema, licenses.deleteLicenseSchema, licenses.bulkSchema, licenses.licenseActivationsSchema, licenses.activationsSchema,
      licenses.importActivationsSchema, licenses.deactivateSchema];
    for (const schema of all) assert.deepEqual([401, 500, 503].filter((status) => schema.response[status] === undefined), []);
    assert.equal(sameTypes.length, 11);
  });
});
