import type { AccessToken } from '../../../src/model/access-tokens.js';
import { getJson, sendJson } from '../api.js';
import { actionForm, textOf } from '../action-form.js';
import { field, h, statusLine, table } from '../dom.js';
import { formatTime } from '../time.js';
import { access } from '../access.js';


function stateOf(token: AccessToken): string {
  if (token.revoked_at !== null) return `revoked ${formatTime(token.revoked_at)}`;
  if (token.expires_at !== null) return `${Date.parse(token.expires_at) <= Date.now() ? 'expired' : 'expires'} ${formatTime(token.expires_at)}`;
  return 'active, no expiry';
}

/**
 * Personal API tokens (docs/accounts.md "Personal API tokens"): the user's own, made here (the
 * secret shown once), listed and revoked. Every role may manage its own tokens; a token acts with
 * the account's role and products.
 */
export async function tokensPage(main: HTMLElement): Promise<void> {
  const status = statusLine();
  const holder = h('div', {});
  const revoke = (token: AccessToken): void => {
    if (!window.confirm(`Revoke token "${token.name}"? Scripts using it stop working at once.`)) return;
    sendJson<AccessToken>('DELETE', `/admin/api/tokens/${token.id}`)
      .then(async () => {
        status.textContent = `Revoked token "${token.name}".`;
        await refresh();
      })
      .catch((error: unknown) => { status.textContent = String(error instanceof Error ? error.message : error); });
  };
  const refresh = async (): Promise<void> => {
    const { tokens } = await getJson<{ tokens: AccessToken[] }>('/admin/api/tokens');
    holder.replaceChildren(tokens.length === 0
      ? h('p', {}, 'No tokens yet. Make one below for a script, or with `tally token create` on the server.')
      : table('Your API tokens', ['Id', 'Name', 'Created', 'Last used', 'State', 'Actions'], tokens.map((token) => [
        String(token.id), token.name, formatTime(token.created_at), token.last_used_at === null ? 'never' : formatTime(token.last_used_at), stateOf(token),
        token.revoked_at !== null ? '—' : h('button', { type: 'button', class: 'secondary small', 'aria-label': `Revoke token ${token.name}`, onclick: () => revoke(token) }, 'Revoke'),
      ])));
  };
  await refresh();
  const create = actionForm('Create a token', [
    field('Name (what it is for)', h('input', { name: 'name', required: true, maxlength: 100, placeholder: 'ci' })),
    field('Expires (optional, ISO-8601 date)', h('input', { name: 'expires_at', placeholder: '2027-01-01' })),
  ], 'Create token', async (data) => {
    const expiresAt = textOf(data, 'expires_at');
    const made = await sendJson<AccessToken & { token: string }>('POST', '/admin/api/tokens', { name: textOf(data, 'name'), expires_at: expiresAt === '' ? null : expiresAt });
    await refresh();
    return h('div', { class: 'secret-box' },
      h('p', {}, `Token #${made.id} "${made.name}" created. Copy it now: it is shown only this once.`),
      h('code', { class: 'secret', 'data-secret': '' }, made.token));
  }, 'viewer');
  const { name, role } = access();
  main.append(
    h('h1', {}, 'Tokens'),
    h('p', {}, `Personal API tokens let scripts use the admin API as ${name ?? 'you'}: send one as Authorization: Bearer <token>. A token acts with your current role (${role}) and products, and stops working when revoked or when your account is disabled.`),
    holder, status, h('div', { class: 'forms' }, create),
  );
}
