#!/usr/bin/env node
// Runs the compiled CLI when present (npm start builds it), else the TypeScript sources through tsx,
// so `npx gatehouse` works in a fresh checkout. GATEHOUSE_CLI_FROM_SOURCE=1 always runs the sources
// (the CLI tests set it, so a stale dist/ from an earlier build cannot hide the code under test).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const compiled = path.join(root, 'dist/src/cli/index.js');
let mod;
if (existsSync(compiled) && !process.env.GATEHOUSE_CLI_FROM_SOURCE) {
  mod = await import(pathToFileURL(compiled).href);
} else {
  const { tsImport } = await import('tsx/esm/api');
  mod = await tsImport(pathToFileURL(path.join(root, 'src/cli/index.ts')).href, import.meta.url);
}
await mod.runCli(process.argv);
