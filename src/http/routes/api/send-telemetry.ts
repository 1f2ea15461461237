import { ingestReport, type IngestDeps } from '../../../ingest/ingest-report.js';
import { apiPaths } from '../../plugins/api/api-paths.js';
import type { ApiRoutes } from '../../plugins/api/api-routes.js';
import { sendTelemetryDocs } from '../../schemas/api-operations.js';

/**
 * `POST /api/v1/send-telemetry-data` (CONTRACT §3). Also answers at `send-telemetry-date`, the
 * spelling of the published request examples, and `send-telemetry`, the published SDKs' name,
 * each under `/api/v1/` and `/v1/` (api-paths.ts), so clients built from either work unchanged.
 */
export function sendTelemetryRoute(routes: ApiRoutes, ingest: IngestDeps): void {
  routes.add({
    methods: ['POST'],
    paths: apiPaths('send-telemetry-data', 'send-telemetry-date', 'send-telemetry'),
    fields: 'body-and-query',
    capability: 'send_telemetry',
    docs: sendTelemetryDocs,
    handler: ({ request, fields, key }) => ingestReport(ingest, fields, key, request.ip),
  });
}
