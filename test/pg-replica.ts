import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { TEST_DATABASE_URL, withClient } from './postgres-helpers.js';

const run = promisify(execFile);

/** Settings a hot standby must have at least as high as its primary, or it refuses to start. */
const AT_LEAST_PRIMARY = ['max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction'];

/**
 * A streaming replica (hot standby) of the test PostgreSQL server, made with `pg_basebackup -R`
 * in a temporary directory and run by `pg_ctl` on a free port. The primary must allow replication
 * connections from 127.0.0.1 (CI's `.ci/run` adds the pg_hba.conf entry). Run as root, the
 * PostgreSQL programs run as the `postgres` OS user.
 */
export interface StreamingReplica {
  /** The replica's URL: the primary's URL with the replica's port. */
  url: string;
  /** Stops the server; `immediate` is a crash, as when a replica dies. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again and waits until it answers queries. */
  start(): Promise<void>;
  /** Stops replaying WAL (it keeps receiving and answering): what the replica shows stays as it is. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Stops the server and deletes its directory; safe to call twice. */
  remove(): Promise<void>;
}

/** Makes a replica of `primaryUrl`'s server and starts it (a few seconds); throws saying why it cannot. */
export async function makeStreamingReplica(primaryUrl: string = TEST_DATABASE_URL): Promise<StreamingReplica> {
  const binDir = await postgresBinDir();
  const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-replica-'));
  const dataDir = path.join(dir, 'data');
  if (asPostgres.length > 0) fs.chownSync(dir, postgresUid(), postgresUid());
  const pgProgram = async (program: string, args: string[]): Promise<void> => {
    const [command, ...rest] = [...asPostgres, path.join(binDir, program), ...args];
    await run(command ?? '', rest, { timeout: 120_000 });
  };
  const removeNow = (): void => {
    if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
      const [command, ...args] = [...asPostgres, path.join(binDir, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', '-w', 'stop'];
      spawnSync(command ?? '', args, { stdio: 'ignore' });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A test process that dies leaves no server running and no directory behind.
  process.once('exit', removeNow);
  try {
    const primary = new URL(primaryUrl);
    await pgProgram('pg_basebackup', ['-h', primary.hostname, '-p', primary.port || '5432', '-U', decodeURIComponent(primary.username || 'postgres'), '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast']);
    await writeStandbyConfig(dataDir, primaryUrl, asPostgres.length > 0);
    const port = await freePort();
    const replicaUrl = new URL(primaryUrl);
    replicaUrl.hostname = '127.0.0.1';
    replicaUrl.port = String(port);
    const url = replicaUrl.toString();
    const start = async (): Promise<void> => {
      await pgProgram('pg_ctl', ['-D', dataDir, '-o', `-p ${port} -k ${dir}`, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
      await untilAnswering(url);
    };
    const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => pgProgram('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
    await start();
    let removed = false;
    return {
      url,
      start,
      stop,
      pauseReplay: () => withClient(async (client) => void (await client.query('SELECT pg_wal_replay_pause()')), url),
      resumeReplay: () => withClient(async (client) => void (await client.query('SELECT pg_wal_replay_resume()')), url),
      async remove() {
        if (removed) return;
        removed = true;
        process.removeListener('exit', removeNow);
        removeNow();
      },
    };
  } catch (error) {
    process.removeListener('exit', removeNow);
    const log = fs.existsSync(path.join(dir, 'server.log')) ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-1000) : '';
    removeNow();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot make a streaming replica of the test PostgreSQL: ${message}${log === '' ? '' : `\nreplica log:\n${log}`}`, { cause: error });
  }
}

/** `pg_config --bindir`, else Debian's PostgreSQL 15. */
async function postgresBinDir(): Promise<string> {
  try {
    return (await run('pg_config', ['--bindir'])).stdout.trim();
  } catch {
    return '/usr/lib/postgresql/15/bin';
  }
}

function postgresUid(): number {
  return Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
}

/**
 * The standby's own configuration: pg_basebackup copies the data directory only (Debian keeps
 * postgresql.conf and pg_hba.conf in /etc), and `-R` has written standby.signal and primary_conninfo.
 */
async function writeStandbyConfig(dataDir: string, primaryUrl: string, chown: boolean): Promise<void> {
  const settings = await withClient(async (client) => {
    const lines: string[] = [];
    for (const name of AT_LEAST_PRIMARY) {
      const { rows } = await client.query<{ value: string }>('SELECT setting AS value FROM pg_settings WHERE name = $1', [name]);
      if (rows[0] !== undefined) lines.push(`${name} = ${rows[0].value}`);
    }
    return lines;
  }, primaryUrl);
  const files: Record<string, string> = {
    'postgresql.conf': ["listen_addresses = '127.0.0.1'", 'hot_standby = on', 'fsync = off', ...settings, ''].join('\n'),
    'pg_hba.conf': 'local all all trust\nhost all all 127.0.0.1/32 trust\n',
    'pg_ident.conf': '',
  };
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dataDir, name);
    fs.writeFileSync(file, text);
    if (chown) fs.chownSync(file, postgresUid(), postgresUid());
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until the replica answers a query over TCP (it accepts them once its recovery is consistent). */
async function untilAnswering(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT pg_is_in_recovery()');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
