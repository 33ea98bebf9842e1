/**
 * Starts a real Gatehouse for a suite: a fresh SQLite file or a fresh PostgreSQL database, a real
 * HTTP socket on loopback (the official client needs a URL), and a settable clock.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import kaltura from 'kaltura-client';
import type { Logger } from 'pino';
import { loadConfig } from '../../src/config/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { createGatehouse, type Gatehouse } from '../../src/gatehouse.js';
import { openStore, type Store } from '../../src/store/index.js';
import { freshDatabaseUrl } from './dialects.js';

export type Dialect = 'sqlite' | 'postgres';

export const ADMIN_EMAIL = 'operator@gatehouse.test';
export const ADMIN_PASSWORD = 'operator-Password-1';

export interface TestGatehouse {
  url: string;
  gh: Gatehouse;
  store: Store;
  clock: ManualClock;
  masterKey: Buffer;
  databaseUrl: string | undefined;
  sqlitePath: string | undefined;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse an existing database (a second node on the same data). */
  share?: TestGatehouse;
  syncIntervalMs?: number;
  /** A pino logger to capture the server's log lines (default: no logging). */
  logger?: Logger;
}

export async function startGatehouse(dialect: Dialect, label: string, opts: StartOptions = {}): Promise<TestGatehouse> {
  const dir = mkdtempSync(path.join(tmpdir(), `gh-${label}-`));
  const databaseUrl = opts.share ? opts.share.databaseUrl : dialect === 'postgres' ? await freshDatabaseUrl(label) : undefined;
  const sqlitePath = opts.share ? opts.share.sqlitePath : dialect === 'sqlite' ? path.join(dir, 'gatehouse.sqlite') : undefined;
  const config = loadConfig({
    env: {
      GATEHOUSE_DATA_DIR: dir,
      GATEHOUSE_ADMIN_EMAIL: ADMIN_EMAIL,
      GATEHOUSE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      GATEHOUSE_LOG_LEVEL: 'silent',
      ...(databaseUrl ? { GATEHOUSE_DATABASE_URL: databaseUrl } : {}),
      ...opts.env,
    },
  });
  const store = openStore({ databaseUrl, ...(sqlitePath ? { sqlitePath } : {}) });
  const clock = opts.share?.clock ?? new ManualClock(Date.now());
  const masterKey = opts.share?.masterKey ?? randomBytes(32);
  const gh = await createGatehouse({ config, store, masterKey, clock, logger: opts.logger ?? false, syncIntervalMs: opts.syncIntervalMs ?? 100 });
  const address = await gh.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    gh,
    store,
    clock,
    masterKey,
    databaseUrl,
    sqlitePath,
    close: async () => {
      await gh.close();
      await store.close();
      if (!opts.share) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { kaltura };

/** A fresh official client pointed at the test server. */
export function client(t: TestGatehouse, ks?: string): any {
  const config = new kaltura.Configuration();
  config.serviceUrl = t.url;
  const c = new kaltura.Client(config);
  if (ks) c.setKs(ks);
  return c;
}

/** Runs a request builder; resolves with the result or rejects with the KalturaAPIException object. */
export function run<T = any>(c: any, request: any): Promise<T> {
  return request.execute(c);
}

/** Runs a request that must fail; resolves with the exception object. */
export async function failure(c: any, request: any): Promise<{ code: string; message: string; args: Record<string, string> | [] }> {
  try {
    const r = await request.execute(c);
    throw new Error(`expected a KalturaAPIException, got ${JSON.stringify(r)}`);
  } catch (e) {
    const ex = e as { code?: string; objectType?: string };
    if (ex && ex.objectType === 'KalturaAPIException') return e as never;
    throw e;
  }
}

/** An operator (admin-console) ADMIN KS. */
export function operatorKs(t: TestGatehouse): Promise<string> {
  return run(client(t), kaltura.services.user.loginByLoginId(ADMIN_EMAIL, ADMIN_PASSWORD, -2));
}

export interface TestPartner {
  id: number;
  secret: string;
  adminSecret: string;
  adminEmail: string;
  password: string;
}

let seq = 0;
/** Registers a publisher through partner.register with an operator KS. */
export async function registerPartner(t: TestGatehouse, name = 'Test University'): Promise<TestPartner> {
  const ks = await operatorKs(t);
  const adminEmail = `admin${++seq}-${randomBytes(3).toString('hex')}@uni.test`;
  const password = 'correct-Horse-battery-9';
  const partner = new kaltura.objects.Partner({ name, adminName: 'Pat Admin', adminEmail, description: 'conformance' });
  const p = await run(client(t, ks), kaltura.services.partner.register(partner, password));
  return { id: p.id, secret: p.secret, adminSecret: p.adminSecret, adminEmail, password };
}

/** An ADMIN KS of a partner, started with its admin secret. */
export function adminKs(t: TestGatehouse, p: TestPartner, userId = '', privileges = ''): Promise<string> {
  return run(client(t), kaltura.services.session.start(p.adminSecret, userId, kaltura.enums.SessionType.ADMIN, p.id, 86400, privileges || null));
}

/** Raw HTTP POST to the door (for wire-format cases the official client never sends). */
export async function post(t: TestGatehouse, pathAndQuery: string, body: string, contentType = 'application/x-www-form-urlencoded'): Promise<{ status: number; text: string; json: () => any; headers: Headers }> {
  const res = await fetch(`${t.url}${pathAndQuery}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text), headers: res.headers };
}
