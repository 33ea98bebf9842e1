/** Repositories on SQLite and a real PostgreSQL: the same behaviour from one set of migrations. */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/core/crypto/secret-box.js';
import { LOG_START } from '../../src/core/log-cursor.js';
import { DuplicateKeyError, type Repos } from '../../src/services/ports.js';
import { checkReady, createRepos, migrateToLatest, openStore, type Store } from '../../src/store/index.js';
import { DIALECTS, freshDatabaseUrl } from '../support/dialects.js';

const now = 1_800_000_000;

for (const dialect of DIALECTS) {
  describe(`store [${dialect}]`, () => {
    let store: Store;
    let repos: Repos;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'gh-store-'));
      store = dialect === 'postgres' ? openStore({ databaseUrl: await freshDatabaseUrl('store') }) : openStore({ sqlitePath: path.join(dir, 'db.sqlite') });
      expect(await checkReady(store.db)).toEqual({ database: true, migrations: false });
      expect(await migrateToLatest(store.db)).toEqual(['0001-initial', '0002-app-tokens', '0003-access-control', '0004-rest-auth', '0005-consumers', '0006-login-attempts', '0007-categories', '0008-password-history', '0009-two-factor', '0010-single-sign-on', '0011-service-access', '0012-device-registration', '0013-rate-counters', '0014-provider-mfa', '0016-kmc-role-tags']);
      expect(await migrateToLatest(store.db)).toEqual([]);
      expect(await checkReady(store.db)).toEqual({ database: true, migrations: true });
      repos = createRepos(store.db, new SecretBox(randomBytes(32)));
    });
    afterAll(async () => {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const partner = (over: Record<string, unknown> = {}) => ({
      name: 'P',
      description: '',
      adminName: '',
      adminEmail: '',
      status: 1,
      secret: 'a'.repeat(32),
      adminSecrets: ['b'.repeat(32), 'c'.repeat(32)],
      ksMaxExpiry: 86400,
      maxLoginAttempts: 5,
      loginBlockPeriod: 1800,
      defaultAccessControlId: null,
      partnerParentId: null,
      settings: { website: 'https://example.org' },
      createdAt: now,
      updatedAt: now,
      ...over,
    });

    it('seals partner secrets at rest and hands out sequential publisher ids', async () => {
      const a = await repos.partners.insert(partner());
      const b = await repos.partners.insert(partner());
      expect(b.id).toBe(a.id + 1);
      expect(a.id).toBeGreaterThanOrEqual(100);
      expect(await repos.partners.get(a.id)).toMatchObject({ secret: 'a'.repeat(32), adminSecrets: ['b'.repeat(32), 'c'.repeat(32)], settings: { website: 'https://example.org' } });
      const row = await store.db.selectFrom('partners').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
      expect(row.secret_enc).not.toContain('a'.repeat(8));
      expect(row.admin_secrets_enc).not.toContain('b'.repeat(8));
      await expect(repos.partners.insert(partner({ id: a.id }))).rejects.toBeInstanceOf(DuplicateKeyError);
    });

    it('rejects a second live user with the same id, allows it after deletion', async () => {
      const p = await repos.partners.insert(partner());
      const user = { partnerId: p.id, id: 'u1', loginDataId: null, status: 1, isAdmin: false, isAccountOwner: false, roleIds: '', email: '', firstName: '', lastName: '', screenName: '', ksPrivileges: null, type: 0, externalId: null, data: {}, createdAt: now, updatedAt: now, statusUpdatedAt: now, lastLoginAt: null, deletedAt: null };
      const u = await repos.users.insert(user);
      await expect(repos.users.insert(user)).rejects.toBeInstanceOf(DuplicateKeyError);
      await repos.users.update(u.kuserId, { status: 2, deletedAt: now });
      const again = await repos.users.insert(user);
      expect(again.kuserId).not.toBe(u.kuserId);
      expect((await repos.users.latestById(p.id, 'u1'))?.kuserId).toBe(again.kuserId);
    });

    it('login lookups ignore case; a login reads its ceiling counter, and an unlock deletes its counters', async () => {
      const l = await repos.logins.insert({ loginEmail: 'Mixed@Case.org', passwordHash: 'h', firstName: '', lastName: '', loginAttempts: 0, blockedUntil: null, lastLoginPartnerId: null, lastLoginAt: null, passwordChangedAt: now, createdAt: now, updatedAt: now });
      expect((await repos.logins.byEmail('mixed@case.ORG'))?.id).toBe(l.id);
      await expect(repos.logins.insert({ ...l, loginEmail: 'MIXED@case.org' })).rejects.toBeInstanceOf(DuplicateKeyError);
      const ceiling = { scope: 'login', loginKey: 'mixed@case.org', address: '' } as const;
      const perAddress = { scope: 'login_address', loginKey: 'mixed@case.org', address: '192.0.2.1' } as const;
      const locked = { epoch: 1, failures: 7, cleared: 2, pending: 0, pendingUntil: 0, blockedUntil: now + 1800, windowEnds: now + 1800 };
      await repos.loginAttempts.guarded(async (tx) => {
        await tx.lock(ceiling, now);
        await tx.write(ceiling, locked, now);
        await tx.lock(perAddress, now);
        await tx.write(perAddress, locked, now);
      });
      expect(await repos.logins.get(l.id)).toMatchObject({ loginAttempts: 5, blockedUntil: now + 1800 });
      await repos.logins.recordSuccess(l.id, 100, now);
      expect(await repos.logins.get(l.id)).toMatchObject({ loginAttempts: 5, blockedUntil: now + 1800, lastLoginPartnerId: 100 });
      await repos.logins.update(l.id, { loginAttempts: 0, blockedUntil: null, updatedAt: now });
      expect(await repos.logins.get(l.id)).toMatchObject({ loginAttempts: 0, blockedUntil: null });
      expect(await store.db.selectFrom('login_attempts').selectAll().where('login_key', '=', 'mixed@case.org').execute()).toEqual([]);
    });

    it('login counters: concurrent guarded updates lose no count, and ended counters are purged', async () => {
      const key = { scope: 'address', loginKey: '', address: '198.51.100.7' } as const;
      // Fifty concurrent read-increment-write transactions: exactly fifty counted.
      await Promise.all(
        Array.from({ length: 50 }, () =>
          repos.loginAttempts.guarded(async (tx) => {
            const c = await tx.lock(key, now);
            await tx.write(key, { ...c, failures: c.failures + 1, windowEnds: now + 60 }, now);
          }),
        ),
      );
      const row = await store.db.selectFrom('login_attempts').selectAll().where('address', '=', '198.51.100.7').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ failures: 50, expires_at: now + 60 });
      expect(await repos.loginAttempts.purgeExpired(now + 59)).toBe(0);
      expect(await repos.loginAttempts.purgeExpired(now + 60)).toBeGreaterThanOrEqual(1);
      expect(await store.db.selectFrom('login_attempts').selectAll().where('address', '=', '198.51.100.7').execute()).toEqual([]);
    });

    it('actionslimit counters allow exactly N uses under concurrency', async () => {
      const used = await Promise.all(Array.from({ length: 20 }, () => repos.sessions.consumeAction('ks-hash-1', 5, now + 60)));
      expect(used.filter(Boolean)).toHaveLength(5);
      expect(await repos.sessions.consumeAction('ks-hash-1', 5, now + 60)).toBe(false);
    });

    it('revocations are idempotent, keep the later expiry and are read by cursor', async () => {
      await repos.sessions.revoke('h1', now + 100, now);
      await repos.sessions.revoke('h1', now + 50, now);
      await repos.sessions.revoke('h2', now + 10, now);
      const first = await repos.sessions.revokedSince(LOG_START, now);
      expect(first.hashes).toEqual(expect.arrayContaining([{ hash: 'h1', expiresAt: now + 100 }, { hash: 'h2', expiresAt: now + 10 }]));
      expect((await repos.sessions.revokedSince(first.cursor, now)).hashes).toEqual([]);
      // A later expiry reaches a reader that has already read the row (other nodes must not keep the earlier one).
      await repos.sessions.revoke('h2', now + 30, now);
      const again = await repos.sessions.revokedSince(first.cursor, now);
      expect(again.hashes).toEqual([{ hash: 'h2', expiresAt: now + 30 }]);
      await repos.sessions.revoke('h2', now + 20, now);
      expect((await repos.sessions.revokedSince(again.cursor, now)).hashes).toEqual([]);
      await repos.sessions.purgeExpired(now + 40);
      expect((await repos.sessions.revokedSince(LOG_START, now + 40)).hashes).toEqual([{ hash: 'h1', expiresAt: now + 100 }]);
    });

    it('the change feed is read in order from a cursor', async () => {
      const start = (await repos.changes.since(LOG_START)).cursor;
      await repos.changes.publish('role', '7', now);
      await repos.changes.publish('user', '100:alice', now);
      const r = await repos.changes.since(start);
      expect(r.changes).toEqual([{ topic: 'role', key: '7' }, { topic: 'user', key: '100:alice' }]);
      expect((await repos.changes.since(r.cursor)).changes).toEqual([]);
    });

    // PostgreSQL assigns a serial id at insert and commits whenever the transaction does, so a
    // later id can be read before an earlier one exists (SQLite has one writer: ids commit in order).
    it.runIf(dialect === 'postgres')('a change committed after a later id was read is still delivered', async () => {
      const start = (await repos.changes.since(LOG_START)).cursor;
      let commit!: () => void;
      const held = new Promise<void>((resolve) => (commit = resolve));
      let inserted!: () => void;
      const insertedP = new Promise<void>((resolve) => (inserted = resolve));
      const slow = store.db.transaction().execute(async (trx) => {
        await trx.insertInto('change_log').values({ topic: 'apiKey', key: 'late', at: now }).execute();
        inserted();
        await held;
      });
      await insertedP;
      await repos.changes.publish('apiKey', 'early', now);
      const first = await repos.changes.since(start);
      expect(first.changes).toEqual([{ topic: 'apiKey', key: 'early' }]);
      expect(first.cursor.gaps.size).toBe(1);
      // A node starting now (its first read) must wait for the late id too.
      const starting = await repos.changes.since(LOG_START);
      commit();
      await slow;
      expect((await repos.changes.since(starting.cursor)).changes).toEqual([{ topic: 'apiKey', key: 'late' }]);
      const second = await repos.changes.since(first.cursor);
      expect(second.changes).toEqual([{ topic: 'apiKey', key: 'late' }]);
      expect(second.cursor.gaps.size).toBe(0);
      expect((await repos.changes.since(second.cursor)).changes).toEqual([]);
    });

    it.runIf(dialect === 'postgres')('a revocation committed after a later id was read is still delivered', async () => {
      const start = (await repos.sessions.revokedSince(LOG_START, now)).cursor;
      let commit!: () => void;
      const held = new Promise<void>((resolve) => (commit = resolve));
      let inserted!: () => void;
      const insertedP = new Promise<void>((resolve) => (inserted = resolve));
      const slow = store.db.transaction().execute(async (trx) => {
        await trx.insertInto('invalid_sessions').values({ hash: 'late-hash', expires_at: now + 100, created_at: now }).execute();
        inserted();
        await held;
      });
      await insertedP;
      await repos.sessions.revoke('early-hash', now + 100, now);
      const first = await repos.sessions.revokedSince(start, now);
      expect(first.hashes.map((h) => h.hash)).toEqual(['early-hash']);
      commit();
      await slow;
      expect((await repos.sessions.revokedSince(first.cursor, now)).hashes.map((h) => h.hash)).toEqual(['late-hash']);
    });

    it('credentials and API keys read in one batch as they read one by one (the caches\' background re-read)', async () => {
      const p = await repos.partners.insert(partner());
      const keys: string[] = [];
      for (let i = 0; i < 3; i++) {
        const c = await repos.consumers.insert({ id: randomUUID(), partnerId: p.id, username: `batch-${i}`, groups: [`g${i}`], createdAt: now, updatedAt: now });
        for (let j = 0; j < 2; j++) {
          const key = `batch-key-${i}-${j}`;
          await repos.consumers.insertCredential({ id: randomUUID(), partnerId: p.id, consumerId: c.id, key, algorithm: 'HS256', secret: `secret-${i}-${j}`.padEnd(32, 'x'), publicKey: null, createdAt: now, deprecatedAt: j === 1 ? now : null, expiresAt: null, replacedBy: null });
          keys.push(key);
        }
      }
      const batch = await repos.consumers.credentialsByKeys([...keys, 'batch-key-unknown']);
      expect([...batch.keys()].sort()).toEqual([...keys].sort());
      for (const key of keys) expect(batch.get(key)).toEqual(await repos.consumers.credentialByKey(key));
      expect(batch.get('batch-key-1-1')).toMatchObject({ credential: { deprecatedAt: now, secret: 'secret-1-1'.padEnd(32, 'x') }, consumer: { username: 'batch-1', groups: ['g1'] } });
      expect((await repos.consumers.credentialsByKeys([])).size).toBe(0);

      const hashes: string[] = [];
      for (let i = 0; i < 3; i++) {
        const hash = `batch-hash-${i}`;
        await repos.apiKeys.insert({ id: randomUUID(), partnerId: p.id, hash, start: 'gh_abcdef', validFrom: now, validTo: now + 60, permissions: ['p'], services: [], createdBy: 'u', createdAt: now, revokedAt: i === 2 ? now : null });
        hashes.push(hash);
      }
      const found = await repos.apiKeys.byHashes([...hashes, 'batch-hash-unknown']);
      expect([...found.keys()].sort()).toEqual(hashes);
      for (const hash of hashes) expect(found.get(hash)).toEqual(await repos.apiKeys.byHash(hash));
      expect(found.get('batch-hash-2')?.revokedAt).toBe(now);
    });

    it('system state keys are set once', async () => {
      expect(await repos.system.setIfAbsent('k', 'v1')).toBe(true);
      expect(await repos.system.setIfAbsent('k', 'v2')).toBe(false);
      expect(await repos.system.get('k')).toBe('v1');
    });

    it('role and audit listings filter and page', async () => {
      for (const name of ['Alpha', 'Beta', 'Gamma']) await repos.roles.insert({ partnerId: 5000, name, systemName: name.toUpperCase(), description: `the ${name} role`, status: 1, permissionNames: '', tags: '', createdAt: now, updatedAt: now });
      expect((await repos.roles.list([5000], { descriptionLike: 'BETA' }, { pageSize: 10, pageIndex: 1 })).objects.map((r) => r.name)).toEqual(['Beta']);
      const page2 = await repos.roles.list([5000], {}, { pageSize: 2, pageIndex: 2 });
      expect(page2).toMatchObject({ totalCount: 3, objects: [{ name: 'Gamma' }] });
      // LIKE wildcards in user text match literally.
      expect((await repos.roles.list([5000], { descriptionLike: '%' }, { pageSize: 10, pageIndex: 1 })).totalCount).toBe(0);
      await repos.audit.append({ atMs: now * 1000, partnerId: 5000, actor: 'a', action: 'x.y', target: 't', outcome: 'failure', clientIp: '10.0.0.1', detail: { reason: 'r' } });
      expect((await repos.audit.list({ partnerId: 5000 }, { pageSize: 5, pageIndex: 1 })).objects[0]).toMatchObject({ actor: 'a', outcome: 'failure', clientIp: '10.0.0.1', detail: { reason: 'r' } });
    });
  });
}
