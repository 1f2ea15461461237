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

type Page = (main: HTMLElement, params: URLSearchParams) => Promise<void | (() => void)>;

const PAGES: Record<string, { title: string; render: Page }> = {
  overview: { title: 'Overview', render: overviewPage },
  installs: { title: 'Installs', render: installsPage },
  groups: { title: 'Data groups', render: groupsPage },
  piracy: { title: 'Piracy', render: piracyPage },
  records: { title: 'Records', render: recordsPage },
  registry: { title: 'Registry', render: registryPage },
  licenses: { title: 'Licenses', render: licensesPage },
  live: { title: 'Live', render: livePage },
  webhooks: { title: 'Webhooks', render: webhooksPage },
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

function showLogin(failed: boolean): void {
  leave?.();
  (document.getElementById('shell') as HTMLElement).hidden = true;
  (document.getElementById('login') as HTMLElement).hidden = false;
  (document.getElementById('login-error') as HTMLElement).hidden = !failed;
  (document.getElementById('token') as HTMLInputElement).focus();
}

async function start(): Promise<void> {
  const failed = new URLSearchParams(location.search).get('login') === 'failed';
  if (failed) history.replaceState(null, '', `/${location.hash}`);
  let session: { authenticated_by: string; csrf_token?: string };
  try {
    session = await getJson('/admin/api/session');
  } catch {
    showLogin(failed);
    return;
  }
  setCsrfToken(session.csrf_token ?? '');
  (document.getElementById('login') as HTMLElement).hidden = true;
  (document.getElementById('shell') as HTMLElement).hidden = false;
  timeZoneToggle();
  window.addEventListener('hashchange', () => void render());
  window.addEventListener('tally:logged-out', () => showLogin(false));
  document.getElementById('logout')?.addEventListener('click', () => {
    void sendJson('DELETE', '/admin/api/session').finally(() => location.assign('/'));
  });
  await render();
}

void start();
