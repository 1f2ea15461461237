import type { ApiKey, ApiKeySignatureScheme, Capability, ProductStatus } from '../../../model/registry.js';

/**
 * Registry rows as SQLite returns them, and their mapping to domain objects. JSON columns come
 * back as text and booleans as 0/1; only this file knows that (queries/record-row.ts for telemetry).
 */

export interface ProductRow {
  id: number;
  name: string;
  status: ProductStatus;
  created_at: string;
}

export interface ApiKeyRow {
  id: number;
  name: string;
  secret_hash: string;
  capabilities: string;
  products: string;
  allowed_ips: string;
  active: number;
  revoked: number;
  created_at: string;
  expires_at: string | null;
  configured_expires_at: string | null;
  last_used_at: string | null;
  signature_scheme: ApiKeySignatureScheme;
}

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    ...row,
    capabilities: JSON.parse(row.capabilities) as Capability[],
    products: JSON.parse(row.products) as number[],
    allowed_ips: JSON.parse(row.allowed_ips) as string[],
    active: row.active === 1,
    revoked: row.revoked === 1,
  };
}
