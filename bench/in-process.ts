/**
 * In-process KS v2 validation rate: the Authenticator's parse + validate (the work every api_v3
 * call with a KS does before its handler), the bare codec, and an HMAC-SHA256 reference, each
 * measured for a fixed wall time in this one process.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SyncedRevocationList } from '../src/cache/revocations.js';
import { VerifiedKsCache } from '../src/cache/verified-ks.js';
import { loadConfig } from '../src/config/index.js';
import { nowSeconds, systemClock } from '../src/core/clock.js';
import { SecretBox } from '../src/core/crypto/secret-box.js';
import { decodeKs } from '../src/core/ks/index.js';
import { createGatehouse } from '../src/gatehouse.js';
import type { RequestMeta } from '../src/services/context.js';
import { CallerPipeline } from '../src/services/pipeline/caller.js';
import { ksUsable } from '../src/services/pipeline/steps/session-usable.js';
import { Authenticator } from '../src/services/sessions/authenticate.js';
import { createRepos, openStore } from '../src/store/index.js';
import { BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD, provisionSession, SESSION_GET_PATH } from './provision.js';
import { profileAsync } from './profile.js';
import { awaitedLoop, batchedLoop, measureInterleaved, syncLoop, type Loop, type Measured, type Window } from './timing.js';

export interface InProcessRow {
  name: string;
  rate: Measured;
  /** The headline row, compared with the target. */
  headline?: boolean;
  note?: string;
}

export interface InProcessResult {
  ksLength: number;
  rows: InProcessRow[];
  hmac: Measured;
}

/** The reference token size from the issue: an HMAC-SHA256 check of a 200-byte token. */
const TOKEN_BYTES = 200;
const BATCH = 64;

export async function runInProcess(w: Window, profileDir?: string): Promise<InProcessResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-bench-'));
  const config = loadConfig({
    env: { GATEHOUSE_DATA_DIR: dir, GATEHOUSE_ADMIN_EMAIL: BENCH_ADMIN_EMAIL, GATEHOUSE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD, GATEHOUSE_LOG_LEVEL: 'silent' },
  });
  const store = openStore({ sqlitePath: path.join(dir, 'gatehouse.sqlite') });
  const masterKey = randomBytes(32);
  const gh = await createGatehouse({ config, store, masterKey });
  try {
    const session = await provisionSession(async (url, body) => {
      const res = await gh.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json' } });
      return res.body;
    });

    /*
     * createGatehouse keeps its Authenticator inside the Kaltura door, so the bench wires one the
     * same way gatehouse.ts does: over the Gatehouse's own CachedDirectory (the partner cache that
     * holds the derived KS keys) and a revocation list synced from the same database.
     */
    const repos = createRepos(store.db, new SecretBox(masterKey));
    const revocations = new SyncedRevocationList(repos.sessions, () => nowSeconds(systemClock));
    await revocations.sync();
    const auth = new Authenticator({ directory: gh.directory, revocations, sessions: repos.sessions, roles: repos.roles, clock: systemClock, verified: new VerifiedKsCache({ nowMs: () => systemClock.nowMs() }) });
    const meta: RequestMeta = { clientIp: '127.0.0.1', uri: SESSION_GET_PATH };
    const { ks } = session;

    // Warm the caches and prove the path accepts this KS before timing it.
    // The Kaltura door's steps: the KS is genuine (check), usable (ksUsable), then the caller table.
    const callers = new CallerPipeline({ authenticator: auth, directory: gh.directory, tokens: { verify: () => Promise.reject(new Error('unused')) }, apiKeys: { verify: () => Promise.reject(new Error('unused')) } });
    const parseAndValidate = async () => {
      const c = await auth.check(ks);
      if (!c || (await ksUsable(auth, c, meta))) throw new Error('the bench KS is not usable');
      return c;
    };
    const check = await parseAndValidate();
    const called = await callers.run({ credential: { kind: 'ks', check }, requestedPartnerId: 0, meta, required: ['ALWAYS_ALLOWED_ACTIONS'] });
    if (!called.ok || called.caller.principal.partnerId !== session.partnerId || called.caller.principal.user === undefined) throw new Error('bench KS did not authenticate as the partner admin');
    const entry = await gh.directory.partner(session.partnerId);
    if (!entry) throw new Error('bench partner missing from the directory');
    const keys = entry.ksKeys;

    const hmacKey = randomBytes(32);
    const token = randomBytes(TOKEN_BYTES);
    const validateOnce = async (): Promise<void> => {
      await parseAndValidate();
    };
    const cases: Array<{ name: string; loop: Loop; headline?: boolean; note?: string }> = [
      { name: 'HMAC-SHA256, 200-byte token (reference)', loop: syncLoop(() => createHmac('sha256', hmacKey).update(token).digest()[0] as number) },
      {
        name: 'decodeKs (codec only, sync)',
        loop: syncLoop(() => {
          const parsed = decodeKs(ks, keys);
          if (parsed === null) throw new Error('decodeKs rejected the bench KS');
          return parsed.validUntil;
        }),
      },
      { name: 'parse + validate, each awaited', loop: awaitedLoop(validateOnce), headline: true },
      { name: `parse + validate, ${BATCH} in flight`, loop: batchedLoop(validateOnce, BATCH), note: 'Promise.all batches' },
      {
        name: 'parse + the caller table, awaited',
        loop: awaitedLoop(async () => {
          const c = await auth.check(ks);
          return callers.run({ credential: { kind: 'ks', check: c as NonNullable<typeof c> }, requestedPartnerId: 0, meta, required: ['ALWAYS_ALLOWED_ACTIONS'] });
        }),
        note: 'adds user + roles lookups (info)',
      },
    ];
    const measured = await measureInterleaved(
      cases.map((c) => [c.name, c.loop] as const),
      w,
    );

    // Profiled separately, after the timed runs, so the profiler's overhead is not in the figures.
    if (profileDir) await profileAsync(profileDir, 'in-process-validate', async () => awaitedLoop(validateOnce)(w.measureMs));

    const rows = cases.map((c) => ({ name: c.name, rate: measured.get(c.name) as Measured, headline: c.headline, note: c.note }));
    return { ksLength: ks.length, rows, hmac: (rows[0] as InProcessRow).rate };
  } finally {
    await gh.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
