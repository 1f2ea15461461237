import type { AuditContext } from '../model/audit.js';
import type { License } from '../model/registry.js';
import type { NewLicense, RegistryStore } from '../store/contract/store.js';
import { changedFields, createdFields } from './audit/field-changes.js';
import { recordChanges, type Change } from './audit/record-change.js';
import { LICENSE_AUDIT_FIELDS } from './licenses.js';

/** The registered license of each row's product and key (absent: the import creates it), read before the import writes. */
export async function licensesBefore(registry: RegistryStore, rows: readonly NewLicense[]): Promise<Map<string, License>> {
  const found = await registry.findLicensesByKeys(rows.map((row) => row.key));
  return new Map(found.map((license) => [licenseRef(license), license]));
}

function licenseRef(license: Pick<NewLicense, 'product_id' | 'key'>): string {
  return `${license.product_id}\n${license.key}`;
}

/**
 * Records an import: one `license.import` entry per license it created (before null) or changed
 * (the fields that changed, as stored after the write: a revoked license stays revoked, and under
 * `update: false` an existing one is untouched), none for rows that changed nothing (decision 0030).
 */
export async function recordLicenseImport(
  registry: RegistryStore, before: ReadonlyMap<string, License>, rows: readonly NewLicense[], audit: AuditContext,
): Promise<void> {
  const after = await licensesBefore(registry, rows);
  const changes: Change[] = [];
  for (const row of rows) {
    const now = after.get(licenseRef(row));
    if (now === undefined) continue;
    const old = before.get(licenseRef(row));
    const changed = old === undefined ? createdFields(now, LICENSE_AUDIT_FIELDS) : changedFields(old, now, LICENSE_AUDIT_FIELDS);
    if (Object.keys(changed).length > 0) changes.push({ action: 'license.import', targetType: 'license', targetId: now.id, changes: changed });
  }
  await recordChanges(audit, changes);
}
