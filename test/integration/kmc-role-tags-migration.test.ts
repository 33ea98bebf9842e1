/**
 * Migration 0016 (issue 20): an installation made before it has its built-in roles untagged, so
 * kmc-ng (which lists roles tagged `kmc` and finds the administrator's by `partner_admin`) showed
 * no roles. Its `up` tags the global administrator role and every partner's copies of the
 * templates; roles someone tagged, and other roles, keep their tags. Run on every dialect.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/core/crypto/secret-box.js';
import { createRepos, migrateToLatest, openStore, type Store } from '../../src/store/index.js';
import * as m0016 from '../../src/store/migrations/0016-kmc-role-tags.js';
import { DIALECTS, freshDatabaseUrl } from '../support/dialects.js';

const now = 1_800_000_000;

for (const dialect of DIALECTS) {
  describe(`migration 0016-kmc-role-tags [${dialect}]`, () => {
    let store: Store;
    let dir: string;
    const ids: Record<string, number> = {};
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'gh-0016-'));
      store = dialect === 'postgres' ? openStore({ databaseUrl: await freshDatabaseUrl('m0016') }) : openStore({ sqlitePath: path.join(dir, 'db.sqlite') });
      await migrateToLatest(store.db);
      const repos = createRepos(store.db, new SecretBox(randomBytes(32)));
      const role = async (key: string, partnerId: number, systemName: string, tags: string) => {
        ids[key] = (await repos.roles.insert({ partnerId, name: key, systemName, description: '', status: 1, permissionNames: 'KMC_ACCESS', tags, createdAt: now, updatedAt: now })).id;
      };
      // As an installation made before 0016 holds them: untagged.
      await role('admin', 0, 'PARTNER_ADMIN_ROLE', '');
      await role('basic', 0, 'BASE_USER_SESSION_ROLE', '');
      await role('manager', 100, 'MANAGER', '');
      await role('moderator', 100, 'CONTENT_MODERATOR', '');
      await role('template', 99, 'PLAYER_DESIGNER', '');
      await role('retagged', 100, 'CONTENT_UPLOADER', 'ours');
      await role('custom', 100, '', '');
    });
    afterAll(async () => {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const tagsOf = async () => {
      const rows = await store.db.selectFrom('user_roles').select(['id', 'tags']).execute();
      const byId = new Map(rows.map((r) => [r.id, r.tags]));
      return Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, byId.get(id)]));
    };

    it('up tags the administrator role kmc,partner_admin and the template copies kmc; others are left alone; down takes it back', async () => {
      await m0016.up(store.db);
      expect(await tagsOf()).toEqual({ admin: 'kmc,partner_admin', basic: '', manager: 'kmc', moderator: 'kmc', template: 'kmc', retagged: 'ours', custom: '' });
      await m0016.up(store.db);
      expect((await tagsOf()).admin).toBe('kmc,partner_admin');
      await m0016.down(store.db);
      expect(await tagsOf()).toEqual({ admin: '', basic: '', manager: '', moderator: '', template: '', retagged: 'ours', custom: '' });
    });
  });
}
