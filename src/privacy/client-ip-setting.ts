import { randomBytes } from 'node:crypto';
import { isClientIpMode, type ClientIpMode } from '../model/client-ip-mode.js';
import type { Store } from '../store/contract/store.js';
import { ClientIpPolicy } from './client-ip-policy.js';

/** The settings rows: the mode this database took on its first start, and the secret hashed IPs are keyed from. */
export const CLIENT_IP_MODE_SETTING = 'client_ip_mode';
export const CLIENT_IP_SECRET_SETTING = 'client_ip_hash_secret';

/** The policy ingest applies, and a line for the operator when the database keeps full addresses by default. */
export interface ClientIpStart {
  policy: ClientIpPolicy;
  notice: string | null;
}

/**
 * The client-IP mode of this start (docs/privacy.md, "Client IPs"): the configured one when set;
 * otherwise the one the database remembers. On its first start a database remembers the
 * configured mode, else `truncated` when it holds no report yet (a new install) and `full` when
 * it does (an upgrade: what it stored before), so an upgrade never silently changes what is kept;
 * `full` by that rule comes with a notice saying how to change it.
 */
export async function openClientIpPolicy(configured: ClientIpMode | null, store: Store): Promise<ClientIpStart> {
  const remembered = await store.secrets.getSetting(CLIENT_IP_MODE_SETTING);
  const firstStart = remembered === null || !isClientIpMode(remembered)
    ? await store.privacy.settingIfAbsent(CLIENT_IP_MODE_SETTING, configured ?? (await hasReports(store) ? 'full' : 'truncated'))
    : remembered;
  const mode: ClientIpMode = configured ?? (isClientIpMode(firstStart) ? firstStart : 'full');
  const secret = mode === 'hashed' ? Buffer.from(await store.privacy.settingIfAbsent(CLIENT_IP_SECRET_SETTING, randomBytes(32).toString('hex')), 'hex') : null;
  const notice = configured === null && mode === 'full'
    ? 'notice: client IPs are stored in full (the mode this database has kept since it held reports before --client-ip-mode existed); ' +
      'set --client-ip-mode / TALLY_CLIENT_IP_MODE to truncated, hashed or none to keep less (docs/privacy.md).'
    : null;
  return { policy: new ClientIpPolicy(mode, secret), notice };
}

async function hasReports(store: Store): Promise<boolean> {
  return (await store.telemetry.list({ limit: 1 })).length > 0;
}
