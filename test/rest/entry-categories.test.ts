/**
 * GET /api/entries/{id}/categories: the categories an entry is in (the console's entries page),
 * each link with its category's full name; follows links and unlinks; 404 for an unknown entry,
 * 403 without a content permission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api, createKey, expectProblem } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`/api/entries/{id}/categories [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-entry-categories');
      p = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    const create = async (body: Record<string, unknown>): Promise<{ id: number; fullIds: string }> => (await api(t, 'POST', '/api/categories', { token, body })).json.data;

    it("lists the entry's categories by full name, following links and unlinks", async () => {
      const courses = await create({ name: 'Courses', privacyContext: 'MEDIASPACE' });
      const c101 = await create({ name: 'Course 101', parentId: courses.id });
      const lobby = await create({ name: 'Lobby' });
      const entryId: string = (await api(t, 'POST', '/api/entries', { token, body: { name: 'Lecture 1' } })).json.data.id;
      const path = `/api/entries/${entryId}/categories`;

      const none = await api(t, 'GET', path, { token });
      expect(none.status).toBe(200);
      expect(none.json).toMatchObject({ data: [], totalCount: 0 });

      for (const c of [c101, lobby]) expect((await api(t, 'POST', `/api/categories/${c.id}/entries`, { token, body: { entryId } })).status).toBe(201);
      const two = await api(t, 'GET', path, { token });
      expect(two.json.totalCount).toBe(2);
      const sorted = [...two.json.data].sort((a: { categoryId: number }, b: { categoryId: number }) => a.categoryId - b.categoryId);
      expect(sorted).toMatchObject([
        { categoryId: c101.id, entryId, status: 'active', categoryFullIds: c101.fullIds, categoryFullName: 'Courses>Course 101' },
        { categoryId: lobby.id, entryId, status: 'active', categoryFullName: 'Lobby' },
      ]);

      expect((await api(t, 'DELETE', `/api/categories/${c101.id}/entries/${entryId}`, { token })).status).toBe(204);
      expect((await api(t, 'GET', path, { token })).json.data.map((l: { categoryFullName: string }) => l.categoryFullName)).toEqual(['Lobby']);
    });

    it('404 for an unknown entry, 403 without a content permission, documented', async () => {
      expectProblem(await api(t, 'GET', '/api/entries/0_nosuchid/categories', { token }), 404, 'ENTRY_ID_NOT_FOUND');
      const entryId: string = (await api(t, 'POST', '/api/entries', { token, body: { name: 'Lecture 2' } })).json.data.id;
      expectProblem(await api(t, 'GET', `/api/entries/${entryId}/categories`, { key: await createKey(t, token) }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await api(t, 'GET', `/api/entries/${entryId}/categories`), 401, 'AUTHENTICATION_REQUIRED');
      const doc = (await api(t, 'GET', '/docs/json')).json;
      expect(doc.paths['/api/entries/{id}/categories'].get.responses['200']).toBeDefined();
    });
  });
}
