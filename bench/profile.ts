/**
 * `--profile` support: records V8 CPU profiles through the inspector (the validation loop here, and
 * each server during its measured slices only, not its start-up) and prints where the time went: self time by function, self time by area
 * (our source files, each dependency, Node internals, GC), and inclusive time of our own functions.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The V8 sampling profiler of this process, through the inspector. */
export interface Profiler {
  start(): Promise<void>;
  /** Stops (if started), writes the profile to `file` and disconnects. */
  stopTo(file: string): Promise<void>;
}

export async function openProfiler(intervalUs = 200): Promise<Profiler> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  let started = false;
  return {
    start: async () => {
      if (started) return;
      started = true;
      await session.post('Profiler.start');
    },
    stopTo: async (file) => {
      if (started) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(file, JSON.stringify(profile));
      }
      session.disconnect();
    },
  };
}

/** Runs `fn` under the profiler and writes `<label>.cpuprofile` into `dir`. */
export async function profileAsync<T>(dir: string, label: string, fn: () => Promise<T>): Promise<T> {
  const profiler = await openProfiler();
  await profiler.start();
  try {
    return await fn();
  } finally {
    await profiler.stopTo(path.join(dir, `${label}.cpuprofile`));
  }
}

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** A short, stable place name: repo-relative file, `pkg` for dependencies, `node:x` for internals. */
function area(url: string, name: string): string {
  if (name === '(garbage collector)' || name === '(program)' || name === '(idle)') return name;
  if (url === '') return '(native / V8 builtins)';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? file);
  }
  if (file.startsWith('node:')) return file;
  return file.startsWith(REPO) ? path.relative(REPO, file) : file;
}

const keyOf = (f: CallFrame): string => `${f.functionName || '(anonymous)'}  ${area(f.url, f.functionName)}${f.url && !f.url.startsWith('node:') ? `:${f.lineNumber + 1}` : ''}`;

function analyse(p: CpuProfile) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i] as number);
    const dt = p.timeDeltas[i] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)' || dt <= 0) continue;
    total += dt;
    const f = node.callFrame;
    self.set(keyOf(f), (self.get(keyOf(f)) ?? 0) + dt);
    const a = area(f.url, f.functionName);
    areas.set(a, (areas.get(a) ?? 0) + dt);
    // Inclusive time of our own functions: count each once per sample, however deep it recurses.
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const cf = byId.get(id)?.callFrame;
      if (!cf || !cf.url.includes(`${REPO}/src/`)) continue;
      const k = keyOf(cf);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  return { total, self, areas, inclusive };
}

function top(map: Map<string, number>, total: number, n: number, indent = '     '): string {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${indent}${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
}

/** Prints a summary of every `.cpuprofile` in `dir` (shares are of non-idle CPU time). */
export function printProfiles(dir: string): void {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    const { total, self, areas, inclusive } = analyse(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile);
    console.log(`\nProfile ${file}: ${(total / 1e6).toFixed(1)} s of CPU (idle excluded)`);
    console.log(`   self time by area:\n${top(areas, total, 12)}`);
    console.log(`   self time by function:\n${top(self, total, 25)}`);
    console.log(`   inclusive time of src/ functions:\n${top(inclusive, total, 25)}`);
  }
}
