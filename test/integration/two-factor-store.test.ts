/** Two-factor enrolments and recovery codes on SQLite and PostgreSQL: sealed at rest, each "once" a guarded write. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/core/crypto/secret-box.js';
import type { Repos } from '../../src/services/ports.js';
import { createRepos, migrateToLatest, openStore, type Store } from '../../src/store/index.js';
import { DIALECTS, freshDatabaseUrl } from '../support/dialects.js';

const now = 1_800_000_000;
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

for (const dialect of DIALECTS) {
  describe(`two-factor store [${dialect}]`, () => {
    let store: Store;
    let repos: Repos;
    let dir: string;
    let loginId: number;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'gh-2fa-'));
      store = dialect === 'postgres' ? openStore({ databaseUrl: await freshDatabaseUrl('two-factor-store') }) : openStore({ sqlitePath: path.join(dir, 'db.sqlite') });
      await migrateToLatest(store.db);
      repos = createRepos(store.db, new SecretBox(randomBytes(32)));
      const l = await repos.logins.insert({ loginEmail: 'ana@example.com', passwordHash: 'h', firstName: '', lastName: '', loginAttempts: 0, blockedUntil: null, lastLoginPartnerId: null, lastLoginAt: null, passwordChangedAt: now, createdAt: now, updatedAt: now });
      loginId = l.id;
    });
    afterAll(async () => {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps the secret sealed, restarts a pending enrolment, confirms only the current one', async () => {
      expect(await repos.twoFactor.start({ loginDataId: loginId, enrolmentId: 'e1', secret: SECRET, createdAt: now })).toBe(true);
      const raw = await store.db.selectFrom('two_factor').selectAll().executeTakeFirstOrThrow();
      expect(raw.secret_enc).not.toContain(SECRET);
      expect(await repos.twoFactor.get(loginId)).toMatchObject({ enrolmentId: 'e1', secret: SECRET, status: 'pending', lastStep: null });
      // Started again: the first enrolment can no longer be confirmed.
      expect(await repos.twoFactor.start({ loginDataId: loginId, enrolmentId: 'e2', secret: SECRET, createdAt: now })).toBe(true);
      expect(await repos.twoFactor.confirm(loginId, 'e1', 100, ['h1'], now)).toBe(false);
      expect(await repos.twoFactor.confirm(loginId, 'e2', 100, ['h1', 'h2'], now)).toBe(true);
      expect(await repos.twoFactor.confirm(loginId, 'e2', 100, ['h1', 'h2'], now)).toBe(false);
      expect(await repos.twoFactor.get(loginId)).toMatchObject({ status: 'confirmed', lastStep: 100, confirmedAt: now });
      // A confirmed enrolment is not replaced by starting another.
      expect(await repos.twoFactor.start({ loginDataId: loginId, enrolmentId: 'e3', secret: SECRET, createdAt: now })).toBe(false);
      expect((await repos.twoFactor.get(loginId))?.enrolmentId).toBe('e2');
    });

    it('accepts each step once and only later steps, also under concurrency', async () => {
      expect(await repos.twoFactor.acceptStep(loginId, 100)).toBe(false);
      expect(await repos.twoFactor.acceptStep(loginId, 99)).toBe(false);
      const race = await Promise.all(Array.from({ length: 8 }, () => repos.twoFactor.acceptStep(loginId, 101)));
      expect(race.filter(Boolean)).toHaveLength(1);
      expect((await repos.twoFactor.get(loginId))?.lastStep).toBe(101);
    });

    it('uses each recovery code once', async () => {
      expect(await repos.twoFactor.recoveryCodesLeft(loginId)).toBe(2);
      const race = await Promise.all(Array.from({ length: 6 }, () => repos.twoFactor.useRecoveryCode(loginId, 'h1', now)));
      expect(race.filter(Boolean)).toHaveLength(1);
      expect(await repos.twoFactor.useRecoveryCode(loginId, 'nope', now)).toBe(false);
      expect(await repos.twoFactor.recoveryCodesLeft(loginId)).toBe(1);
    });

    it('removes the enrolment with its codes', async () => {
      expect(await repos.twoFactor.remove(loginId)).toBe(true);
      expect(await repos.twoFactor.remove(loginId)).toBe(false);
      expect(await repos.twoFactor.get(loginId)).toBeUndefined();
      expect(await repos.twoFactor.recoveryCodesLeft(loginId)).toBe(0);
    });
  });
}
