/**
 * `npm run docs:config`: rewrites the configuration table between `<!-- config:start -->` and
 * `<!-- config:end -->` in README.md from the config schema. Only that region changes; a README
 * without one is created with just a title and the markers.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { README_SKELETON, renderConfigTable, replaceConfigRegion } from '../src/config/docs.js';

const readmePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
const before = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : README_SKELETON;
const after = replaceConfigRegion(before, renderConfigTable());
if (after !== before || !existsSync(readmePath)) {
  writeFileSync(readmePath, after);
  console.log(`config table written to ${path.relative(process.cwd(), readmePath) || readmePath}`);
} else {
  console.log('config table already up to date');
}
