import { Type } from '@sinclair/typebox';
import type { FastifySchema } from 'fastify';
import { Closed } from './primitives.js';

/**
 * What the OpenAPI description says of health, readiness, metrics and the description itself.
 * Documentation only (route config `openapi`): these routes answer as they always have, with no
 * schema to validate or serialize them.
 */

const ErrorBody = Closed({ error: Type.String() });

export const healthzDocs: FastifySchema = {
  summary: 'The process serves',
  description: 'Always 200 while it does; no key, not rate limited (docs/operations.md).',
  response: { 200: Closed({ status: Type.Literal('ok') }) },
};

const Readiness = Closed({
  ready: Type.Boolean(),
  checks: Closed({ store: Type.String(), writer: Type.String(), shutdown: Type.String() }, { description: 'ok, or why not' }),
  replicas: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'only with read replicas configured; informative' })),
});

export const readyzDocs: FastifySchema = {
  summary: 'The instance should get traffic',
  description: '200 when the store answers and the writer keeps up, else 503 with the reasons (docs/operations.md).',
  response: { 200: { ...Readiness, description: 'ready' }, 503: { ...Readiness, description: 'not ready' } },
};

export const metricsDocs: FastifySchema = {
  summary: 'Prometheus metrics',
  description: 'Text exposition. Anonymous unless --metrics-token is set; then only with that token as a Bearer token.',
  security: [{}, { metricsBearer: [] }],
  response: {
    200: { description: 'Prometheus text format', content: { 'text/plain': { schema: Type.String() } } },
    401: { ...ErrorBody, description: 'a metrics token is set and was not sent' },
  },
};

export const openApiDocs: FastifySchema = {
  summary: 'This description (OpenAPI 3.1)',
  description: 'Every HTTP endpoint of this Tally. Anonymous: it describes the API and reveals no secret.',
  response: { 200: Type.Object({ openapi: Type.String({ pattern: '^3\\.1\\.' }), info: Type.Object({ title: Type.String(), version: Type.String() }), paths: Type.Object({}) }, { description: 'an OpenAPI 3.1 document' }) },
};
