import { userInfo } from 'node:os';
import type { AuditActor } from '../model/audit.js';

/** Who changes things through the CLI: the operating-system user on the server (the audit log's actor). */
export function cliActor(): AuditActor {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = process.env['USER'] ?? 'unknown';
  }
  return { kind: 'cli', accountId: null, name: `cli:${name}`, ip: null };
}
