// The verified-KS cache and the synchronous cache paths: a cached signature check never outlives the
// partner's keys, and every per-request check (expiry, revocation, restrictions) still runs.
import { describe, it, expect, vi } from 'vitest';
import { BoundedCache, LoadingCache } from '../../src/cache/lru.js';
import { CachedDirectory } from '../../src/cache/directory.js';
import { VerifiedKsCache } from '../../src/cache/verified-ks.js';
import { encodeKsV2, ksKeyFromSecret, type KsFields } from '../../src/core/ks/index.js';
import { E, fail, GatehouseError } from '../../src/core/errors/index.js';
import { sessionRefusalError, ksUsable } from '../../src/services/pipeline/steps/session-usable.js';
import type { RequestMeta } from '../../src/services/context.js';
import { Authenticator, type KsCheck } from '../../src/services/sessions/authenticate.js';
import type { Partner } from '../../src/services/model.js';
import type { ChangeFeed, PartnerRepo, RevocationList, RoleRepo, SessionStateRepo, UserRepo } from '../../src/services/ports.js';

const NOW = 1_700_000_000;

function partner(id: number, adminSecrets: string[]): Partner {
  return {
    id, name: 'p', description: '', adminName: '', adminEmail: '', status: 1, secret: 'user-secret', adminSecrets,
    ksMaxExpiry: 86400, maxLoginAttempts: 5, loginBlockPeriod: 60, defaultAccessControlId: null, partnerParentId: null, settings: {}, createdAt: 0, updatedAt: 0,
  };
}

function setup() {
  const clock = { ms: NOW * 1000, nowMs() { return this.ms; } };
  const partners = new Map<number, Partner>([[100, partner(100, ['secret-one'])]]);
  let loads = 0;
  const repo = { get: async (id: number) => (loads++, partners.get(id)) } as unknown as PartnerRepo;
  const changes = { publish: async () => {} } as unknown as ChangeFeed;
  const directory = new CachedDirectory({ partners: repo, roles: { get: async () => undefined } as unknown as RoleRepo, users: { latestById: async () => undefined } as unknown as UserRepo, changes, nowSec: () => NOW });
  const revoked = new Set<string>();
  const revocations: RevocationList = { isRevoked: (h) => revoked.has(h), revoke: async (h) => void revoked.add(h) };
  const auth = new Authenticator({ directory, revocations, sessions: {} as SessionStateRepo, roles: {} as RoleRepo, clock, verified: new VerifiedKsCache({ nowMs: () => clock.nowMs() }) });
  return { clock, partners, directory, revoked, auth, loads: () => loads };
}

const fields = (over: Partial<KsFields> = {}): KsFields => ({ partnerId: 100, validUntil: NOW + 3600, type: 2, userId: '', privileges: '', masterPartnerId: null, additionalData: null, ...over });
const ks = (secret: string, over: Partial<KsFields> = {}) => encodeKsV2(fields(over), ksKeyFromSecret(secret));
const meta = { clientIp: '10.0.0.1', uri: '/api_v3/service/session/action/get' };

/** The check answered from the verified-KS cache, without waiting; undefined when it would have to wait. */
function cachedOf(auth: Authenticator, k: string) {
  const r = auth.check(k);
  if (r instanceof Promise) {
    void r.catch(() => undefined);
    return undefined;
  }
  return r ?? undefined;
}

/** The Kaltura door's first two steps, answered as its exceptions: the KS is genuine, then usable. */
const parsing = { async parse(auth: Authenticator, raw: string): Promise<KsCheck> {
  const c = await auth.check(raw);
  if (!c) throw fail(E.INVALID_KS, { KSID: raw, ERR_CODE: -1, ERR_DESC: 'INVALID_STR' });
  return c;
}, async validate(auth: Authenticator, c: KsCheck, m: RequestMeta): Promise<void> {
  const r = await ksUsable(auth, c, m);
  if (r) throw sessionRefusalError(r, c.raw);
} };

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof GatehouseError ? `${e.code}:${String((e as unknown as { args?: { KSID?: unknown } }).args?.KSID ?? '')}` : String(e);
  }
}

describe('Authenticator with the verified-KS cache', () => {
  it('verifies a KS once, then answers check without waiting', async () => {
    const { auth } = setup();
    const k = ks('secret-one');
    expect(cachedOf(auth, k)).toBeUndefined();
    const first = await parsing.parse(auth, k);
    const again = cachedOf(auth, k);
    expect(again?.ks).toBe(first.ks);
    expect(again?.raw).toBe(k);
    expect(Object.isFrozen(first.ks)).toBe(true);
  });

  it('re-verifies against the new keys once the partner changes (secret rotation)', async () => {
    const { auth, partners, directory } = setup();
    const old = ks('secret-one');
    await parsing.parse(auth, old);
    partners.set(100, partner(100, ['secret-two']));
    directory.drop('partner', '100');
    expect(cachedOf(auth, old)).toBeUndefined();
    expect(await code(parsing.parse(auth, old))).toMatch(/^INVALID_KS:/);
    expect(await code(parsing.parse(auth, ks('secret-two')))).toBe('ok');
  });

  it('drops a verification when the partner entry expires from the directory and is reloaded', async () => {
    // The directory's caches run on the wall clock; fake it before they are built.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { auth, loads } = setup();
      const k = ks('secret-one');
      await parsing.parse(auth, k);
      expect(loads()).toBe(1);
      vi.setSystemTime(Date.now() + 31_000);
      expect(cachedOf(auth, k)).toBeUndefined();
      expect(await code(parsing.parse(auth, k))).toBe('ok');
      expect(loads()).toBe(2);
      expect(cachedOf(auth, k)).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('still checks expiry, revocation and restrictions on every request', async () => {
    const { auth, clock, revoked } = setup();
    const k = ks('secret-one', { privileges: 'iprestrict:10.0.0.1' });
    const c = await parsing.parse(auth, k);
    expect(await code(parsing.validate(auth, cachedOf(auth, k) ?? c, meta))).toBe('ok');
    expect(await code(parsing.validate(auth, cachedOf(auth, k) ?? c, { ...meta, clientIp: '10.0.0.2' }))).toBe('INVALID_KS:EXCEEDED_RESTRICTED_IP');
    revoked.add(c.ks.hash);
    expect(await code(parsing.validate(auth, cachedOf(auth, k) ?? c, meta))).toBe('INVALID_KS:LOGOUT');
    revoked.clear();
    clock.ms = (NOW + 3600) * 1000;
    // Past validUntil the entry is gone, and a fresh parse still fails validation as EXPIRED.
    expect(cachedOf(auth, k)).toBeUndefined();
    expect(await code(parsing.validate(auth, await parsing.parse(auth, k), meta))).toBe('INVALID_KS:EXPIRED');
  });

  it('never caches a KS that fails to verify', async () => {
    const { auth } = setup();
    const forged = ks('not-the-secret');
    expect(await code(parsing.parse(auth, forged))).toMatch(/^INVALID_KS:/);
    expect(cachedOf(auth, forged)).toBeUndefined();
    expect(await code(parsing.parse(auth, 'garbage'))).toMatch(/^INVALID_KS:garbage/);
  });
});

describe('VerifiedKsCache', () => {
  it('keys entries by a digest, never by the KS itself, and stores nothing already expired', () => {
    const cache = new VerifiedKsCache({ nowMs: () => NOW * 1000 });
    const k = ks('secret-one');
    const d = cache.digest(k);
    expect(d).not.toContain(k.slice(0, 20));
    expect(d).toBe(cache.digest(k));
    expect(d).not.toBe(cache.digest(ks('secret-one')));
    const value = { ks: { validUntil: NOW - 1 }, privileges: new Map(), entry: {} } as never;
    cache.set(d, value, NOW);
    expect(cache.size).toBe(0);
  });

  it('is bounded', () => {
    const cache = new VerifiedKsCache({ maxEntries: 3, nowMs: () => NOW * 1000 });
    for (let i = 0; i < 10; i++) cache.set(cache.digest(`ks-${i}`), { ks: { validUntil: NOW + 60 }, privileges: new Map(), entry: {} } as never, NOW);
    expect(cache.size).toBe(3);
  });
});

describe('BoundedCache and LoadingCache', () => {
  it('evicts the least recently touched entry and expires by TTL', () => {
    let now = 0;
    const c = new BoundedCache<string, number>(2, 800, () => now);
    c.set('a', 1);
    c.set('b', 2);
    now = 200; // older than TTL/8: this hit moves `a` to the recent end
    expect(c.get('a')).toBe(1);
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    now = 1000;
    expect(c.get('a')).toBeUndefined();
    expect(c.size).toBe(1);
  });

  it('honours a shorter per-entry TTL but never a longer one', () => {
    let now = 0;
    const c = new BoundedCache<string, number>(10, 1000, () => now);
    c.set('short', 1, 100);
    c.set('long', 2, 5000);
    now = 150;
    expect(c.get('short')).toBeUndefined();
    now = 1000;
    expect(c.get('long')).toBeUndefined();
  });

  it('peeks without loading: value, null for a cached miss, undefined when not cached', async () => {
    let loads = 0;
    const c = new LoadingCache<number, string>(10, 1000, async (k) => (loads++, k === 1 ? 'one' : undefined));
    expect(c.peek(1)).toBeUndefined();
    expect(await c.get(1)).toBe('one');
    expect(await c.get(2)).toBeUndefined();
    expect(c.peek(1)).toBe('one');
    expect(c.peek(2)).toBeNull();
    expect(await c.get(1)).toBe('one');
    expect(loads).toBe(2);
    c.invalidate(1);
    expect(c.peek(1)).toBeUndefined();
  });

  it('turns a load that throws synchronously into a rejection', async () => {
    const c = new LoadingCache<number, string>(10, 1000, () => {
      throw new Error('boom');
    });
    await expect(c.get(1)).rejects.toThrow('boom');
  });
});
