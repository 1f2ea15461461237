import { getJson, sendJson } from '../api.js';
import { actionForm, textOf } from '../action-form.js';
import { field, h, select, statusLine, table } from '../dom.js';
import { formatTime } from '../time.js';
import { may } from '../access.js';
import type { Product } from '../types.js';
import { API_KEY_SIGNATURE_SCHEMES, type ApiKeySignatureScheme } from '../../../src/model/registry.js';

/** An API key as the admin API lists it (never its secret or hash). */
interface ApiKey {
  id: number;
  name: string;
  state: 'active' | 'inactive' | 'expired' | 'revoked';
  capabilities: string[];
  products: number[];
  allowed_ips: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  signature_scheme: ApiKeySignatureScheme;
}

/** The schemes as the selects offer them (CONTRACT §5): `auto` picks from each request's User-Agent. */
const SCHEME_OPTIONS = API_KEY_SIGNATURE_SCHEMES.map((scheme): [string, string] => [scheme, scheme === 'auto' ? 'auto (from the User-Agent)' : scheme]);

/** A key's signature scheme, changed in place by choosing another one (a revoked key's is only shown). */
function schemeControl(key: ApiKey, refresh: () => Promise<void>, status: HTMLElement): HTMLElement | string {
  if (key.state === 'revoked' || !may('admin')) return key.signature_scheme;
  const control = select('signature_scheme', SCHEME_OPTIONS, key.signature_scheme);
  control.setAttribute('aria-label', `Signature scheme of key ${key.name}`);
  control.addEventListener('change', () => {
    control.disabled = true;
    sendJson<ApiKey>('POST', `/admin/api/api-keys/${key.id}/update`, { signature_scheme: control.value })
      .then((changed) => { status.textContent = `Key "${changed.name}" is now signed with ${changed.signature_scheme}.`; })
      .catch((error: unknown) => { status.textContent = String(error instanceof Error ? error.message : error); })
      .finally(() => void refresh());
  });
  return control;
}

/** The secret of a key just made: shown here once, never again. */
function secretNotice(key: ApiKey & { key: string }): HTMLElement {
  return h('div', { class: 'secret-box' },
    h('p', {}, `Key #${key.id} "${key.name}" created. Copy its secret now: it is shown only this once.`),
    h('code', { class: 'secret', 'data-secret': '' }, key.key));
}

function keyActions(key: ApiKey, refresh: () => Promise<void>, status: HTMLElement): HTMLElement {
  const act = (path: 'deactivate' | 'activate' | 'revoke', label: string): HTMLButtonElement =>
    h('button', {
      type: 'button', class: 'secondary small', 'aria-label': `${label} key ${key.name}`,
      onclick: () => {
        if (path === 'revoke' && !window.confirm(`Revoke key "${key.name}"? It will never authenticate again.`)) return;
        sendJson<ApiKey>('POST', `/admin/api/api-keys/${key.id}/${path}`)
          .then(async (changed) => {
            status.textContent = `Key "${changed.name}" is now ${changed.state}.`;
            await refresh();
          })
          .catch((error: unknown) => { status.textContent = String(error instanceof Error ? error.message : error); });
      },
    }, label);
  if (key.state === 'revoked' || !may('admin')) return h('span', {}, '—');
  return h('div', { class: 'row-actions' }, key.state === 'inactive' ? act('activate', 'Activate') : act('deactivate', 'Deactivate'), act('revoke', 'Revoke'));
}

function keysTable(keys: readonly ApiKey[], refresh: () => Promise<void>, status: HTMLElement): HTMLElement {
  const headers = ['Id', 'Name', 'State', 'Capabilities', 'Products', 'Allowed IPs', 'Expires', 'Last used', 'Signature scheme', 'Actions'];
  return table('API keys', headers, keys.map((k) => [
    String(k.id), k.name, k.state, k.capabilities.join(', '), k.products.length === 0 ? 'all' : k.products.join(', '),
    k.allowed_ips.length === 0 ? 'anywhere' : k.allowed_ips.join(', '), k.expires_at === null ? 'never' : formatTime(k.expires_at),
    k.last_used_at === null ? '—' : formatTime(k.last_used_at), schemeControl(k, refresh, status), keyActions(k, refresh, status),
  ]));
}

/** API keys (item 6): create (the secret is shown once), change the signature scheme, deactivate, activate, revoke. */
export async function apiKeysSection(list: readonly Product[]): Promise<HTMLElement> {
  const status = statusLine();
  const holder = h('div', {});
  const refresh = async (): Promise<void> => {
    const { api_keys: keys } = await getJson<{ api_keys: ApiKey[] }>('/admin/api/api-keys');
    holder.replaceChildren(keysTable(keys, refresh, status));
  };
  await refresh();
  const products = select('products', [['', 'All products'], ...list.map((p): [string, string] => [String(p.id), `${p.name} (#${p.id})`])], '');
  const create = actionForm('Create an API key', [
    field('Name', h('input', { name: 'name', required: true })),
    field('Capabilities', select('capabilities', [['send_telemetry', 'send telemetry'], ['get_telemetry', 'get telemetry'], ['send_telemetry,get_telemetry', 'send and get telemetry']], 'send_telemetry')),
    field('Product', products),
    field('Allowed IPs (comma-separated, optional)', h('input', { name: 'allowed_ips', placeholder: '10.0.0.0/8' })),
    field('Expires (optional)', h('input', { name: 'expires_at', type: 'date' })),
    field('Signature scheme', select('signature_scheme', SCHEME_OPTIONS, 'auto')),
  ], 'Create key', async (data) => {
    const split = (name: string): string[] => textOf(data, name).split(',').map((v) => v.trim()).filter((v) => v !== '');
    const body: Record<string, unknown> = {
      name: textOf(data, 'name'), capabilities: split('capabilities'), products: split('products').map(Number), allowed_ips: split('allowed_ips'),
      signature_scheme: textOf(data, 'signature_scheme'),
    };
    if (textOf(data, 'expires_at') !== '') body['expires_at'] = textOf(data, 'expires_at');
    const created = await sendJson<ApiKey & { key: string }>('POST', '/admin/api/api-keys', body);
    await refresh();
    return secretNotice(created);
  });
  return h('section', { 'aria-labelledby': 'keys-title' }, h('h2', { id: 'keys-title' }, 'API keys'), holder, status, h('div', { class: 'forms' }, create));
}
