/**
 * The README's configuration table, rendered from the schema (like node-oidc-provider's docs from
 * `defaults.js`), so the documentation cannot drift from what the loader accepts.
 */
import { describeConfig } from './load.js';
import type { ConfigDoc } from './load.js';

export const CONFIG_START_MARKER = '<!-- config:start -->';
export const CONFIG_END_MARKER = '<!-- config:end -->';

/** Makes text safe inside one markdown table cell. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/**
 * The markdown for the README region: one line on precedence, then the table of every setting
 * (no trailing newline).
 */
export function renderConfigTable(rows: readonly ConfigDoc[] = describeConfig()): string {
  const lines = [
    'Precedence: built-in defaults < config file < `GATEHOUSE_*` environment variables < command-line flags. ' +
      'Empty environment variables count as unset. Invalid values stop the server at start-up with a message naming the variable.',
    '',
    '| Variable | Config key | Expected | Default | Description |',
    '|---|---|---|---|---|',
    ...rows.map((r) => {
      const description = r.secret ? `${r.description} **Secret:** never logged or echoed in errors.` : r.description;
      return `| \`${r.env}\` | \`${r.key}\` | ${cell(r.type)} | ${r.defaultIsValue ? `\`${r.default}\`` : cell(r.default)} | ${cell(description)} |`;
    }),
  ];
  return lines.join('\n');
}

/** The text of the region between the markers, or `undefined` when the markers are missing. */
export function extractConfigRegion(readme: string): string | undefined {
  const start = readme.indexOf(CONFIG_START_MARKER);
  const end = readme.indexOf(CONFIG_END_MARKER);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + CONFIG_START_MARKER.length, end).trim();
}

/** Replaces the region between the markers with `table`, leaving the rest of the README untouched. */
export function replaceConfigRegion(readme: string, table: string = renderConfigTable()): string {
  const start = readme.indexOf(CONFIG_START_MARKER);
  const end = readme.indexOf(CONFIG_END_MARKER);
  if (start < 0 || end < start) {
    throw new Error(`README has no ${CONFIG_START_MARKER} … ${CONFIG_END_MARKER} region to fill`);
  }
  return `${readme.slice(0, start + CONFIG_START_MARKER.length)}\n${table}\n${readme.slice(end)}`;
}

/** A README for a repository that has none yet: a title and the empty region. */
export const README_SKELETON = `# Gatehouse\n\n${CONFIG_START_MARKER}\n${CONFIG_END_MARKER}\n`;
