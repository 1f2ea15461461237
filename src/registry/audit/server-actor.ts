import { userInfo } from 'node:os';
import type { AuditActor } from '../../model/audit.js';

/**
 * Who the server itself changes things as, on start (the admin token from TALLY_ADMIN_TOKEN): the
 * operating-system user running it, as `server:<user>`, of kind `cli` (someone with the server's
 * configuration, like a CLI user).
 */
export function serverActor(): AuditActor {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = 'unknown';
  }
  return { kind: 'cli', accountId: null, name: `server:${name}`, ip: null };
}
