/**
 * The real process: `src/main.ts` and the `gatehouse` CLI as an operator runs them (SQLite default).
 * Start-up validation, the first-start password printed once, restarts that change nothing,
 * graceful SIGTERM and `gatehouse migrate`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'gh-process-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Running {
  port: number;
  stderr: () => string;
  stdout: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

async function start(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_PORT: String(port), GATEHOUSE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    stderr: () => err,
    stdout: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

describe('gatehouse process', () => {
  it('refuses a bad value at start-up, naming the variable', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: { ...process.env, GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_PORT: '99999' }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('GATEHOUSE_PORT');
  }, 40_000);

  it('first start prints the generated operator password once; a restart changes nothing; SIGTERM exits 0', async () => {
    const first = await start({ GATEHOUSE_ADMIN_EMAIL: 'ops@example.org' });
    const match = /password: (\S+)/.exec(first.stderr());
    expect(match).not.toBeNull();
    const password = match![1]!;
    // The password reaches the terminal only, never the JSON log stream.
    expect(first.stdout()).not.toContain(password);
    const login = async (port: number) =>
      (await fetch(`http://127.0.0.1:${port}/api_v3/service/user/action/loginByLoginId`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ loginId: 'ops@example.org', password, partnerId: '-2', format: '1' }),
      }).then((r) => r.json())) as unknown;
    expect(typeof (await login(first.port))).toBe('string');
    expect(await first.stop()).toBe(0);
    expect(first.stdout()).toContain('shutting down');

    const second = await start({ GATEHOUSE_ADMIN_EMAIL: 'ops@example.org' });
    expect(second.stderr()).not.toContain('password:');
    expect(typeof (await login(second.port))).toBe('string');
    expect(await second.stop()).toBe(0);
  }, 90_000);

  it('`gatehouse migrate` applies migrations and reports an up-to-date database', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gh-migrate-'));
    try {
      const run = () => spawnSync(process.execPath, ['bin/gatehouse.mjs', 'migrate'], { cwd: root, env: { ...process.env, GATEHOUSE_DATA_DIR: dir }, encoding: 'utf8', timeout: 30_000 });
      const a = run();
      expect(a.status).toBe(0);
      expect(a.stdout).toContain('applied: 0001-initial');
      const b = run();
      expect(b.status).toBe(0);
      expect(b.stdout).toContain('up to date');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
