#!/usr/bin/env node
// Runs the compiled CLI when present (npm start builds it), else the TypeScript sources through tsx,
// so `npx gatehouse` works in a fresh checkout.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const compiled = path.join(root, 'dist/src/cli/index.js');
let mod;
if (existsSync(compiled)) {
  mod = await import(pathToFileURL(compiled).href);
} else {
  const { tsImport } = await import('tsx/esm/api');
  mod = await tsImport(pathToFileURL(path.join(root, 'src/cli/index.ts')).href, import.meta.url);
}
await mod.runCli(process.argv);
