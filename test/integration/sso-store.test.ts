/** Single sign-on's storage on SQLite and PostgreSQL: sealed client secrets, one enabled provider per domain and partner, single-use tickets. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/core/crypto/secret-box.js';
import { DomainTakenError, type NewIdentityProvider } from '../../src/services/sso/model.js';
import { createRepos, migrateToLatest, openStore, type Store } from '../../src/store/index.js';
import { SqlIdentityProviderRepo } from '../../src/store/repos/identity-providers.js';
import { SqlSsoTicketRepo } from '../../src/store/repos/sso-tickets.js';
import { DIALECTS, freshDatabaseUrl } from '../support/dialects.js';

const now = 1_800_000_000;

for (const dialect of DIALECTS) {
  describe(`sso store [${dialect}]`, () => {
    let store: Store;
    let dir: string;
    let providers: SqlIdentityProviderRepo;
    let tickets: SqlSsoTicketRepo;
    let partnerA: number;
    let partnerB: number;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'gh-sso-store-'));
      store = dialect === 'postgres' ? openStore({ databaseUrl: await freshDatabaseUrl('sso-store') }) : openStore({ sqlitePath: path.join(dir, 'db.sqlite') });
      await migrateToLatest(store.db);
      const box = new SecretBox(randomBytes(32));
      providers = new SqlIdentityProviderRepo(store.db, box);
      tickets = new SqlSsoTicketRepo(store.db, box);
      const repos = createRepos(store.db, box);
      const partner = { name: 'P', description: '', adminName: '', adminEmail: '', status: 1, secret: 'a'.repeat(32), adminSecrets: ['b'.repeat(32)], ksMaxExpiry: 86400, maxLoginAttempts: 5, loginBlockPeriod: 1800, defaultAccessControlId: null, partnerParentId: null, settings: {}, createdAt: now, updatedAt: now };
      partnerA = (await repos.partners.insert(partner)).id;
      partnerB = (await repos.partners.insert(partner)).id;
    });
    afterAll(async () => {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const idp = (over: Partial<NewIdentityProvider> = {}): NewIdentityProvider => ({
      partnerId: partnerA,
      name: 'Campus',
      issuer: 'https://idp.example.edu',
      clientId: 'gatehouse',
      clientSecret: 'client-secret-value-123',
      emailDomains: ['example.edu'],
      scopes: ['openid', 'email'],
      tokenAuthMethod: 'client_secret_basic',
      enabled: true,
      createUsers: false,
      roleId: null,
      trustProviderMfa: false,
      createdAt: now,
      updatedAt: now,
      ...over,
    });

    it('seals the client secret and reads a provider back whole', async () => {
      const p = await providers.insert(idp({ emailDomains: ['seal.example.edu', 'alt.example.edu'] }));
      expect(await providers.get(p.id)).toEqual({ ...p, emailDomains: ['alt.example.edu', 'seal.example.edu'] });
      // trustProviderMfa (migration 0014) is kept, and changed by an update.
      await providers.update({ ...p, trustProviderMfa: true });
      expect((await providers.get(p.id))?.trustProviderMfa).toBe(true);
      const row = await store.db.selectFrom('identity_providers').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
      expect(row.client_secret_enc).not.toContain('client-secret');
      expect(await providers.get(2 ** 40)).toBeUndefined();
    });

    it('a domain belongs to one enabled provider per partner; disabled ones and other partners do not collide', async () => {
      await providers.insert(idp({ emailDomains: ['one.example.edu'] }));
      await expect(providers.insert(idp({ emailDomains: ['one.example.edu'] }))).rejects.toBeInstanceOf(DomainTakenError);
      const off = await providers.insert(idp({ emailDomains: ['one.example.edu'], enabled: false }));
      const other = await providers.insert(idp({ partnerId: partnerB, emailDomains: ['one.example.edu'] }));
      expect((await providers.enabledByDomain('one.example.edu')).map((p) => p.partnerId).sort()).toEqual([partnerA, partnerB].sort());
      expect((await providers.enabledByDomain('one.example.edu', partnerB)).map((p) => p.id)).toEqual([other.id]);
      await expect(providers.update({ ...off, enabled: true, updatedAt: now + 1 })).rejects.toBeInstanceOf(DomainTakenError);
      // The failed update changed nothing.
      expect((await providers.get(off.id))?.enabled).toBe(false);
      expect(await providers.delete(partnerB, off.id)).toBe(false);
      expect(await providers.delete(partnerA, off.id)).toBe(true);
      expect(await providers.get(off.id)).toBeUndefined();
    });

    it('tickets are taken once, by kind, before they expire', async () => {
      const t = { kind: 'flow' as const, id: 'f'.repeat(64), binding: 'b'.repeat(64), payload: { nonce: 'n', providerId: 1 }, createdAt: now, expiresAt: now + 600 };
      await tickets.put(t);
      expect(await tickets.take('handover', t.id, now)).toBeUndefined();
      await tickets.put({ ...t, id: 'e'.repeat(64) });
      const taken = await Promise.all([tickets.take('flow', 'e'.repeat(64), now), tickets.take('flow', 'e'.repeat(64), now)]);
      expect(taken.filter(Boolean)).toHaveLength(1);
      expect(taken.find(Boolean)).toMatchObject({ payload: { nonce: 'n', providerId: 1 }, binding: 'b'.repeat(64) });
      await tickets.put({ ...t, id: 'd'.repeat(64), expiresAt: now + 10 });
      expect(await tickets.take('flow', 'd'.repeat(64), now + 10)).toBeUndefined();
      const row = await store.db.selectFrom('sso_tickets').selectAll().executeTakeFirst();
      expect(row?.payload_enc ?? '').not.toContain('nonce');
    });
  });
}
