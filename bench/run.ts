/**
 * `npm run bench` launcher. The figures must describe the code `npm start` runs, which is plain
 * tsc output under plain node, not tsx: tsx compiles with esbuild's `keepNames`, which wraps every
 * function and closure created at run time in a `__name(fn, "…")` call (Object.defineProperty),
 * and that costs ~10% of a KS validation (measured with `--profile`). So this compiles src/ and
 * bench/ with tsc into a temporary directory outside the repository and runs bench/main.js there.
 *
 *   npm run bench                      the recorded figures
 *   npm run bench -- --quick           short windows, to try the bench itself
 *   npm run bench -- --profile         also CPU-profile the validation loop and both servers
 *   npm run bench -- --source          run the TypeScript sources through tsx instead (no build)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.dirname(BENCH_DIR);

const args = process.argv.slice(2);
const fromSource = args.includes('--source');
const passOn = args.filter((a) => a !== '--source');

let outDir: string | undefined;
let entry: string[];
if (fromSource) {
  entry = ['--import', 'tsx', path.join(BENCH_DIR, 'main.ts')];
} else {
  outDir = mkdtempSync(path.join(tmpdir(), 'gh-bench-build-'));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  process.stdout.write('Building src/ and bench/ with tsc into a temporary directory… ');
  const built = spawnSync(process.execPath, [tsc, '-p', path.join(BENCH_DIR, 'tsconfig.build.json'), '--outDir', outDir], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (built.status !== 0) {
    // tsc still emits on type errors; a colleague's half-done change should not block the bench, but say so.
    process.stdout.write(`\n${built.stdout}${built.stderr}\nWARNING: tsc reported errors; measuring the JavaScript it emitted anyway.\n`);
  } else process.stdout.write('done.\n');
  // The compiled files are ES modules and resolve their dependencies from the repository's node_modules.
  writeFileSync(path.join(outDir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  entry = [path.join(outDir, 'bench', 'main.js')];
}

const child = spawn(process.execPath, [...entry, ...passOn], { cwd: REPO_ROOT, stdio: 'inherit' });
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
  process.exitCode = code ?? (signal ? 1 : 0);
});
