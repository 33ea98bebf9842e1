/**
 * No import loops in src/ (issue 16: the REST and consumer doors' plugins and routes imported each
 * other back). Type-only imports count (test/support/import-graph.ts says why): a route module
 * takes its dependencies' type from a small deps file, never from the plugin that registers it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, importGraph, importsOf } from '../support/import-graph.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

describe('imports in src/', () => {
  it('form no loop, type-only imports included', () => {
    const graph = importGraph(SRC);
    expect(graph.size).toBeGreaterThan(100);
    expect(findCycles(graph).map((loop) => loop.join(' → '))).toEqual([]);
  });

  it('are all seen: type-only, side-effect, re-exports, import() calls and import() types', () => {
    const text = [
      "import type { A } from './a.js';",
      "import { type B, c } from './b.js';",
      "import './side-effect.js';",
      "export * from './re-export.js';",
      "export type { D } from './type-re-export.js';",
      "const lazy = () => import('./lazy.js');",
      "type E = import('./import-type.js').E;",
      "import fs from 'node:fs';",
    ].join('\n');
    expect(importsOf('x.ts', text)).toEqual(['./a.js', './b.js', './side-effect.js', './re-export.js', './type-re-export.js', './lazy.js', './import-type.js', 'node:fs']);
  });

  it('are reported as the shortest loop of each tangle', () => {
    const graph = new Map([
      ['plugin.ts', ['routes/a.ts', 'routes/b.ts']],
      ['routes/a.ts', ['plugin.ts']],
      ['routes/b.ts', ['deps.ts']],
      ['deps.ts', []],
      ['ports.ts', ['ports-peek.ts']],
      ['ports-peek.ts', ['ports.ts']],
      ['self.ts', ['self.ts']],
    ]);
    expect(findCycles(graph)).toEqual([
      ['plugin.ts', 'routes/a.ts', 'plugin.ts'],
      ['ports-peek.ts', 'ports.ts', 'ports-peek.ts'],
      ['self.ts', 'self.ts'],
    ]);
  });
});
