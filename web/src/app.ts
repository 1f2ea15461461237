import { ApiError, getJson, sendJson, setCsrfToken } from './api.js';
import { destroyCharts } from './charts.js';
import { h } from './dom.js';
import { groupsPage } from './pages/groups.js';
import { installsPage } from './pages/installs.js';
import { licensesPage } from './pages/licenses.js';
import { livePage } from './pages/live.js';
import { overviewPage } from './pages/overview.js';
import { piracyPage } from './pages/piracy.js';
import { recordsPage } from './pages/records.js';
import { registryPage } from './pages/registry.js';
import { localZoneName, setZoneMode, zoneMode } from './time.js';
import { webhooksPage } from './pages/webhooks.js';
import { auditPage } from './pages/audit.js';
import { tokensPage } from './pages/tokens.js';
import { access, may, setAccess } from './access.js';
import type { Role } from '../../src/model/accounts.js';
import { roleWithArticle } from '../../src/model/product-access.js';
import { accountsPage } from './pages/accounts.js';
import { showSetup } from './setup.js';
import type { SessionAnswer } from './types.js';

type Page = (main: HTMLElement, params: URLSearchParams) => Promise<void | (() => void)>;

/** Every page; `needs` is the weakest role that may open it (default viewer: every role reads). */
const PAGES: Record<string, { title: string; render: Page; needs?: Role }> = {
  overview: { title: 'Overview', render: overviewPage },
  installs: { title: 'Installs', render: installsPage },
  groups: { title: 'Data groups', render: groupsPage },
  piracy: { title: 'Piracy', render: piracyPage },
  records: { title: 'Records', render: recordsPage },
  registry: { title: 'Registry', render: registryPage },
  licenses: { title: 'Licenses', render: licensesPage },
  live: { title: 'Live', render: livePage },
  webhooks: { title: 'Webhooks', render: webhooksPage },
  audit: { title: 'Audit log', render: auditPage, needs: 'admin' },
  tokens: { title: 'Tokens', render: tokensPage },
  accounts: { title: 'Accounts', render: accountsPage, needs: 'owner' },
};

const main = document.getElementById('main') as HTMLElement;
let leave: (() => void) | null = null;
let generation = 0;

/** `#/records?product_id=1` → the page name and its parameters. */
function currentRoute(): { name: string; params: URLSearchParams } {
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { name: path in PAGES ? path : 'overview', params: new URLSearchParams(query) };
}

async function render(): Promise<void> {
  const { name, params } = currentRoute();
  const page = PAGES[name] ?? PAGES['overview'];
  if (page === undefined) return;
  leave?.();
  leave = null;
  destroyCharts();
  const mine = ++generation;
  document.title = `${page.title} · Tally`;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('header nav a')) {
    if (link.getAttribute('href') === `#/${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  // Each render draws into its own view, so a slower earlier render cannot add to a later one.
  const view = h('div', { class: 'view' });
  main.replaceChildren(view);
  if (!may(page.needs ?? 'viewer')) {
    view.append(h('p', { class: 'error', role: 'alert' }, `The ${page.title} page needs the ${page.needs ?? 'viewer'} role; you are ${roleWithArticle(access().role)}.`));
    return;
  }
  main.setAttribute('aria-busy', 'true');
  try {
    const cleanup = await page.render(view, params);
    if (mine === generation && typeof cleanup === 'function') leave = cleanup;
    else if (typeof cleanup === 'function') cleanup();
  } catch (error) {
    if (mine === generation) view.append(h('p', { class: 'error', role: 'alert' }, error instanceof ApiError ? error.detail : String(error)));
  } finally {
    if (mine === generation) main.removeAttribute('aria-busy');
  }
}

/** The header's toggle between the local time zone and UTC: its label says what is shown now. */
function timeZoneToggle(): void {
  const button = document.getElementById('time-zone') as HTMLButtonElement;
  const label = (): void => {
    button.textContent = zoneMode() === 'utc' ? 'Times: UTC' : `Times: local (${localZoneName()})`;
    button.title = zoneMode() === 'utc' ? 'Show times in your local time zone' : 'Show times in UTC';
  };
  label();
  button.addEventListener('click', () => {
    setZoneMode(zoneMode() === 'utc' ? 'local' : 'utc');
    label();
    void render();
  });
}

/**
 * What the logged-in user may do (docs/accounts.md "Roles"): a note for read-only users, and no
 * links to pages their role may not open (showWho puts their name and role in the header).
 */
function showAccess(session: SessionAnswer): void {
  setAccess({ role: session.role, name: session.account?.name ?? null, products: session.account?.products ?? null });
  const readOnly = document.getElementById('read-only');
  if (readOnly !== null) readOnly.hidden = may('admin');
  for (const link of document.querySelectorAll<HTMLAnchorElement>('header nav a')) {
    const needs = PAGES[(link.getAttribute('href') ?? '').replace(/^#\/?/, '')]?.needs ?? 'viewer';
    link.hidden = !may(needs);
  }
}

/** The login form; `outcome` is the `login` parameter a failed login came back with (failed, disabled). */
function showLogin(outcome: string | null): void {
  leave?.();
  (document.getElementById('shell') as HTMLElement).hidden = true;
  (document.getElementById('login') as HTMLElement).hidden = false;
  (document.getElementById('login-error') as HTMLElement).hidden = outcome !== 'failed';
  (document.getElementById('login-disabled') as HTMLElement).hidden = outcome !== 'disabled';
  (document.getElementById('login-name') as HTMLInputElement).focus();
}

/** The header's "signed in as NAME (role)", and the Accounts page's link for owners. */
function showWho(session: SessionAnswer): void {
  const who = session.account === null ? `signed in with the admin token (${session.role})` : `signed in as ${session.account.name} (${session.role})`;
  (document.getElementById('whoami') as HTMLElement).textContent = who;
  (document.getElementById('nav-accounts') as HTMLElement).hidden = session.role !== 'owner';
}

async function start(): Promise<void> {
  if (location.pathname === '/setup') {
    (document.getElementById('login') as HTMLElement).hidden = true;
    showSetup();
    return;
  }
  const outcome = new URLSearchParams(location.search).get('login');
  if (outcome !== null) history.replaceState(null, '', `/${location.hash}`);
  let session: SessionAnswer;
  try {
    session = await getJson('/admin/api/session');
  } catch {
    showLogin(outcome);
    return;
  }
  setCsrfToken(session.csrf_token ?? '');
  showWho(session);
  showAccess(session);
  (document.getElementById('login') as HTMLElement).hidden = true;
  (document.getElementById('shell') as HTMLElement).hidden = false;
  timeZoneToggle();
  window.addEventListener('hashchange', () => void render());
  window.addEventListener('tally:logged-out', () => showLogin(null));
  document.getElementById('logout')?.addEventListener('click', () => {
    void sendJson('DELETE', '/admin/api/session').finally(() => location.assign('/'));
  });
  await render();
}

void start();
