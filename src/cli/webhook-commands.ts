import type { Command } from 'commander';
import { nowMicros } from '../model/clock.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEndpoint } from '../model/webhooks.js';
import { createWebhook, listWebhooks, removeWebhook, testWebhook, webhookDeliveries } from '../registry/webhooks.js';
import { addConfigOptions, type ConfigFlags } from './config-options.js';
import { printJson, printLine } from './output.js';
import { parseId, parseList } from './parse-values.js';
import { runWithStore } from './run-command.js';
import { cliAudit } from './cli-audit.js';

interface CreateOptions extends ConfigFlags {
  url: string;
  events?: string[];
  json?: boolean;
}

type JsonOption = ConfigFlags & { json?: boolean };

/**
 * `tally webhook create|list|remove|test|deliveries` (docs/webhooks.md): the endpoints alerts are
 * posted to. A running server's delivery worker sends what these put in the outbox.
 */
export function registerWebhookCommands(program: Command): void {
  const group = program.command('webhook').description('endpoints that receive alerts (license.shared, license.suspicious, version.unreleased) as signed JSON posts');
  addConfigOptions(
    group.command('create').description('add an endpoint and print its signing secret once')
      .requiredOption('--url <url>', 'the http:// or https:// URL Tally posts to (redirects are not followed)')
      .option('--events <list>', `comma-separated: ${WEBHOOK_EVENT_TYPES.join(', ')} (default all)`, parseList)
      .option('--json', 'print one JSON object'),
  ).action((options: CreateOptions) =>
    runWithStore(options, async ({ store }) => {
      const endpoint = await createWebhook(store.webhooks, { url: options.url, events: options.events }, cliAudit(store));
      if (options.json) return printJson({ id: endpoint.id, url: endpoint.url, events: endpoint.events, secret: endpoint.secret });
      printLine(`Webhook endpoint ${endpoint.id}: ${endpoint.url} (${endpoint.events.join(', ')})`);
      printLine(`Signing secret (shown once; deliveries carry X-Tally-Signature made with it): ${endpoint.secret}`);
    }),
  );
  addConfigOptions(group.command('list').description('list endpoints (never their secrets)').option('--json', 'print one JSON object')).action((options: JsonOption) =>
    runWithStore(options, async ({ store }) => {
      const endpoints = await listWebhooks(store.webhooks);
      if (options.json) return printJson({ webhooks: endpoints });
      if (endpoints.length === 0) printLine('No webhook endpoints.');
      for (const endpoint of endpoints) printLine(describe(endpoint));
    }),
  );
  addConfigOptions(group.command('remove').description('remove an endpoint, its pending events and its delivery log').argument('<id>', 'endpoint id', parseId)
    .option('--json', 'print one JSON object: {"id", "removed": true}')).action((id: number, options: JsonOption) =>
    runWithStore(options, async ({ store }) => {
      await removeWebhook(store.webhooks, id, cliAudit(store));
      if (options.json) return printJson({ id, removed: true });
      printLine(`Removed webhook endpoint ${id}.`);
    }),
  );
  addConfigOptions(group.command('test').description('queue a webhook.test event for one endpoint (a running server sends it)').argument('<id>', 'endpoint id', parseId)
    .option('--json', 'print one JSON object')).action((id: number, options: JsonOption) =>
    runWithStore(options, async ({ store }) => {
      const eventId = await testWebhook(store.webhooks, id, nowMicros(), cliAudit(store));
      if (options.json) return printJson({ id, event_id: eventId });
      printLine(`Queued webhook.test event ${eventId} for endpoint ${id}; a running server delivers it.`);
    }),
  );
  addConfigOptions(group.command('deliveries').description('an endpoint\'s delivery log: its newest events and attempts').argument('<id>', 'endpoint id', parseId)
    .option('--json', 'print one JSON object')).action((id: number, options: JsonOption) =>
    runWithStore(options, async ({ store }) => {
      const log = await webhookDeliveries(store.webhooks, id);
      if (options.json) return printJson(log);
      for (const event of log.events) {
        const last = event.last_status !== null ? `HTTP ${event.last_status}` : (event.last_error ?? '');
        printLine(`${event.created_at}\t${event.type}\t${event.event_id}\t${event.state}\t${event.attempts} attempts\t${last}\t${event.next_attempt_at ?? ''}`);
      }
      if (log.events.length === 0) printLine('No events yet.');
    }),
  );
}

function describe(endpoint: WebhookEndpoint): string {
  return `${endpoint.id}\t${endpoint.url}\t${endpoint.events.join(',')}\t${endpoint.created_at}`;
}
