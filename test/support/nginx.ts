/**
 * A throwaway nginx for end-to-end tests of forward-auth: a generated config in a temp directory
 * (pid, logs and temp paths all inside it), a free loopback port, started in the foreground as our
 * child (`-p <dir> -c <conf> -g 'daemon off;'`) and stopped with SIGQUIT then SIGKILL. Nothing is
 * written outside the temp directory, so it runs beside a system nginx without touching it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface NginxServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly dir: string;
  /** The error log so far (for failure messages). */
  errorLog(): string;
  stop(): Promise<void>;
}

/** The nginx binary: `/usr/sbin/nginx` (Debian's, not on a non-root PATH), else the PATH. */
export function findNginx(): string | undefined {
  const candidates = ['/usr/sbin/nginx', ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, 'nginx'))];
  return candidates.find((c) => existsSync(c));
}

/** Why nginx cannot be started here, or undefined when it can. */
export function nginxUnavailableReason(): string | undefined {
  const bin = findNginx();
  if (bin === undefined) return 'nginx was not found at /usr/sbin/nginx or on the PATH; install the Debian "nginx" package (.ci/run does)';
  const v = spawnSync(bin, ['-V'], { encoding: 'utf8' });
  if (v.status !== 0) return `${bin} -V failed: ${v.stderr}`;
  if (!`${v.stdout}${v.stderr}`.includes('http_auth_request_module')) return `${bin} was built without the auth_request module`;
  return undefined;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

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

/**
 * The `http {}` body: temp paths inside `dir` (Debian's defaults under /var/lib/nginx need root),
 * plus the caller's server blocks, which see `$PORT` replaced by the chosen port.
 */
function config(dir: string, port: number, servers: string): string {
  // As root, nginx would switch its workers to `nobody`, who cannot read our 0700 temp directory.
  const user = isRoot() ? 'user root;\n' : '';
  const temp = (name: string) => path.join(dir, 'tmp', name);
  return `${user}worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} info;
events { worker_connections 128; }
http {
  access_log ${path.join(dir, 'access.log')};
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  default_type application/octet-stream;
${servers.replaceAll('$PORT', String(port))}
}
`;
}

async function waitUntilServing(url: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}) while starting:\n${log()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not answer within ${timeoutMs} ms:\n${log()}`);
      // Polling a process we do not control; there is no event to wait for.
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Starts nginx with `servers` (one or more `server {}` blocks; write `listen 127.0.0.1:$PORT;`).
 * Throws with the reason or the error log when it cannot.
 */
export async function startNginx(servers: string, opts: { startTimeoutMs?: number } = {}): Promise<NginxServer> {
  const reason = nginxUnavailableReason();
  if (reason !== undefined) throw new Error(`cannot start a test nginx: ${reason}`);
  const bin = findNginx() as string;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-nginx-'));
  mkdirSync(path.join(dir, 'tmp'));
  const errorFile = path.join(dir, 'error.log');
  const errorLog = () => (existsSync(errorFile) ? readFileSync(errorFile, 'utf8').slice(-4000) : '');

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const conf = path.join(dir, 'nginx.conf');
    writeFileSync(conf, config(dir, port, servers));
    // -e: the log nginx writes before it has read the config (Debian's default is stderr).
    const child = spawn(bin, ['-p', dir, '-e', errorFile, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    const kill = () => child.kill('SIGKILL');
    // Best effort for runs that end without calling stop().
    process.once('exit', kill);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntilServing(url, child, () => `${stderr}${errorLog()}`, opts.startTimeoutMs ?? 15_000);
    } catch (err) {
      process.removeListener('exit', kill);
      if (child.exitCode === null) child.kill('SIGKILL');
      if (attempt < 3 && /Address already in use/.test(`${stderr}${errorLog()}`)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    let stopped = false;
    return {
      url,
      dir,
      errorLog,
      async stop() {
        if (stopped) return;
        stopped = true;
        process.removeListener('exit', kill);
        if (child.exitCode === null && child.signalCode === null) {
          const exited = once(child, 'exit');
          child.kill('SIGQUIT'); // graceful: finish open requests, then exit
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
