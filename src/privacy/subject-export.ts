import { subjectFilter, type PrivacySubject } from '../model/privacy-subject.js';
import { matchingRecords } from '../query/export.js';
import { adminRecord } from '../query/record-shape.js';
import type { TelemetryStore } from '../store/contract/store.js';

/**
 * A person's data as NDJSON lines (docs/privacy.md, "Export"): every stored record of the subject
 * in the admin shape (the public record and the client IP as kept), in id order, read a page at
 * a time so memory stays flat. `tally import` reads these lines back.
 */
export async function* subjectExportLines(telemetry: TelemetryStore, subject: PrivacySubject): AsyncGenerator<string> {
  for await (const record of matchingRecords(telemetry, subjectFilter(subject))) yield JSON.stringify(adminRecord(record)) + '\n';
}
