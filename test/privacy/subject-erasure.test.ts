import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewAuditEntry } from '../../src/model/audit.js';
import { eraseSubject } from '../../src/privacy/subject-erasure.js';
import type { PrivacyStore } from '../../src/store/contract/privacy-store.js';

describe('eraseSubject', () => {
  it('records privacy.erase in the audit log with counts and none of the erased values', async () => {
    const entries: NewAuditEntry[] = [];
    const privacy: PrivacyStore = { erase: async () => ({ records: 4, eventIds: 2 }), settingIfAbsent: async (_name, value) => value };
    const actor = { kind: 'cli' as const, accountId: null, name: 'cli:root', ip: null };
    const subject = { userIdentifier: 'alice@example.com', licenseKey: 'LIC-SECRET-1', activationIdentifier: 'machine-42', productId: 3 };
    const report = await eraseSubject(privacy, subject, { log: { record: async (entry) => void entries.push(entry) }, actor });
    assert.deepEqual(report, { records: 4, event_ids: 2 });
    assert.equal(entries.length, 1);
    const entry = entries[0]!;
    assert.deepEqual([entry.action, entry.targetType, entry.targetId, entry.actor], ['privacy.erase', 'telemetry', null, actor]);
    assert.deepEqual(entry.changes['records'], { before: 4, after: 0 });
    assert.deepEqual(entry.changes['event_ids'], { before: 2, after: 0 });
    const text = JSON.stringify(entry);
    for (const value of ['alice@example.com', 'LIC-SECRET-1', 'machine-42']) assert.ok(!text.includes(value), `${value} is not in the audit entry`);
    assert.deepEqual(entry.changes['matched_by']?.after, { user_identifier: '(erased)', license_key: '(erased)', activation_identifier: '(erased)', product_id: 3 });
  });
});
