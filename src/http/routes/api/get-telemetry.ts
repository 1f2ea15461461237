import { signedRecordBytes } from '../../../envelope/answer-budget.js';
import { getTelemetry } from '../../../query/get-telemetry.js';
import type { CachedBlocklist } from '../../../registry/cached-blocklist.js';
import type { TelemetryStore } from '../../../store/contract/store.js';
import { apiPaths } from '../../plugins/api/api-paths.js';
import type { ApiRoutes } from '../../plugins/api/api-routes.js';
import { getTelemetryDocs } from '../../schemas/api-operations.js';

/**
 * `GET /api/v1/get-telemetry-data` and a form POST to it (CONTRACT §4). Also answers at
 * `get-telemetry`, the name the published docs use, and `get-telemetry-date`, the spelling of
 * the published examples, so clients built from either work unchanged; each under `/api/v1/`
 * and `/v1/` (api-paths.ts). The signed answer stays within `maxAnswerBytes` (answer-budget.ts).
 */
export function getTelemetryRoute(routes: ApiRoutes, telemetry: TelemetryStore, blocklist: CachedBlocklist, maxAnswerBytes: number, maxReportAgeDays: number): void {
  const maxRecordBytes = signedRecordBytes(maxAnswerBytes);
  routes.add({
    methods: ['GET', 'POST'],
    paths: apiPaths('get-telemetry-data', 'get-telemetry', 'get-telemetry-date'),
    fields: 'body-and-query',
    capability: 'get_telemetry',
    docs: getTelemetryDocs,
    handler: async ({ request, fields, key }) => {
      // A blocked IP reads nothing (docs/security.md, "Blocklist"); nothing is stored for a query.
      if ((await blocklist.matcher()).blocksReader(request.ip, key.products)) return { code: 150 };
      return getTelemetry(telemetry, fields, key, maxRecordBytes, maxReportAgeDays);
    },
  });
}
