import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { createCrashStore, storedMarkers, verdict, type CrashStore } from '../crash/crash-driver.js';
import { Load, pause } from '../crash/load.js';
import { startTally, stopTally, type TallyProcess } from '../crash/tally-process.js';

const CLIENTS = 8;
/** "830 again" once the trouble is over, without restarting Tally. */
const RECOVERY_LIMIT_MS = 15_000;

/** A running `tally serve` on a SQLite store with load on it. */
interface Rig {
  store: CrashStore;
  tally: TallyProcess;
  load: Load;
}

async function startRig(dataDir?: string, extraArgs: readonly string[] = []): Promise<Rig> {
  const store = await createCrashStore('sqlite', dataDir === undefined ? {} : { dataDir });
  const tally = await startTally(store.target, extraArgs);
  const load = new Load(store, CLIENTS, 'trouble');
  load.setUrl(tally.url);
  load.start();
  await load.untilAcknowledged(100, 30_000);
  return { store, tally, load };
}

/** Waits until `count` more answers were 503 (counted, not timed), failing after `limitMs`. */
async function until503s(load: Load, count: number, limitMs: number): Promise<void> {
  const target = load.count('503/503') + count;
  const start = performance.now();
  while (load.count('503/503') < target) {
    if (performance.now() - start > limitMs) throw new Error(`only ${load.count('503/503')} of ${target} answers 503 within ${limitMs} ms (answers: ${JSON.stringify([...load.tally.answers])})`);
    await pause(20);
  }
}

/** After the trouble: 830 again from the same process, then 100 more; returns the ms to the first. */
async function assertRecovers(t: TestContext, rig: Rig, what: string): Promise<void> {
  const from = performance.now();
  await rig.load.untilAcknowledged(rig.load.tally.acknowledged.length + 1, RECOVERY_LIMIT_MS);
  t.diagnostic(`830 again ${Math.round(performance.now() - from)} ms after ${what}`);
  await rig.load.untilAcknowledged(rig.load.tally.acknowledged.length + 100, 30_000);
  assert.equal(rig.tally.child.exitCode, null, 'the same server process still runs');
  assert.equal(rig.tally.child.signalCode, null, 'the same server process still runs');
}

/** Stops load and server, then checks: only 830/503 answers, Retry-After on each 503, nothing lost or doubled. */
async function assertInvariant(t: TestContext, rig: Rig): Promise<void> {
  await rig.load.stop();
  await stopTally(rig.tally);
  const result = verdict(rig.load.tally.acknowledged, await storedMarkers(rig.store.open));
  t.diagnostic(`acknowledged ${result.acknowledged}, stored ${result.stored}, answers ${JSON.stringify([...rig.load.tally.answers])}`);
  assert.deepEqual([...rig.load.tally.answers.keys()].filter((k) => k !== '200/830' && k !== '503/503'), [], 'only 830 and 503 answers');
  assert.equal(rig.load.tally.missingRetryAfter, 0, 'every 503 carries Retry-After');
  assert.deepEqual(result.lost, [], 'every acknowledged report is stored');
  assert.deepEqual(result.duplicated, [], 'nothing is stored twice');
}

describe('SQLite database locked by another process past the busy timeout', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
  });
  after(async () => {
    await rig.load.stop();
    await stopTally(rig.tally);
    await rig.store.dispose();
  });

  it('answers 503 + Retry-After while the write lock is held, 830 again once it is released', async (t) => {
    // A second connection takes the write lock (as another program writing the file would) and keeps it.
    const locker = new Database(path.join(rig.store.target.dataDir, 'tally.db'), { timeout: 30_000 });
    try {
      locker.exec('BEGIN IMMEDIATE');
      const ackedAtLock = rig.load.tally.acknowledged.length;
      // Each group waits out the 5 s busy timeout, then fails whole: two groups' worth of 503s.
      await until503s(rig.load, 2 * CLIENTS, 60_000);
      const ackedWhileLocked = rig.load.tally.acknowledged.length - ackedAtLock;
      t.diagnostic(`while locked: ${ackedWhileLocked} acknowledgements (committed before the lock was taken)`);
      assert.ok(ackedWhileLocked <= CLIENTS, 'only requests committed before the lock may still be acknowledged');
      locker.exec('ROLLBACK');
    } finally {
      locker.close();
    }
    await assertRecovers(t, rig, 'the lock was released');
    await assertInvariant(t, rig);
  });
});

const NOT_ROOT = typeof process.getuid === 'function' && process.getuid() === 0 ? false : 'needs root to mount a size-limited tmpfs (CI runs as root)';

describe('disk full under the SQLite data dir', { skip: NOT_ROOT }, () => {
  const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-full-'));
  const filler = path.join(mountPoint, 'filler');
  let rig: Rig;

  before(async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', mountPoint]);
    // The free-disk floor off (--min-free-disk-mb 0): this is about SQLite itself hitting a full
    // disk, which the floor (test/http/disk-floor.test.ts) is there to prevent.
    rig = await startRig(path.join(mountPoint, 'data'), ['--min-free-disk-mb', '0']);
  });

  after(async () => {
    await rig?.load.stop();
    if (rig !== undefined) await stopTally(rig.tally);
    await rig?.store.dispose();
    execFileSync('umount', [mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  /** Appends to the filler file until the filesystem refuses: it is then full. */
  function fill(): void {
    const fd = fs.openSync(filler, 'a');
    const chunk = Buffer.alloc(16 * 1024, 1);
    try {
      for (;;) fs.writeSync(fd, chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    } finally {
      fs.closeSync(fd);
    }
  }

  it('answers 503 + Retry-After (never another 5xx, never a crash) while the disk is full, 830 again once space is freed', async (t) => {
    fill();
    const ackedAtFull = rig.load.tally.acknowledged.length;
    // The WAL may still have room for a few commits; keep the disk full until 100 requests were refused.
    const filling = setInterval(fill, 50);
    try {
      await until503s(rig.load, 100, 60_000);
    } finally {
      clearInterval(filling);
    }
    t.diagnostic(`disk full: ${rig.load.tally.acknowledged.length - ackedAtFull} acknowledged after filling (room left in the WAL), then 503s`);
    assert.equal(rig.tally.child.exitCode, null, 'the server did not crash');
    fs.rmSync(filler);
    await assertRecovers(t, rig, 'space was freed');
    await assertInvariant(t, rig);
  });
});
