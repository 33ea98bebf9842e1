/**
 * Runs the real `gatehouse` binary (`node bin/gatehouse.mjs …`) as an operator would. Always
 * asynchronous: the server under test runs in this same process, so a synchronous spawn would
 * block the event loop that has to answer the CLI.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/gatehouse.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON. */
  json: () => any;
}

/** The environment of a CLI run: no KALTURA_* or GATEHOUSE_* from the outer shell, and a throw-away HOME. */
export function cliEnv(vars: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('KALTURA_') && !k.startsWith('GATEHOUSE_')) env[k] = v;
  }
  env.HOME = mkdtempSync(path.join(tmpdir(), 'gh-cli-home-'));
  // Test the sources, even when a build left a (possibly stale) dist/ behind.
  env.GATEHOUSE_CLI_FROM_SOURCE = '1';
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) env[k] = v;
  return env;
}

export function gatehouse(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, env, timeout: 30_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      if (code === null) return reject(err);
      resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
    });
  });
}
