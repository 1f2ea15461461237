import type { NewTelemetryRecord } from '../../model/record.js';
import { installFactOf, installRollupOf, type InstallFact } from '../contract/install-rollup.js';

/**
 * The install sketches and first-seen rows of PostgreSQL, written by the statement that inserts
 * the records (data-modifying CTEs: one round trip, one transaction; docs/decisions/0034-install-sketches.md).
 * Several instances insert at once, so sketches are not merged in place: each statement appends
 * one delta row per key it touches (no lock taken, no row shared between writers), reads merge a
 * key's rows, and the maintenance pass compacts them (install-sketch-compaction.ts). First-seen
 * rows are upserted keeping the earliest record time; a machine already seen at or before this
 * report's time is skipped without locking its row, the others are locked in the order of
 * their (product, machine), the same in every writer, so two statements cannot deadlock.
 *
 * `ctes(first)` is the statement's text, its parameters numbered from `first`; `params(records)`
 * their values for the records stored (PostgreSQL-safe: after withoutNul).
 */
export const installRollupSql = {
  ctes: (first: number): string => {
    const p = (i: number): string => `$${first + i}`;
    return `install_sketch_deltas AS (
      INSERT INTO install_sketches (product_id, day, version, os, machines, users)
      SELECT * FROM unnest(${p(0)}::bigint[], ${p(1)}::int[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::bytea[], ${p(5)}::bytea[])),
    install_first_seen_rows AS (
      INSERT INTO install_first_seen AS seen (product_id, activation_identifier, first_time, version, os)
      SELECT u.p, u.m, u.t, u.v, u.o
      FROM unnest(${p(6)}::bigint[], ${p(7)}::text[], ${p(8)}::bigint[], ${p(9)}::text[], ${p(10)}::text[]) WITH ORDINALITY AS u(p, m, t, v, o, ord)
      WHERE NOT EXISTS (SELECT 1 FROM install_first_seen AS s WHERE s.product_id = u.p AND s.activation_identifier = u.m AND s.first_time <= u.t)
      ORDER BY u.ord
      ON CONFLICT (product_id, activation_identifier) DO UPDATE SET first_time = EXCLUDED.first_time, version = EXCLUDED.version, os = EXCLUDED.os
      WHERE EXCLUDED.first_time < seen.first_time)`;
  },
  params: (records: readonly NewTelemetryRecord[]): unknown[] => {
    const facts = records.map(installFactOf).filter((fact): fact is InstallFact => fact !== null);
    const { sketches, firstSeen } = installRollupOf(facts);
    return [
      sketches.map((s) => s.productId), sketches.map((s) => s.day), sketches.map((s) => s.version), sketches.map((s) => s.os),
      sketches.map((s) => s.machines.encode()), sketches.map((s) => s.users.encode()),
      firstSeen.map((f) => f.productId), firstSeen.map((f) => f.machine), firstSeen.map((f) => f.timeUs), firstSeen.map((f) => f.version), firstSeen.map((f) => f.os),
    ];
  },
};
