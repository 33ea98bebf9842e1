/**
 * Gatehouse nodes as separate processes (`node --import tsx src/main.ts`) on one PostgreSQL
 * database: what a multi-node installation runs, for the suites about what crosses nodes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './gatehouse.js';

const root = path.resolve(import.meta.dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Node {
  name: string;
  url: string;
  child: ChildProcess;
  /** Set when the process exits: it never may before the test stops it. */
  exit: { code: number | null; signal: string | null } | undefined;
  out: () => string;
  dir: string;
}

export async function startNode(name: string, databaseUrl: string, masterKey: string, env: Record<string, string> = {}): Promise<Node> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), `gh-node-${name}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      GATEHOUSE_DATA_DIR: dir,
      GATEHOUSE_PORT: String(port),
      GATEHOUSE_DATABASE_URL: databaseUrl,
      GATEHOUSE_MASTER_KEY: masterKey,
      // The operator the support helpers sign in as (registerPartner).
      GATEHOUSE_ADMIN_EMAIL: ADMIN_EMAIL,
      GATEHOUSE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      GATEHOUSE_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const node: Node = { name, url: `http://127.0.0.1:${port}`, child, exit: undefined, out: () => out, dir };
  child.on('exit', (code, signal) => (node.exit = { code, signal }));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (node.exit) throw new Error(`node ${name} exited at start: ${out}`);
    if (Date.now() > deadline) throw new Error(`node ${name} not ready within 30 s: ${out}`);
    const ready = await fetch(`${node.url}/readyz`).then((r) => r.ok, () => false);
    if (ready) return node;
    // Polling a process we do not control; there is no event to wait for.
    await new Promise((r) => setTimeout(r, 100));
  }
}

