import { getJson, sendJson } from '../api.js';
import { actionForm, textOf } from '../action-form.js';
import { may } from '../access.js';
import { field, h, statusLine, table } from '../dom.js';
import { formatTime } from '../time.js';

/** The alerts an endpoint can subscribe to (docs/webhooks.md). */
const EVENT_TYPES = ['license.shared', 'license.suspicious', 'version.unreleased'] as const;

/** An endpoint as `GET /admin/api/webhooks` lists it (never its secret). */
interface Endpoint {
  id: number;
  url: string;
  events: string[];
  created_at: string;
}

interface Delivery {
  event_id: string;
  type: string;
  created_at: string;
  state: 'pending' | 'delivered' | 'given_up';
  attempts: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
}

interface Attempt {
  event_id: string;
  type: string;
  attempted_at: string;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

const STATES: Record<Delivery['state'], string> = { pending: 'pending', delivered: 'delivered', given_up: 'given up' };

function outcome(status: number | null, error: string | null): string {
  if (status !== null) return `HTTP ${status}`;
  return error ?? '–';
}

/** One endpoint's delivery log: its events (state, next retry) and its attempts (status code or error). */
async function deliveryLog(endpoint: Endpoint): Promise<HTMLElement> {
  const log = await getJson<{ events: Delivery[]; attempts: Attempt[] }>(`/admin/api/webhooks/${endpoint.id}/deliveries`);
  const events = log.events.length === 0 ? h('p', {}, 'No events yet: send a test.') : table(`Events for ${endpoint.url}`,
    ['Event type', 'Event id', 'Created (UTC)', 'State', 'Attempts', 'Last answer', 'Next retry (UTC)'],
    log.events.map((e) => [e.type, h('code', {}, e.event_id), formatTime(e.created_at), STATES[e.state], String(e.attempts),
      e.attempts === 0 ? '–' : outcome(e.last_status, e.last_error), e.next_attempt_at === null ? '–' : formatTime(e.next_attempt_at)]));
  const attempts = log.attempts.length === 0 ? h('p', {}, 'No attempts yet.') : table(`Attempts for ${endpoint.url}`,
    ['Attempt time (UTC)', 'Event type', 'Event id', 'Status or error', 'Duration'],
    log.attempts.map((a) => [formatTime(a.attempted_at), a.type, h('code', {}, a.event_id), outcome(a.status, a.error), `${a.duration_ms} ms`]));
  return h('section', { 'aria-labelledby': `log-${endpoint.id}` }, h('h2', { id: `log-${endpoint.id}` }, `Delivery log of endpoint #${endpoint.id}`), events, attempts);
}

/**
 * Webhooks (docs/webhooks.md): the endpoints alerts are posted to, with create (the secret shown
 * once), remove, send test, and each endpoint's delivery log.
 */
export async function webhooksPage(main: HTMLElement): Promise<void> {
  const status = statusLine();
  const holder = h('div', {});
  const logHolder = h('div', {});
  const act = (work: () => Promise<string>): void => {
    work().then((text) => { status.textContent = text; }).catch((error: unknown) => { status.textContent = String(error instanceof Error ? error.message : error); });
  };
  const showLog = async (endpoint: Endpoint): Promise<void> => {
    logHolder.replaceChildren(await deliveryLog(endpoint));
  };
  const refresh = async (): Promise<void> => {
    const { webhooks } = await getJson<{ webhooks: Endpoint[] }>('/admin/api/webhooks');
    holder.replaceChildren(webhooks.length === 0
      ? h('p', {}, 'No endpoints yet. Add one below (or with `tally webhook create --url …`) to be told when a license is shared or an unreleased version appears.')
      : table('Webhook endpoints', ['Id', 'URL', 'Events', 'Created (UTC)', 'Actions'], webhooks.map((endpoint) => [
        String(endpoint.id), h('code', {}, endpoint.url), endpoint.events.join(', '), formatTime(endpoint.created_at),
        h('span', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary small', 'aria-label': `Send a test event to ${endpoint.url}`, hidden: !may('admin'), onclick: () => act(async () => {
            const { event_id: eventId } = await sendJson<{ event_id: string }>('POST', `/admin/api/webhooks/${endpoint.id}/test`);
            await showLog(endpoint);
            return `Queued test event ${eventId}; the server sends it within a second or so.`;
          }) }, 'Send test'),
          h('button', { type: 'button', class: 'secondary small', 'aria-label': `Delivery log of ${endpoint.url}`, onclick: () => act(async () => {
            await showLog(endpoint);
            return `Delivery log of endpoint #${endpoint.id}.`;
          }) }, 'Delivery log'),
          h('button', { type: 'button', class: 'secondary small', 'aria-label': `Remove ${endpoint.url}`, hidden: !may('admin'), onclick: () => act(async () => {
            await sendJson('DELETE', `/admin/api/webhooks/${endpoint.id}`);
            logHolder.replaceChildren();
            await refresh();
            return `Removed ${endpoint.url}.`;
          }) }, 'Remove')),
      ])));
  };
  await refresh();
  const create = actionForm('Add an endpoint', [
    field('URL (http:// or https://)', h('input', { name: 'url', type: 'url', required: true, placeholder: 'https://hooks.example.com/tally' })),
    ...EVENT_TYPES.map((type) => field(type, h('input', { name: 'events', type: 'checkbox', value: type, checked: true }))),
  ], 'Add', async (data) => {
    const events = data.getAll('events').filter((value): value is string => typeof value === 'string');
    const created = await sendJson<Endpoint & { secret: string }>('POST', '/admin/api/webhooks', { url: textOf(data, 'url'), events });
    await refresh();
    return h('span', {}, `Added endpoint #${created.id}. Its signing secret, shown only now: `, h('code', { class: 'secret' }, created.secret));
  });
  main.append(
    h('h1', {}, 'Webhooks'),
    h('p', {}, 'Tally posts signed JSON events here: license.shared, license.suspicious, version.unreleased (once per subject per window), retried for 24 hours.'),
    holder, status, h('div', { class: 'forms' }, create), logHolder,
  );
}
