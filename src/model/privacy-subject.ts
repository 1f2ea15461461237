import type { TelemetryFilter } from './filter.js';

/**
 * Whose stored reports a privacy export or erasure is about (docs/privacy.md): every record whose
 * user identifier is exactly this one as stored (case and spaces count), narrowed, when given, to
 * one license key, one activation identifier and one product.
 */
export interface PrivacySubject {
  userIdentifier: string;
  licenseKey: string | null;
  activationIdentifier: string | null;
  productId: number | null;
}

/** The records of a subject, as the stores' own filters read them (equality on each given column). */
export function subjectFilter(subject: PrivacySubject): TelemetryFilter {
  return {
    productIds: subject.productId === null ? null : [subject.productId],
    userIdentifier: subject.userIdentifier,
    ...(subject.licenseKey === null ? {} : { licenseKey: subject.licenseKey }),
    ...(subject.activationIdentifier === null ? {} : { activationIdentifier: subject.activationIdentifier }),
  };
}
