/**
 * The registry tables' column lists, as both backends select and return them: each one is an
 * entity's shape (model/registry.ts, model/blocklist.ts, StoredSigningKey in store.ts).
 */
export const API_KEY_COLUMNS = 'id, name, secret_hash, capabilities, products, allowed_ips, active, revoked, created_at, expires_at, configured_expires_at, last_used_at, signature_scheme';
export const LICENSE_COLUMNS = 'id, product_id, key, status, expires_at, max_activations, notes, created_at, updated_at';
export const ACTIVATION_COLUMNS = 'id, license_id, identifier, created_at, deactivated_at';
export const BLOCKLIST_COLUMNS = 'id, kind, value, product_id, reason, ignore_case, created_at';
export const SIGNING_KEY_COLUMNS = 'key_id, scope, algorithm, private_pem, public_pem, created_at, retired_at';

/** Signing keys listed: current key first, then the newest; global before the products when listing every scope. */
export const SIGNING_KEY_ORDER = "scope <> 'global', scope, retired_at IS NOT NULL, created_at DESC, key_id";
