import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA } from '../../src/config/index.js';
import { CONFIG_END_MARKER, CONFIG_START_MARKER, extractConfigRegion, renderConfigTable, replaceConfigRegion } from '../../src/config/docs.js';

describe('README configuration table', () => {
  it('matches the schema (run `npm run docs:config` after changing src/config/schema.ts)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(extractConfigRegion(readme)).toBe(renderConfigTable());
  });

  it('lists every variable once', () => {
    const table = renderConfigTable();
    for (const entry of CONFIG_SCHEMA) expect(table.split(`\`${entry.env}\``)).toHaveLength(2);
  });

  it('replaces only the marked region', () => {
    const readme = `# T\n\nintro\n${CONFIG_START_MARKER}\nold | table\n${CONFIG_END_MARKER}\n\n## After\n`;
    const out = replaceConfigRegion(readme, 'NEW');
    expect(out).toBe(`# T\n\nintro\n${CONFIG_START_MARKER}\nNEW\n${CONFIG_END_MARKER}\n\n## After\n`);
    expect(replaceConfigRegion(out, 'NEW')).toBe(out);
    expect(() => replaceConfigRegion('# no markers', 'NEW')).toThrow(/config:start/);
  });

  it('escapes pipes inside cells', () => {
    const table = renderConfigTable([{ key: 'k', env: 'GATEHOUSE_K', type: 'a|b', default: 'x', defaultIsValue: true, description: 'one\ntwo', secret: false }]);
    expect(table).toContain('a\\|b');
    expect(table).toContain('one two');
  });
});
