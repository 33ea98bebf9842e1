/**
 * /api/categories, /api/categories/{id}/members and /api/categories/{id}/entries: the category
 * services in plain JSON — a tree that moves and renames, sibling names unique, members and
 * entries with exact counters, delete moving entries to the parent, and the REST door's refusals
 * (403 without the permission, 404, 400, 409) as problem+json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, createKey, expectProblem, userWithPermissions } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`/api/categories [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-categories');
      p = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    const create = async (body: Record<string, unknown>): Promise<any> => {
      const r = await api(t, 'POST', '/api/categories', { token, body });
      if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.text}`);
      return r.json.data;
    };
    const entry = async (name: string): Promise<string> => (await api(t, 'POST', '/api/entries', { token, body: { name } })).json.data.id;
    const get = async (id: number): Promise<any> => (await api(t, 'GET', `/api/categories/${id}`, { token })).json.data;

    it('creates a tree and lists it in tree order, with filters and paging', async () => {
      const courses = await create({ name: 'Courses', description: 'all courses' });
      expect(courses).toMatchObject({ parentId: null, name: 'Courses', fullName: 'Courses', fullIds: String(courses.id), depth: 0, privacy: 'all', privacyContext: null, privacyContexts: null, appearInList: 'partnerOnly', inheritanceType: 'manual', owner: null, defaultPermissionLevel: 'member', userJoinPolicy: 'notAllowed', contributionPolicy: 'all', membersCount: 0, entriesCount: 0, directEntriesCount: 0 });
      expect(courses.createdAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
      const c101 = await create({ name: 'Course 101', parentId: courses.id, tags: 'physics' });
      const c102 = await create({ name: 'Course 102', parentId: courses.id });
      await create({ name: 'Archive' });
      expect(c101).toMatchObject({ parentId: courses.id, fullName: 'Courses>Course 101', fullIds: `${courses.id}>${c101.id}`, depth: 1 });
      expect((await get(courses.id)).directSubCategoriesCount).toBe(2);

      const all = await api(t, 'GET', '/api/categories', { token });
      expect(all.status).toBe(200);
      expect(all.json.data.map((c: { fullName: string }) => c.fullName)).toEqual(['Archive', 'Courses', 'Courses>Course 101', 'Courses>Course 102']);
      expect(all.json.page).toEqual({ pageIndex: 1, pageSize: 100, totalCount: 4 });
      const names = async (query: Record<string, string>) => (await api(t, 'GET', '/api/categories', { token, query })).json.data.map((c: { name: string }) => c.name);
      expect(await names({ parentId: String(courses.id) })).toEqual(['Course 101', 'Course 102']);
      expect(await names({ parentId: '0' })).toEqual(['Archive', 'Courses']);
      expect(await names({ fullNameStartsWith: 'courses' })).toEqual(['Courses', 'Course 101', 'Course 102']);
      expect(await names({ search: 'physics' })).toEqual(['Course 101']);
      const page2 = await api(t, 'GET', '/api/categories', { token, query: { pageSize: '3', page: '2' } });
      expect(page2.json.data.map((c: { name: string }) => c.name)).toEqual(['Course 102']);
      expect(page2.json.totalCount).toBe(4);
      expect((await api(t, 'GET', `/api/categories/${c102.id}`, { token })).json.data.fullName).toBe('Courses>Course 102');
    });

    it('renames and moves a subtree; a sibling name is unique (409); a category cannot move under itself (400)', async () => {
      const dept = await create({ name: 'Dept' });
      const sub = await create({ name: 'Sub', parentId: dept.id });
      const leaf = await create({ name: 'Leaf', parentId: sub.id });
      const other = await create({ name: 'Other' });

      const renamed = await api(t, 'PATCH', `/api/categories/${dept.id}`, { token, body: { name: 'Department' } });
      expect(renamed.status).toBe(200);
      expect(renamed.json.data.fullName).toBe('Department');
      expect((await get(leaf.id)).fullName).toBe('Department>Sub>Leaf');

      const moved = await api(t, 'PATCH', `/api/categories/${sub.id}`, { token, body: { parentId: other.id } });
      expect(moved.json.data).toMatchObject({ parentId: other.id, fullName: 'Other>Sub', fullIds: `${other.id}>${sub.id}`, depth: 1 });
      expect(await get(leaf.id)).toMatchObject({ fullName: 'Other>Sub>Leaf', fullIds: `${other.id}>${sub.id}>${leaf.id}`, depth: 2 });
      const toRoot = await api(t, 'PATCH', `/api/categories/${sub.id}`, { token, body: { parentId: null } });
      expect(toRoot.json.data).toMatchObject({ parentId: null, fullName: 'Sub', depth: 0 });
      expect((await get(leaf.id)).fullName).toBe('Sub>Leaf');

      await create({ name: 'Twin', parentId: other.id });
      expectProblem(await api(t, 'POST', '/api/categories', { token, body: { name: 'twin', parentId: other.id } }), 409, 'DUPLICATE_CATEGORY');
      const twin2 = await create({ name: 'Twin2', parentId: other.id });
      expectProblem(await api(t, 'PATCH', `/api/categories/${twin2.id}`, { token, body: { name: 'TWIN' } }), 409, 'DUPLICATE_CATEGORY');
      expectProblem(await api(t, 'PATCH', `/api/categories/${sub.id}`, { token, body: { parentId: leaf.id } }), 400, 'PARENT_CATEGORY_IS_CHILD');
    });

    it('sets privacy, context, owner and member policies; refuses them without a context', async () => {
      const mediaspace = await create({ name: 'MediaSpace', privacyContext: 'MEDIASPACE' });
      const course = await create({ name: 'Bio 1', parentId: mediaspace.id, privacy: 'membersOnly', appearInList: 'categoryMembersOnly', owner: 'teacher', userJoinPolicy: 'requestToJoin', defaultPermissionLevel: 'contributor', contributionPolicy: 'membersWithContributionPermission' });
      expect(course).toMatchObject({ privacy: 'membersOnly', privacyContext: null, privacyContexts: 'MEDIASPACE', appearInList: 'categoryMembersOnly', owner: 'teacher', userJoinPolicy: 'requestToJoin', defaultPermissionLevel: 'contributor', contributionPolicy: 'membersWithContributionPermission', membersCount: 1 });
      const lab = await create({ name: 'Lab', parentId: course.id, inheritanceType: 'inherit' });
      expect(lab).toMatchObject({ inheritanceType: 'inherit', inheritedFromId: course.id, owner: 'teacher', membersCount: 1 });
      const patched = await api(t, 'PATCH', `/api/categories/${course.id}`, { token, body: { privacy: 'authenticatedUsers' } });
      expect(patched.json.data.privacy).toBe('authenticatedUsers');

      expectProblem(await api(t, 'POST', '/api/categories', { token, body: { name: 'Open', privacy: 'membersOnly' } }), 400, 'CANNOT_SET_PRIVACY_FIELD_WITH_NO_PRIVACY_CONTEXT');
      expectProblem(await api(t, 'POST', '/api/categories', { token, body: { name: 'Bad', privacyContext: 'a b' } }), 400, 'PRIVACY_CONTEXT_INVALID_STRING');
      expectProblem(await api(t, 'POST', '/api/categories', { token, body: { name: 'Orphan', privacyContext: 'KMSCTX', inheritanceType: 'inherit' } }), 400, 'CANNOT_INHERIT_MEMBERS_WHEN_PARENT_CATEGORY_IS_NOT_SET');
    });

    it('members: add (default and given level), list, change level and status, remove; owner and inheriting categories refuse', async () => {
      const ctx = await create({ name: 'Portal', privacyContext: 'PORTAL' });
      const course = await create({ name: 'Chem 1', parentId: ctx.id, owner: 'prof' });
      const child = await create({ name: 'Chem 1 Lab', parentId: course.id, inheritanceType: 'inherit' });
      const base = `/api/categories/${course.id}/members`;

      const added = await api(t, 'POST', base, { token, body: { userId: 'student1' } });
      expect(added.status).toBe(201);
      expect(added.json.data).toMatchObject({ categoryId: course.id, userId: 'student1', permissionLevel: 'member', permissionNames: ['CATEGORY_VIEW'], status: 'active', updateMethod: 'manual', categoryFullIds: course.fullIds });
      expect((await api(t, 'POST', base, { token, body: { userId: 'ta1', permissionLevel: 'moderator' } })).json.data.permissionLevel).toBe('moderator');
      expectProblem(await api(t, 'POST', base, { token, body: { userId: 'student1' } }), 409, 'CATEGORY_USER_ALREADY_EXISTS');
      expectProblem(await api(t, 'POST', `/api/categories/${child.id}/members`, { token, body: { userId: 'student2' } }), 409, 'CATEGORY_INHERIT_MEMBERS');

      const list = await api(t, 'GET', base, { token });
      expect(list.status).toBe(200);
      expect(list.json.data.map((m: { userId: string; permissionLevel: string }) => [m.userId, m.permissionLevel])).toEqual([['prof', 'manager'], ['student1', 'member'], ['ta1', 'moderator']]);
      expect(list.json.totalCount).toBe(3);
      // The inheriting child answers with its parent's members.
      expect((await api(t, 'GET', `/api/categories/${child.id}/members`, { token })).json.data.map((m: { userId: string }) => m.userId)).toEqual(['prof', 'student1', 'ta1']);
      expect((await api(t, 'GET', base, { token, query: { search: 'stud' } })).json.data.map((m: { userId: string }) => m.userId)).toEqual(['student1']);

      const up = await api(t, 'PATCH', `${base}/student1`, { token, body: { permissionLevel: 'contributor' } });
      expect(up.status).toBe(200);
      expect(up.json.data).toMatchObject({ permissionLevel: 'contributor', permissionNames: ['CATEGORY_CONTRIBUTE', 'CATEGORY_VIEW'], status: 'active' });
      expect((await api(t, 'PATCH', `${base}/student1`, { token, body: { status: 'notActive' } })).json.data.status).toBe('notActive');
      expect((await get(course.id)).membersCount).toBe(2);
      expect((await api(t, 'PATCH', `${base}/student1`, { token, body: { permissionLevel: 'member', status: 'active' } })).json.data).toMatchObject({ permissionLevel: 'member', status: 'active' });
      expect((await get(course.id)).membersCount).toBe(3);

      expect((await api(t, 'DELETE', `${base}/ta1`, { token })).status).toBe(204);
      expectProblem(await api(t, 'DELETE', `${base}/ta1`, { token }), 404, 'INVALID_CATEGORY_USER_ID');
      expectProblem(await api(t, 'PATCH', `${base}/nobody`, { token, body: { permissionLevel: 'member' } }), 404, 'INVALID_CATEGORY_USER_ID');
      expectProblem(await api(t, 'DELETE', `${base}/prof`, { token }), 403, 'CANNOT_UPDATE_CATEGORY_USER_OWNER');
      expect((await get(course.id)).membersCount).toBe(2);
    });

    it('entries: add, list, remove with exact counters; duplicates and strangers refused', async () => {
      const top = await create({ name: 'Library' });
      const shelf = await create({ name: 'Shelf', parentId: top.id });
      const [e1, e2] = [await entry('Lecture A'), await entry('Lecture B')];
      const base = `/api/categories/${shelf.id}/entries`;

      const added = await api(t, 'POST', base, { token, body: { entryId: e1 } });
      expect(added.status).toBe(201);
      expect(added.json.data).toMatchObject({ categoryId: shelf.id, entryId: e1, status: 'active', categoryFullIds: shelf.fullIds });
      await api(t, 'POST', base, { token, body: { entryId: e2 } });
      expectProblem(await api(t, 'POST', base, { token, body: { entryId: e1 } }), 409, 'CATEGORY_ENTRY_ALREADY_EXISTS');
      expectProblem(await api(t, 'POST', base, { token, body: { entryId: '0_nosuchid' } }), 404, 'INVALID_ENTRY_ID');

      const list = await api(t, 'GET', base, { token });
      expect(list.json.data.map((l: { entryId: string }) => l.entryId).sort()).toEqual([e1, e2].sort());
      expect(list.json.totalCount).toBe(2);
      expect(await get(shelf.id)).toMatchObject({ entriesCount: 2, directEntriesCount: 2 });
      expect(await get(top.id)).toMatchObject({ entriesCount: 2, directEntriesCount: 0 });

      expect((await api(t, 'DELETE', `${base}/${e2}`, { token })).status).toBe(204);
      expectProblem(await api(t, 'DELETE', `${base}/${e2}`, { token }), 404, 'ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY');
      expect(await get(top.id)).toMatchObject({ entriesCount: 1 });
      expect((await api(t, 'GET', base, { token })).json.data.map((l: { entryId: string }) => l.entryId)).toEqual([e1]);
    });

    it('delete: the subtree goes; its entries move to the parent unless moveEntriesToParent=false', async () => {
      const parent = await create({ name: 'Term' });
      const child = await create({ name: 'Week 1', parentId: parent.id });
      const grandchild = await create({ name: 'Day 1', parentId: child.id });
      const [e1, e2] = [await entry('Slides'), await entry('Notes')];
      await api(t, 'POST', `/api/categories/${grandchild.id}/entries`, { token, body: { entryId: e1 } });
      expect((await api(t, 'DELETE', `/api/categories/${child.id}`, { token })).status).toBe(204);
      for (const id of [child.id, grandchild.id]) expectProblem(await api(t, 'GET', `/api/categories/${id}`, { token }), 404, 'CATEGORY_NOT_FOUND');
      expect((await api(t, 'GET', `/api/categories/${parent.id}/entries`, { token })).json.data.map((l: { entryId: string }) => l.entryId)).toEqual([e1]);
      expect(await get(parent.id)).toMatchObject({ directEntriesCount: 1, entriesCount: 1, directSubCategoriesCount: 0 });

      const week2 = await create({ name: 'Week 2', parentId: parent.id });
      await api(t, 'POST', `/api/categories/${week2.id}/entries`, { token, body: { entryId: e2 } });
      expect((await api(t, 'DELETE', `/api/categories/${week2.id}`, { token, query: { moveEntriesToParent: 'false' } })).status).toBe(204);
      expect((await api(t, 'GET', `/api/categories/${parent.id}/entries`, { token })).json.data.map((l: { entryId: string }) => l.entryId)).toEqual([e1]);
      expect(await get(parent.id)).toMatchObject({ entriesCount: 1 });
    });

    it('403 without the permission, for a user token and an API key', async () => {
      const reader = await userWithPermissions(t, p, 'CONTENT_MANAGE_BASE');
      const readerToken = await accessToken(t, reader.email, reader.password);
      const c = await create({ name: 'Guarded' });
      expect((await api(t, 'GET', '/api/categories', { token: readerToken })).status).toBe(200);
      expect((await api(t, 'GET', `/api/categories/${c.id}/entries`, { token: readerToken })).status).toBe(200);
      expectProblem(await api(t, 'POST', '/api/categories', { token: readerToken, body: { name: 'Nope' } }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await api(t, 'PATCH', `/api/categories/${c.id}`, { token: readerToken, body: { name: 'Nope' } }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await api(t, 'DELETE', `/api/categories/${c.id}`, { token: readerToken }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await api(t, 'GET', `/api/categories/${c.id}/members`, { token: readerToken }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await api(t, 'POST', `/api/categories/${c.id}/members`, { token: readerToken, body: { userId: 'x1' } }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await api(t, 'POST', `/api/categories/${c.id}/entries`, { token: readerToken, body: { entryId: 'x1' } }), 403, 'PERMISSION_REQUIRED');

      const bareKey = await createKey(t, token);
      expectProblem(await api(t, 'GET', '/api/categories', { key: bareKey }), 403, 'PERMISSION_REQUIRED');
      const editorKey = await createKey(t, token, { permissions: ['CONTENT_MANAGE_EDIT_CATEGORIES'] });
      expect((await api(t, 'POST', '/api/categories', { key: editorKey, body: { name: 'By key' } })).status).toBe(201);
      expectProblem(await api(t, 'POST', `/api/categories/${c.id}/members`, { key: editorKey, body: { userId: 'x1' } }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await api(t, 'GET', '/api/categories'), 401, 'AUTHENTICATION_REQUIRED');
    });

    it('404 for unknown categories, 400 for bad input (never 500)', async () => {
      for (const path of ['/api/categories/987654', '/api/categories/987654/members', '/api/categories/987654/entries']) expectProblem(await api(t, 'GET', path, { token }), 404, 'CATEGORY_NOT_FOUND');
      expectProblem(await api(t, 'PATCH', '/api/categories/987654', { token, body: { name: 'x' } }), 404, 'CATEGORY_NOT_FOUND');
      expectProblem(await api(t, 'DELETE', '/api/categories/987654', { token }), 404, 'CATEGORY_NOT_FOUND');
      expectProblem(await api(t, 'POST', '/api/categories', { token, body: { name: 'Lost', parentId: 987654 } }), 404, 'CATEGORY_NOT_FOUND');
      expectProblem(await api(t, 'POST', '/api/categories/987654/members', { token, body: { userId: 'u1' } }), 404, 'CATEGORY_NOT_FOUND');

      const c = await create({ name: 'Strict' });
      const bad: Array<[string, string, unknown?, Record<string, string>?]> = [
        ['GET', '/api/categories/abc'],
        ['GET', '/api/categories/0'],
        ['GET', '/api/categories', undefined, { parentId: 'x' }],
        ['POST', '/api/categories', {}],
        ['POST', '/api/categories', { name: '' }],
        ['POST', '/api/categories', { name: 'x'.repeat(201) }],
        ['POST', '/api/categories', { name: 'X', color: 'red' }],
        ['POST', '/api/categories', { name: 'X', privacy: 'secret' }],
        ['POST', '/api/categories', { name: 'X', privacy: 3 }],
        ['PATCH', `/api/categories/${c.id}`, {}],
        ['DELETE', `/api/categories/${c.id}`, undefined, { moveEntriesToParent: 'maybe' }],
        ['POST', `/api/categories/${c.id}/members`, { permissionLevel: 'member' }],
        ['POST', `/api/categories/${c.id}/members`, { userId: 'u1', permissionLevel: 'owner' }],
        ['PATCH', `/api/categories/${c.id}/members/u1`, { status: 'pending' }],
        ['POST', `/api/categories/${c.id}/entries`, {}],
      ];
      for (const [method, path, body, query] of bad) {
        const r = await api(t, method, path, { token, ...(body !== undefined ? { body } : {}), ...(query ? { query } : {}) });
        expect([r.status, r.json?.code], `${method} ${path} ${JSON.stringify(body ?? query)}`).toEqual([400, 'INVALID_REQUEST']);
      }
      // A name of blanks passes the schema and is refused by the service's rule.
      expectProblem(await api(t, 'POST', '/api/categories', { token, body: { name: '   ' } }), 400, 'PROPERTY_VALIDATION_MIN_LENGTH');
      // Still there: the refused DELETE did nothing.
      expect((await api(t, 'GET', `/api/categories/${c.id}`, { token })).status).toBe(200);
    });

    it('documents the routes in /docs/json', async () => {
      const doc = (await api(t, 'GET', '/docs/json')).json;
      expect(Object.keys(doc.paths).filter((k) => k.startsWith('/api/categories'))).toEqual(expect.arrayContaining(['/api/categories', '/api/categories/{id}', '/api/categories/{id}/members', '/api/categories/{id}/members/{userId}', '/api/categories/{id}/entries', '/api/categories/{id}/entries/{entryId}']));
      expect(Object.keys(doc.paths['/api/categories/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
      const privacy = doc.paths['/api/categories'].post.requestBody.content['application/json'].schema.properties.privacy;
      expect(privacy.enum).toEqual(['all', 'authenticatedUsers', 'membersOnly']);
      expect(doc.paths['/api/categories/{id}/members'].post.responses['409'].content['application/problem+json']).toBeDefined();
    });
  });
}
