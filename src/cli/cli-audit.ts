import type { AuditContext } from '../model/audit.js';
import type { Store } from '../store/contract/store.js';
import { cliActor } from './cli-actor.js';

/** What a CLI command that changes something passes to the shared function: the store's audit log and the operating-system user. */
export function cliAudit(store: Store): AuditContext {
  return { log: store.audit, actor: cliActor() };
}
