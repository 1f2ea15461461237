import type { AuditContext } from '../model/audit.js';
import type { PrivacySubject } from '../model/privacy-subject.js';
import type { ErasureCounts, ErasureOptions, PrivacyStore } from '../store/contract/privacy-store.js';

/** What an erasure answers: what it deleted. */
export interface ErasureReport {
  records: number;
  event_ids: number;
}

/**
 * Erases a person's reports (docs/privacy.md, "Erasure"): every stored record of the subject and
 * its event ids, in bounded transactions, then one audit entry `privacy.erase` that holds the
 * counts and which fields narrowed the subject, but none of the erased values: not the user
 * identifier, license key or activation identifier, not even hashed (a hash of an identifier
 * is still personal data, and a dictionary finds most of them). The product id, not personal,
 * is recorded.
 */
export async function eraseSubject(privacy: PrivacyStore, subject: PrivacySubject, audit: AuditContext, options: ErasureOptions = {}): Promise<ErasureReport> {
  const counts: ErasureCounts = await privacy.erase(subject, options);
  await audit.log.record({
    actor: audit.actor,
    action: 'privacy.erase',
    targetType: 'telemetry',
    targetId: null,
    changes: {
      records: { before: counts.records, after: 0 },
      event_ids: { before: counts.eventIds, after: 0 },
      matched_by: { before: null, after: matchedBy(subject) },
    },
  });
  return { records: counts.records, event_ids: counts.eventIds };
}

/** The subject's fields that were given, by name (values of the identifiers left out). */
function matchedBy(subject: PrivacySubject): Record<string, unknown> {
  return {
    user_identifier: '(erased)',
    ...(subject.licenseKey === null ? {} : { license_key: '(erased)' }),
    ...(subject.activationIdentifier === null ? {} : { activation_identifier: '(erased)' }),
    ...(subject.productId === null ? {} : { product_id: subject.productId }),
  };
}
