/**
 * The gateway's caches read the database once per key, not once per request: credentials (with
 * negative entries for unknown keys, so junk `iss` values never reach the database), route tables
 * per partner, and the in-memory rate-limit windows.
 */
import { describe, expect, it } from 'vitest';
import { CachedConsumerCredentials, CONSUMER_CREDENTIAL_TOPIC } from '../../src/cache/consumer-credentials.js';
import { LocalRateLimiter } from '../../src/cache/rate-limiter.js';
import { RouteTables } from '../../src/cache/route-tables.js';
import type { ApiService, Consumer, ConsumerCredential } from '../../src/services/model.js';
import type { ParsedJwt } from '../../src/core/jwt/consumer-token.js';

/** A check answered at once from memory; undefined when it had to wait (a promise). */
function answeredNow<T>(r: T | Promise<T>): T | undefined {
  if (r instanceof Promise) {
    void r.catch(() => undefined);
    return undefined;
  }
  return r;
}
import type { ApiServiceRepo, ChangeFeed, ConsumerRepo, CredentialEntry } from '../../src/services/ports.js';

const consumer: Consumer = { id: 'c1', partnerId: 100, username: 'app', groups: ['g'], createdAt: 0, updatedAt: 0 };
const credential: ConsumerCredential = { id: 'k1', partnerId: 100, consumerId: 'c1', key: 'known', algorithm: 'HS256', secret: 's3cret', publicKey: null, createdAt: 0, deprecatedAt: null, expiresAt: null, replacedBy: null };

function fakes() {
  const calls: string[] = [];
  const published: string[] = [];
  const consumers = {
    credentialByKey: async (key: string) => {
      calls.push(key);
      return key === 'known' ? { credential, consumer } : undefined;
    },
  } as unknown as ConsumerRepo;
  const changes: ChangeFeed = { publish: async (topic, key) => void published.push(`${topic}:${key}`), since: async (c) => ({ cursor: c, changes: [] }) };
  return { calls, published, cache: new CachedConsumerCredentials({ consumers, changes, nowSec: () => 0, onLoadError: () => undefined }) };
}

describe('CachedConsumerCredentials', () => {
  it('loads a key once, shares concurrent loads, and caches misses', async () => {
    const { calls, cache } = fakes();
    const [a, b] = await Promise.all([cache.byKey('known'), cache.byKey('known')]);
    expect(a?.consumer.username).toBe('app');
    expect(b).toBe(a);
    for (let i = 0; i < 100; i++) await cache.byKey('known');
    for (let i = 0; i < 100; i++) expect(await cache.byKey('junk')).toBeUndefined();
    expect(calls).toEqual(['known', 'junk']);
    expect(cache.peek('known')).toBe(a);
    expect(cache.peek('junk')).toBeNull();
    expect(cache.peek('never')).toBeUndefined();
  });

  it('imports the verification key once per fill', async () => {
    const { cache } = fakes();
    const e = await cache.byKey('known');
    expect(e?.verifyKey.type).toBe('secret');
    expect((await cache.byKey('known'))?.verifyKey).toBe(e?.verifyKey);
  });

  it('changed() publishes and drops; drop() from the feed drops hits and misses', async () => {
    const { calls, published, cache } = fakes();
    await cache.byKey('known');
    await cache.byKey('junk');
    await cache.changed(['known', 'junk']);
    expect(published).toEqual([`${CONSUMER_CREDENTIAL_TOPIC}:known`, `${CONSUMER_CREDENTIAL_TOPIC}:junk`]);
    await cache.byKey('known');
    cache.drop(CONSUMER_CREDENTIAL_TOPIC, 'known');
    cache.drop('apiKey', 'junk');
    await cache.byKey('known');
    await cache.byKey('junk');
    expect(calls).toEqual(['known', 'junk', 'known', 'known', 'junk']);
  });
});

describe('RouteTables', () => {
  it('compiles a partner\'s services once, until apiService:<partner> is seen', async () => {
    let lists = 0;
    const services = {
      list: async (partnerId: number) => {
        lists++;
        const s: ApiService = { id: 's1', partnerId, name: 'A', routePrefix: '/a', allowedGroups: [], requiredPermissions: [], access: 'groups', deniedGroups: [], methods: [], rateLimits: null, createdAt: 0, updatedAt: 0 };
        return { objects: [s], totalCount: 1 };
      },
    } as unknown as ApiServiceRepo;
    const published: string[] = [];
    const changes = { publish: async (topic: string, key: string) => void published.push(`${topic}:${key}`) } as unknown as ChangeFeed;
    const tables = new RouteTables({ services, changes, nowSec: () => 0 });
    for (let i = 0; i < 50; i++) expect((await tables.get(100)).match('/a/b')?.id).toBe('s1');
    expect(lists).toBe(1);
    tables.drop('apiService', '101');
    await tables.get(100);
    expect(lists).toBe(1);
    tables.drop('apiService', '100');
    await tables.get(100);
    expect(lists).toBe(2);
    // A write on this node: the table is forgotten here before the feed carries it anywhere.
    await tables.changed(100);
    expect(published).toEqual(['apiService:100']);
    await tables.get(100);
    expect(lists).toBe(3);
  });
});

describe('LocalRateLimiter', () => {
  it('counts per credential in one-minute windows; 0 means unlimited', () => {
    const l = new LocalRateLimiter(10);
    const t0 = 1_800_000_000_000; // on a minute boundary
    expect(l.hit('a', 2, t0)).toEqual({ ok: true, limit: 2, remaining: 1 });
    expect(l.hit('a', 2, t0 + 1000)).toEqual({ ok: true, limit: 2, remaining: 0 });
    expect(l.hit('a', 2, t0 + 1500)).toEqual({ ok: false, limit: 2, retryAfterSec: 59 });
    expect(l.hit('b', 2, t0 + 1500).ok).toBe(true);
    expect(l.hit('a', 2, t0 + 59_999)).toEqual({ ok: false, limit: 2, retryAfterSec: 1 });
    expect(l.hit('a', 2, t0 + 60_000).ok).toBe(true);
    for (let i = 0; i < 1000; i++) expect(l.hit('c', 0, t0).ok).toBe(true);
  });
});

describe('verified consumer tokens', () => {
  it('skip decoding and signature only while the credential entry they were checked with is current', async () => {
    const { createHmac } = await import('node:crypto');
    const { ConsumerTokenVerifier } = await import('../../src/services/consumers/verify-consumer-token.js');
    const { VerifiedCache } = await import('../../src/cache/verified-tokens.js');
    const { ManualClock } = await import('../../src/core/clock.js');
    let current: ConsumerCredential = { ...credential };
    const consumers = { credentialByKey: async (key: string) => (key === 'known' ? { credential: current, consumer } : undefined) } as unknown as ConsumerRepo;
    const changes: ChangeFeed = { publish: async () => undefined, since: async (c) => ({ cursor: c, changes: [] }) };
    const credentials = new CachedConsumerCredentials({ consumers, changes, nowSec: () => 0, onLoadError: () => undefined });
    const verified = new VerifiedCache<{ jwt: ParsedJwt; entry: CredentialEntry }>();
    const clock = new ManualClock(1_800_000_000_000);
    const directory = { partner: async () => ({ partner: { settings: {}, status: 1 } }) } as never;
    const v = new ConsumerTokenVerifier({ credentials, verified, directory, clock, maxLifetime: 0 });
    const sign = (secret: string, payload: object) => {
      const input = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    };
    const token = sign('s3cret', { iss: 'known', exp: 1_800_000_060 });
    expect((await v.verify(token, 'gateway')).ok).toBe(true);
    expect(verified.size).toBe(1);
    expect((await v.verify(token, 'gateway')).ok).toBe(true);
    // A new secret for the key: the cached signature no longer counts.
    current = { ...credential, secret: 'other' };
    await credentials.changed(['known']);
    expect(await v.verify(token, 'gateway')).toEqual({ ok: false, reason: 'signature' });
    // Deprecated: the state is checked on every use, cached or not.
    current = { ...credential, deprecatedAt: 1 };
    await credentials.changed(['known']);
    expect(await v.verify(token, 'gateway')).toEqual({ ok: false, reason: 'deprecated' });
    expect((await v.verify(token, 'rotation')).ok).toBe(true);
    // Time passes: exp is checked on every use.
    clock.advance(60);
    expect(await v.verify(token, 'rotation')).toEqual({ ok: false, reason: 'expired' });
    // Failed signatures are never cached.
    const forged = sign('guess', { iss: 'known' });
    expect(await v.verify(forged, 'rotation')).toEqual({ ok: false, reason: 'signature' });
    expect(verified.get(verified.digest(forged))).toBeUndefined();
  });

  it('stay verified across the once-a-minute re-read of an unchanged credential; a change the feed missed is caught by it', async () => {
    const { createHmac } = await import('node:crypto');
    const { ConsumerTokenVerifier } = await import('../../src/services/consumers/verify-consumer-token.js');
    const { VerifiedCache } = await import('../../src/cache/verified-tokens.js');
    const { ManualClock } = await import('../../src/core/clock.js');
    const clock = new ManualClock(1_800_000_000_000);
    let current: ConsumerCredential = { ...credential };
    let reads = 0;
    const consumers = {
      credentialByKey: async (key: string) => (key === 'known' ? (reads++, { credential: { ...current }, consumer: { ...consumer, groups: [...consumer.groups] } }) : undefined),
      credentialsByKeys: async (keys: string[]) => {
        const found = new Map();
        if (keys.includes('known')) found.set('known', (reads++, { credential: { ...current }, consumer: { ...consumer, groups: [...consumer.groups] } }));
        return found;
      },
    } as unknown as ConsumerRepo;
    const changes: ChangeFeed = { publish: async () => undefined, since: async (c) => ({ cursor: c, changes: [] }) };
    const credentials = new CachedConsumerCredentials({ consumers, changes, nowSec: () => 0, onLoadError: () => undefined }, { now: () => clock.nowMs(), batchDelayMs: 0 });
    const verified = new VerifiedCache<{ jwt: ParsedJwt; entry: CredentialEntry }>({ nowMs: () => clock.nowMs() });
    const partner = { partner: { settings: {}, status: 1 } };
    const directory = { partner: async () => partner, peekPartner: () => partner, peekRole: () => undefined, peekUser: () => undefined } as never;
    const v = new ConsumerTokenVerifier({ credentials, verified, directory, clock, maxLifetime: 0 });
    const input = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{"iss":"known"}').toString('base64url')}`;
    const token = `${input}.${createHmac('sha256', 's3cret').update(input).digest('base64url')}`;

    expect((await v.verify(token, 'gateway')).ok).toBe(true);
    const entry = credentials.peek('known');
    // (Within the verified cache's own ten minutes.)
    for (let minute = 1; minute <= 8; minute++) {
      clock.advance(60);
      // Answered from memory (verified before, credential held) while the row is read again behind it.
      expect(answeredNow(v.check(token, 'gateway'))?.ok).toBe(true);
      await credentials.settled();
      expect(credentials.peek('known')).toBe(entry);
    }
    expect(reads).toBe(9);
    // A deprecation whose invalidation never arrived: the next re-read replaces the entry, and the
    // token is judged on the new state.
    current = { ...credential, deprecatedAt: 1 };
    clock.advance(60);
    expect(answeredNow(v.check(token, 'gateway'))?.ok).toBe(true);
    await credentials.settled();
    expect(credentials.peek('known')).not.toBe(entry);
    expect(answeredNow(v.check(token, 'gateway'))).toBeUndefined();
    expect(await v.verify(token, 'gateway')).toEqual({ ok: false, reason: 'deprecated' });
  });
});
