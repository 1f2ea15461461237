import type { Reply } from '../model/codes.js';
import type { NewTelemetryRecord } from '../model/record.js';
import type { DiskFloor } from './disk-floor.js';
import type { KeyQuota } from './key-quota.js';
import { recordBytes } from './record-bytes.js';

/** The message of the 503 answered while the disk is under its floor (in `errors.storage`). */
export const LOW_DISK_MESSAGE = 'The server is low on disk space and accepts no reports until space is freed. Nothing was stored; retry later.';

/** Seconds a client is asked to wait before retrying a report refused for disk space. */
const LOW_DISK_RETRY_SECONDS = 60;

/** A write that may go on (undo it if its commit fails), or the answer that refuses it. */
export type Admission = { ok: true; undo(): void } | { ok: false; reply: Reply };

const ADMITTED: Admission = { ok: true, undo: () => undefined };

/**
 * What decides, before anything is committed, whether reports may be written at all: the free
 * disk floor (503, nothing stored: the database must never meet a full disk) and then the key's
 * daily quota (104, HTTP 429, with Retry-After until the UTC day ends). Either may be absent.
 */
export class WriteAdmission {
  readonly #disk: DiskFloor | null;
  readonly #quota: KeyQuota | null;

  constructor(disk: DiskFloor | null, quota: KeyQuota | null) {
    this.#disk = disk;
    this.#quota = quota;
  }

  async admit(apiKeyId: number, records: readonly NewTelemetryRecord[]): Promise<Admission> {
    if (this.#disk !== null && !(await this.#disk.allowsWrites())) {
      return { ok: false, reply: { code: 503, fields: { errors: { storage: [LOW_DISK_MESSAGE] } }, headers: { 'retry-after': String(LOW_DISK_RETRY_SECONDS) } } };
    }
    if (this.#quota === null) return ADMITTED;
    const bytes = this.#quota.countsBytes ? records.reduce((sum, record) => sum + recordBytes(record), 0) : 0;
    const decision = this.#quota.take(apiKeyId, records.length, bytes);
    if (decision.ok) return decision;
    return { ok: false, reply: { code: 104, headers: { 'retry-after': String(decision.retryAfterSeconds) } } };
  }
}
