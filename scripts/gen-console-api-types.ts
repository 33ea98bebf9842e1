/**
 * `npm run gen:api-types`: rewrites console/src/api/openapi.gen.ts from the OpenAPI document the
 * REST door serves (scripts/console-api-types.ts). Run it after changing a REST route's schema.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONSOLE_API_TYPES_FILE, renderConsoleApiTypes } from './console-api-types.js';

const after = await renderConsoleApiTypes();
const before = existsSync(CONSOLE_API_TYPES_FILE) ? readFileSync(CONSOLE_API_TYPES_FILE, 'utf8') : null;
const name = path.relative(process.cwd(), CONSOLE_API_TYPES_FILE) || CONSOLE_API_TYPES_FILE;
if (after !== before) {
  writeFileSync(CONSOLE_API_TYPES_FILE, after);
  console.log(`console API types written to ${name}`);
} else {
  console.log(`${name} already up to date`);
}
