import type { FastifyRequest } from 'fastify';
import type { AuditContext, AuditLog } from '../../../model/audit.js';
import { actorOf } from './principal.js';

/** What an admin route passes to the shared function it calls: the audit log, and who the request comes from and its IP. */
export function requestAudit(log: AuditLog, request: FastifyRequest): AuditContext {
  return { log, actor: actorOf(request) };
}
