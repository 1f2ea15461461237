import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../../model/accounts.js';
import { eraseSubject } from '../../../privacy/subject-erasure.js';
import { subjectExportLines } from '../../../privacy/subject-export.js';
import { readSubject } from '../../../privacy/subject-request.js';
import { inChunks } from '../../../query/export.js';
import type { Store } from '../../../store/contract/store.js';
import { InputError } from '../../plugins/admin/errors.js';
import { actorOf } from '../../plugins/admin/principal.js';
import { privacyEraseSchema, privacyExportSchema, type SubjectBody } from '../../schemas/privacy.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role a route needs (COMMON brief; enforced by the roles helper's hook). */
    minRole?: Role;
  }
}

/** Owner only: a person's data leaves or is erased (docs/privacy.md). */
const OWNER_ONLY = { minRole: 'owner' } as const;

function subjectOf(body: SubjectBody) {
  const reading = readSubject(body);
  if (!reading.ok) throw new InputError('body', reading.errors);
  return reading.subject;
}

/**
 * `POST /admin/api/privacy/export` (NDJSON of every stored record of the subject, admin shape)
 * and `POST /admin/api/privacy/erase` (`{records, event_ids}` deleted; audit entry without the
 * erased values). POST for both: the subject travels in the body, never in a URL that proxies log.
 */
export function adminPrivacyRoutes(admin: FastifyInstance, store: Store): void {
  admin.post<{ Body: SubjectBody }>('/privacy/export', { schema: privacyExportSchema, config: OWNER_ONLY }, async (request, reply) => {
    const lines = subjectExportLines(store.telemetry, subjectOf(request.body));
    return reply
      .type('application/x-ndjson')
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="tally-privacy-export.ndjson"')
      .send(Readable.from(inChunks(lines)));
  });
  admin.post<{ Body: SubjectBody }>('/privacy/erase', { schema: privacyEraseSchema, config: OWNER_ONLY }, async (request) =>
    eraseSubject(store.privacy, subjectOf(request.body), { log: store.audit, actor: actorOf(request) }),
  );
}
