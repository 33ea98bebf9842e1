/**
 * The server under test: a real Gatehouse on a fresh SQLite file in a temporary directory, built as
 * main.ts builds it (loadConfig, openStore, createGatehouse with the production pino logger at
 * GATEHOUSE_LOG_LEVEL=silent). Prints `{"port":N}` once listening; the parent mints its KS over HTTP.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { createGatehouse } from '../src/gatehouse.js';
import { openStore } from '../src/store/index.js';
import { BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD } from './provision.js';
import { serveUntilSignalled } from './serve-child.js';

// `delivery` (bench/delivery.ts): the loopback load generator stands for the proxy in front of
// /authz/delivery, so it is trusted for X-Forwarded-For as a forward-auth deployment's proxy is.
const delivery = process.argv[2] === 'delivery';
const dir = mkdtempSync(path.join(tmpdir(), 'gh-bench-http-'));
const config = loadConfig({
  env: {
    GATEHOUSE_DATA_DIR: dir,
    GATEHOUSE_ADMIN_EMAIL: BENCH_ADMIN_EMAIL,
    GATEHOUSE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    GATEHOUSE_LOG_LEVEL: 'silent',
    ...(delivery ? { GATEHOUSE_TRUSTED_PROXIES: '127.0.0.1' } : {}),
  },
});
const store = openStore({ sqlitePath: path.join(dir, 'gatehouse.sqlite') });
// A random master key in memory: main.ts would generate one into the data directory with a warning.
const gh = await createGatehouse({ config, store, masterKey: randomBytes(32) });

await serveUntilSignalled(gh.app, async () => {
  await gh.close(); // closes the Fastify app too
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
