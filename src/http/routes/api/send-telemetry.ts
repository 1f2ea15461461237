import { ingestReport, type IngestDeps } from '../../../ingest/ingest-report.js';
import type { ApiRoutes } from '../../plugins/api/api-routes.js';

/**
 * `POST /api/v1/send-telemetry-data` (CONTRACT §3). Also answers at `send-telemetry-date`,
 * the spelling the published request examples use, so clients built from them work unchanged.
 */
export function sendTelemetryRoute(routes: ApiRoutes, ingest: IngestDeps): void {
  routes.add({
    methods: ['POST'],
    paths: ['/api/v1/send-telemetry-data', '/api/v1/send-telemetry-date'],
    fields: 'body-and-query',
    capability: 'send_telemetry',
    handler: ({ request, fields, key }) => ingestReport(ingest, fields, key, request.ip),
  });
}
