import type { AuditActor, AuditContext } from '../src/model/audit.js';

/** The actor of changes tests make directly through the shared functions (fixtures, seeds). */
export const TEST_ACTOR: AuditActor = { kind: 'cli', accountId: null, name: 'cli:test-fixture', ip: null };

/** For fixtures whose changes are not what a test is about: recorded nowhere. */
export const NO_AUDIT: AuditContext = { log: { record: async () => undefined }, actor: TEST_ACTOR };
