/** Helpers for the delivery door's suites: a partner with profiles and entries, and requests by `inject`. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { deriveDeliveryTokenKey, verifyDeliveryToken, type DeliveryTokenClaims } from '../../src/core/delivery/token.js';
import { loggerOptions } from '../../src/http/logger.js';
import { addEntry, addProfile } from './access-control.js';
import { adminKs, client, kaltura, registerPartner, run, startGatehouse, type Dialect, type StartOptions, type TestGatehouse, type TestPartner } from './gatehouse.js';

export const ORIGIN = 'https://cdn.example.test/media';
export const US = '8.8.8.8';
export const FR = '90.0.0.1';

export interface DeliveryWorld {
  t: TestGatehouse;
  p: TestPartner;
  admin: any;
  adminKs: string;
  /** Log lines (parsed) written by the server, when started with `captureLogs`. */
  logs: Array<Record<string, unknown>>;
  /** A fresh entry under a fresh profile with `rules` (official-client Rule objects). */
  entryWith(rules: any[], entryFields?: Record<string, unknown>): Promise<{ profile: any; entry: any }>;
  /** A USER KS of the partner, started with its user secret. */
  userKs(userId: string, privileges?: string | null, expiry?: number): Promise<string>;
  /** `/p/{pid}/sp/{pid}00/playManifest/entryId/{id}` + tail. */
  playUrl(entryId: string, tail?: string): string;
  close(): Promise<void>;
}

export async function startDeliveryWorld(dialect: Dialect, label: string, opts: StartOptions & { captureLogs?: boolean } = {}): Promise<DeliveryWorld> {
  const logs: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const t = await startGatehouse(dialect, label, {
    ...opts,
    env: { GATEHOUSE_DELIVERY_ORIGIN: ORIGIN, ...opts.env },
    // At debug: denials are debug events (decision-log.ts); tests read them and every line's level.
    ...(opts.captureLogs ? { logger: pino(loggerOptions('debug'), stream) } : {}),
  });
  const p = await registerPartner(t, 'Delivery U');
  const ks = await adminKs(t, p);
  const admin = client(t, ks);
  return {
    t,
    p,
    admin,
    adminKs: ks,
    logs,
    async entryWith(rules, entryFields = {}) {
      const profile = await addProfile(admin, `p${Math.random()}`, rules);
      const entry = await addEntry(admin, { accessControlId: profile.id, ...entryFields });
      return { profile, entry };
    },
    userKs: (userId, privileges = null, expiry = 86400) => run<string>(client(t), kaltura.services.session.start(p.secret, userId, 0, p.id, expiry, privileges)),
    playUrl: (entryId, tail = '/format/url/protocol/https/a.mp4') => `/p/${p.id}/sp/${p.id}00/playManifest/entryId/${entryId}${tail}`,
    close: () => t.close(),
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json(): any;
}

/** One request through Fastify's inject; `remoteAddress` is the socket peer the server sees. */
export async function request(t: TestGatehouse, url: string, o: { method?: string; headers?: Record<string, string>; remoteAddress?: string } = {}): Promise<Answer> {
  const res = await t.gh.app.inject({ method: (o.method ?? 'GET') as 'GET', url, headers: o.headers ?? {}, remoteAddress: o.remoteAddress ?? '127.0.0.1' });
  return { status: res.statusCode, headers: res.headers, body: res.body, json: () => JSON.parse(res.body) };
}

/** The gh_token of a redirect, verified with the key derived from the server's master key. */
export function tokenOf(t: TestGatehouse, location: string): DeliveryTokenClaims {
  const token = new URL(location).searchParams.get('gh_token');
  if (!token) throw new Error(`no gh_token in ${location}`);
  const check = verifyDeliveryToken(deriveDeliveryTokenKey(t.masterKey), token, Math.floor(t.clock.nowMs() / 1000));
  if (!check.ok) throw new Error(`gh_token does not verify: ${check.reason}`);
  return check.claims;
}

/** The value of one counter series in the server's /metrics text, 0 when absent. */
export async function counter(t: TestGatehouse, series: string): Promise<number> {
  const text = (await t.gh.app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
