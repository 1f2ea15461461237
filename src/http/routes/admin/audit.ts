import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { auditExportLines, auditPage } from '../../../query/audit-read.js';
import type { Role } from '../../../model/accounts.js';
import { EXPORT_CONTENT_TYPES, inChunks } from '../../../query/export.js';
import type { AuditStore } from '../../../store/contract/audit-store.js';
import { readQueryFields } from '../../plugins/admin/validation.js';
import { auditExportSchema, auditRefusals, auditSchema, type AuditExportQuery, type AuditQuery } from '../../schemas/audit.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The weakest role that may use the route (issue 18's route roles; helper `roles` enforces it). */
    minRole?: Role;
  }
}

/**
 * `GET /admin/api/audit?actor&action&target_type&target_id&from&to&limit&after` (a page, newest
 * first) and `GET /admin/api/audit/export?format=ndjson|csv&<filters>` (every match, streamed):
 * docs/audit.md. Admins and owners only: viewers do not see who did what from where.
 */
export function adminAuditRoutes(admin: FastifyInstance, audit: AuditStore): void {
  const config = { minRole: 'admin' as const, adminRefusals: auditRefusals };
  admin.get<{ Querystring: AuditQuery }>('/audit', { schema: auditSchema, config, preValidation: readQueryFields }, async (request, reply) => {
    const { limit, after, ...filters } = request.query;
    return reply.header('cache-control', 'no-store').send(await auditPage(audit, filters, limit, after));
  });
  admin.get<{ Querystring: AuditExportQuery }>('/audit/export', { schema: auditExportSchema, config, preValidation: readQueryFields }, async (request, reply) => {
    const { format, ...filters } = request.query;
    return reply
      .type(EXPORT_CONTENT_TYPES[format])
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="tally-audit.${format}"`)
      .send(Readable.from(inChunks(auditExportLines(audit, filters, format))));
  });
}
