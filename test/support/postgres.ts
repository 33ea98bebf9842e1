/**
 * A throwaway PostgreSQL server for tests: initdb into a temp directory, start on a free loopback
 * port with durability off (tests never need crash safety), trust auth on loopback only, and
 * remove everything on stop. As root, PostgreSQL refuses to run, so the server runs as the
 * `postgres` OS user via `runuser`; if that user does not exist we create nothing and fail.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, chmodSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  /** Connection URL of database `dbName` as the superuser `postgres`. */
  url(dbName: string): string;
  /** Creates database `name` (lowercase letters, digits, `_`) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and removes its temp directory. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Shuts the server down but keeps its data (fault tests): `fast` ends every session with
   * "terminating connection due to administrator command", as a restart does; `immediate` is a crash.
   */
  halt(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts a halted server again on the same port and data; resolves once it accepts connections. */
  resume(): Promise<void>;
  readonly port: number;
  /** The temp directory (data directory, socket, server log). */
  readonly dir: string;
}

interface Binaries {
  initdb: string;
  pgCtl: string;
}

const SUPERUSER = 'postgres';
const OS_USER = 'postgres';

function versionOf(dir: string): number {
  return Number.parseFloat(path.basename(path.dirname(dir))) || 0;
}

/** initdb and pg_ctl: the highest `/usr/lib/postgresql/<v>/bin`, else the PATH. */
export function findPostgresBinaries(): Binaries | undefined {
  const root = '/usr/lib/postgresql';
  const candidates = existsSync(root)
    ? readdirSync(root).map((v) => path.join(root, v, 'bin')).sort((a, b) => versionOf(b) - versionOf(a))
    : [];
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  for (const dir of candidates) {
    const initdb = path.join(dir, 'initdb');
    const pgCtl = path.join(dir, 'pg_ctl');
    if (existsSync(initdb) && existsSync(pgCtl)) return { initdb, pgCtl };
  }
  return undefined;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** uid/gid of the `postgres` OS user, from `id` (no user database parsing of our own). */
function osUser(): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', OS_USER], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', OS_USER], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Why a test PostgreSQL cannot be started here, or `undefined` when it can. */
export function postgresUnavailableReason(): string | undefined {
  if (findPostgresBinaries() === undefined) {
    return 'PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin or on the PATH; install the "postgresql" package';
  }
  if (isRoot()) {
    if (osUser() === undefined) {
      return `we run as root and PostgreSQL refuses to run as root, yet no "${OS_USER}" OS user exists to run it as; install the "postgresql" package (it creates the user)`;
    }
    if (spawnSync('runuser', ['--help'], { stdio: 'ignore' }).status !== 0) {
      return 'running as root but "runuser" (util-linux) is missing, so PostgreSQL cannot be started as the postgres user';
    }
  }
  return undefined;
}

/** Whether `startPostgres()` can work on this machine. */
export function postgresAvailable(): boolean {
  return postgresUnavailableReason() === undefined;
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
function run(bin: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<string> {
  const [file, argv] = isRoot() ? ['runuser', ['-u', OS_USER, '--', bin, ...args]] : [bin, args];
  return new Promise((resolve, reject) => {
    execFile(file, argv, { cwd, timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(bin)} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** A port nobody listens on right now (the kernel picks it; there is a small race, hence retries). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAccepting(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within ${timeoutMs} ms: ${(err as Error).message}`, { cause: err });
      // Polling a process we do not control; there is no event to wait for.
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

const DB_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Builds the URL of `dbName` on a server reachable at `base` (any URL of that server). */
export function databaseUrl(base: string, dbName: string): string {
  const url = new URL(base);
  url.pathname = `/${encodeURIComponent(dbName)}`;
  return url.toString();
}

/** Creates database `name` on the server of `baseUrl` (connecting to its `postgres` database). */
export async function createDatabaseOn(baseUrl: string, name: string): Promise<string> {
  if (!DB_NAME.test(name)) throw new Error(`invalid test database name ${JSON.stringify(name)}: use [a-z0-9_], at most 63 characters`);
  const client = new pg.Client({ connectionString: databaseUrl(baseUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  return databaseUrl(baseUrl, name);
}

/** Starts a fresh PostgreSQL. Throws with the reason (and the server log) when it cannot. */
export async function startPostgres(opts: { startTimeoutMs?: number } = {}): Promise<PostgresServer> {
  const reason = postgresUnavailableReason();
  if (reason !== undefined) throw new Error(`cannot start a test PostgreSQL: ${reason}`);
  const bins = findPostgresBinaries() as Binaries;
  const timeoutMs = opts.startTimeoutMs ?? 60_000;

  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  let started = false;
  const stopSync = (): void => {
    if (started) {
      started = false;
      const pidFile = path.join(dataDir, 'postmaster.pid');
      const pid = existsSync(pidFile) ? Number.parseInt(readFileSync(pidFile, 'utf8'), 10) : NaN;
      const args = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
      const result = isRoot() ? spawnSync('runuser', ['-u', OS_USER, '--', bins.pgCtl, ...args], { cwd: dir, stdio: 'ignore' }) : spawnSync(bins.pgCtl, args, { cwd: dir, stdio: 'ignore' });
      // Last resort for the postmaster we started: SIGQUIT is PostgreSQL's immediate shutdown.
      if (result.status !== 0 && Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid, 'SIGQUIT');
        } catch {
          // already gone
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Best effort for runs that end without calling stop() (Ctrl-C, a crashed global setup).
  process.once('exit', stopSync);

  try {
    if (isRoot()) {
      const user = osUser() as { uid: number; gid: number };
      chownSync(dir, user.uid, user.gid);
    }
    chmodSync(dir, 0o700);
    await run(bins.initdb, ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], dir);

    let port = 0;
    let serverOpts = '';
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      // Durability off: the data is thrown away after the run. Loopback TCP and a private socket dir only.
      serverOpts = `-p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -k '${dir}'`;
      try {
        await run(bins.pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', String(Math.ceil(timeoutMs / 1000)), '-o', serverOpts, 'start'], dir, timeoutMs + 5_000);
        started = true;
        break;
      } catch (err) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
        if (attempt < 3 && /could not bind|address already in use/i.test(log)) continue;
        throw new Error(`${(err as Error).message}\nserver log:\n${log.slice(-4000)}`, { cause: err });
      }
    }

    const url = (dbName: string): string => `postgres://${SUPERUSER}@127.0.0.1:${port}/${encodeURIComponent(dbName)}`;
    await waitUntilAccepting(url('postgres'), timeoutMs);

    let stopped = false;
    return {
      port,
      dir,
      url,
      createDatabase: (name) => createDatabaseOn(url('postgres'), name),
      async halt(mode = 'fast') {
        await run(bins.pgCtl, ['-D', dataDir, '-m', mode, '-w', 'stop'], dir, 30_000);
        started = false;
      },
      async resume() {
        await run(bins.pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', String(Math.ceil(timeoutMs / 1000)), '-o', serverOpts, 'start'], dir, timeoutMs + 5_000);
        started = true;
        await waitUntilAccepting(url('postgres'), timeoutMs);
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          // Not running when halted (and not resumed).
          if (started) await run(bins.pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], dir, 30_000);
          started = false;
        } finally {
          process.removeListener('exit', stopSync);
          stopSync();
        }
      },
    };
  } catch (err) {
    process.removeListener('exit', stopSync);
    stopSync();
    throw err;
  }
}
