import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.js';
import { answerAdminError } from '../../plugins/admin/errors.js';
import { useAdminSchemas } from '../../plugins/admin/validation.js';
import type { SessionStore } from '../../plugins/admin/sessions.js';
import { adminAccountRoutes } from './accounts.js';
import { passwordCost } from '../../../registry/accounts/passwords.js';
import { adminAccessTokenRoutes } from './access-tokens.js';
import { adminApiKeysRoutes } from './api-keys.js';
import { adminAuditRoutes } from './audit.js';
import { adminBlocklistRoute } from './blocklist.js';
import { adminExportRoute } from './export.js';
import { adminInstallsRoute } from './installs.js';
import { adminInsightsRoutes } from './insights.js';
import { adminLicenseRoutes } from './licenses.js';
import { adminOverviewRoute } from './overview.js';
import { adminPiracyRoute } from './piracy.js';
import { adminPrivacyRoutes } from './privacy.js';
import { adminRecordsRoute } from './records.js';
import { adminRegistryRoutes } from './registry.js';
import { adminSessionRoutes } from './session.js';
import { adminSummaryRoute } from './summary.js';
import { adminWebhookRoutes } from './webhooks.js';

/**
 * Every admin route, on the admin scope that `adminApi` (src/http/plugins/admin/auth.ts) puts
 * behind the admin token: the scope reads each route's declared parameters and body against
 * its schema (src/http/schemas/), answers with JSON.stringify, and maps refusals and typed
 * errors in one handler (docs/decisions/0020-admin-api-schemas.md).
 */
export function adminRoutes(admin: FastifyInstance, deps: AppDeps, sessions: SessionStore): void {
  useAdminSchemas(admin);
  admin.setErrorHandler(answerAdminError);
  adminSummaryRoute(admin, deps.store.telemetry, deps.config.maxReportAgeDays);
  adminExportRoute(admin, deps.store.telemetry, deps.config.maxReportAgeDays);
  adminApiKeysRoutes(admin, deps.registry, deps.store.audit);
  adminBlocklistRoute(admin, deps);
  adminSessionRoutes(admin, sessions, deps.config.publicUrl);
  adminAccountRoutes(admin, { accounts: deps.store.accounts, registry: deps.registry, passwordCost: passwordCost(deps.config.passwordHashCost) }, deps.store.audit);
  adminAccessTokenRoutes(admin, deps.store);
  adminOverviewRoute(admin, deps.store.telemetry, deps.config.maxReportAgeDays);
  adminRecordsRoute(admin, deps.store.telemetry, deps.config.maxAnswerBytes, deps.config.maxReportAgeDays);
  adminPiracyRoute(admin, deps.store.telemetry, deps.config.maxReportAgeDays);
  adminInstallsRoute(admin, deps.store.telemetry);
  adminWebhookRoutes(admin, deps.store.webhooks, deps.store.audit);
  adminPrivacyRoutes(admin, deps.store);
  adminInsightsRoutes(admin, { telemetry: deps.store.telemetry, blocklist: deps.store.blocklist, defaultSeats: deps.config.defaultSeats });
  // Through the cached registry, so that this instance sees its own writes at once.
  adminRegistryRoutes(admin, deps.registry, deps.store.audit);
  adminAuditRoutes(admin, deps.store.audit);
  adminLicenseRoutes(admin, deps.registry, deps.store.audit);
}
