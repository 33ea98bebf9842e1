/**
 * Issue 15, points 1–3 and 8: "no one grants what they do not hold" and "who may read a secret"
 * hold on the Kaltura door (driven by the official client) exactly as on the REST door, because
 * both reach the same rules (services/grants.ts). Each case here was an escalation before.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';
import { accessToken, api, expectProblem } from '../../support/rest.js';

const { user, userRole, appToken, session, media, partner } = kaltura.services;
const O = kaltura.objects;
const USER = kaltura.enums.SessionType.USER;
const ADMIN = kaltura.enums.SessionType.ADMIN;
const notHeld = { code: 'PERMISSION_NOT_HELD' };

for (const dialect of DIALECTS) {
  describe(`no escalation through the Kaltura door [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let admin: string;
    let adminRoleId: number;
    const roleIdOf: Record<string, number> = {};

    /** A console user of the partner with a template role, and its ADMIN KS from a password login. */
    async function member(roleName: string): Promise<{ id: string; email: string; password: string; ks: string }> {
      const tag = randomBytes(3).toString('hex');
      const email = `${roleName.toLowerCase().replace(/\W/g, '')}-${tag}@uni.test`;
      const password = `long-enough-password-${tag}`;
      await run(client(t, admin), user.add(new O.User({ id: email, email, password, isAdmin: true, roleIds: String(roleIdOf[roleName]) })));
      const ks = await run<string>(client(t), user.loginByLoginId(email, password, p.id));
      return { id: email, email, password, ks };
    }

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'escalation');
      p = await registerPartner(t);
      admin = await adminKs(t, p);
      const roles = await run(client(t, admin), userRole.listAction(null, new O.FilterPager({ pageSize: 100 })));
      for (const r of roles.objects) roleIdOf[r.name] = r.id;
      adminRoleId = roles.objects.find((r: { systemName: string }) => r.systemName === 'PARTNER_ADMIN_ROLE').id;
    });
    afterAll(() => t?.close());

    it('1. a Manager cannot make itself or anyone an administrator, touch the owner, or mint an ADMIN token', async () => {
      const mgr = await member('Manager');
      const c = client(t, mgr.ks);
      // The outside pass's repro: user.update to role 1 (`*`), then userRole.add with `*`.
      expect(await failure(c, user.update(mgr.id, new O.User({ isAdmin: true, roleIds: String(adminRoleId) })))).toMatchObject(notHeld);
      // (The Manager template has no role permissions at all: the repro's userRole.add came after its escalation.)
      expect(await failure(c, userRole.add(new O.UserRole({ name: 'Everything', permissionNames: '*', status: 1 })))).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
      expect(await failure(c, user.add(new O.User({ id: 'evil-admin', email: 'evil@uni.test', password: 'long-enough-password-x', isAdmin: true, roleIds: String(adminRoleId) })))).toMatchObject(notHeld);
      // An admin without a role holds everything: the same refusal.
      expect(await failure(c, user.add(new O.User({ id: 'evil-admin2', email: 'evil2@uni.test', password: 'long-enough-password-x', isAdmin: true })))).toMatchObject(notHeld);
      // The account owner (every permission) is out of reach: its e-mail is a takeover.
      expect(await failure(c, user.update(p.adminEmail, new O.User({ email: 'attacker@evil.test' })))).toMatchObject(notHeld);
      expect(await failure(c, user.deleteAction(p.adminEmail))).toMatchObject(notHeld);
      expect(await failure(c, appToken.add(new O.AppToken({ sessionType: ADMIN })))).toMatchObject(notHeld);
      expect(await failure(c, appToken.add(new O.AppToken({})))).toMatchObject(notHeld);
      expect(await failure(c, appToken.add(new O.AppToken({ sessionType: USER, sessionPrivileges: `setrole:${adminRoleId}` })))).toMatchObject(notHeld);
      // ksPrivileges with a setrole is a grant of that role.
      expect(await failure(c, user.add(new O.User({ id: 'sneaky', ksPrivileges: `setrole:${adminRoleId}` })))).toMatchObject(notHeld);
      // What it holds, it may give: a console user with its own role, a USER token, a role within its power.
      expect(await run(c, user.add(new O.User({ id: 'helper@uni.test', email: 'helper@uni.test', password: 'long-enough-password-h', isAdmin: true, roleIds: String(roleIdOf.Manager) })))).toMatchObject({ isAdmin: true });
      expect(await run(c, appToken.add(new O.AppToken({ sessionType: USER })))).toMatchObject({ objectType: 'KalturaAppToken' });
      // Nothing changed on the Manager itself.
      expect(await run(client(t, admin), user.get(mgr.id))).toMatchObject({ roleIds: String(roleIdOf.Manager) });
    });

    it('1. a role editor gives roles only permissions it holds, and edits only roles within its power', async () => {
      const editorRole = await run(client(t, admin), userRole.add(new O.UserRole({ name: `Role editors ${dialect}`, permissionNames: 'KMC_ACCESS,ADMIN_BASE,ADMIN_ROLE_ADD,ADMIN_ROLE_UPDATE,ADMIN_ROLE_DELETE,CONTENT_MANAGE_BASE', status: 1 })));
      roleIdOf[editorRole.name] = editorRole.id;
      const ed = await member(editorRole.name);
      const c = client(t, ed.ks);
      expect(await failure(c, userRole.add(new O.UserRole({ name: 'Everything', permissionNames: '*', status: 1 })))).toMatchObject(notHeld);
      expect(await failure(c, userRole.add(new O.UserRole({ name: 'Users too', permissionNames: 'ADMIN_USER_ADD', status: 1 })))).toMatchObject(notHeld);
      // Its own role cannot grow, and a more powerful role cannot be edited or deleted.
      expect(await failure(c, userRole.update(editorRole.id, new O.UserRole({ permissionNames: '*' })))).toMatchObject(notHeld);
      expect(await failure(c, userRole.update(roleIdOf.Manager!, new O.UserRole({ description: 'mine now' })))).toMatchObject(notHeld);
      expect(await failure(c, userRole.deleteAction(roleIdOf.Manager!))).toMatchObject(notHeld);
      expect(await run(c, userRole.add(new O.UserRole({ name: `Readers ${dialect}`, permissionNames: 'CONTENT_MANAGE_BASE', status: 1 })))).toMatchObject({ permissionNames: 'CONTENT_MANAGE_BASE' });
      const token = await accessToken(t, ed.email, ed.password, p.id);
      expectProblem(await api(t, 'POST', '/api/roles', { token, body: { name: 'All', permissions: ['*'] } }), 403, 'PERMISSION_NOT_HELD');
    });

    it('1. the REST door refuses the same grants with 403 PERMISSION_NOT_HELD', async () => {
      const mgr = await member('Manager');
      const token = await accessToken(t, mgr.email, mgr.password, p.id);
      expectProblem(await api(t, 'PATCH', `/api/users/${encodeURIComponent(mgr.id)}`, { token, body: { roleId: adminRoleId } }), 403, 'PERMISSION_NOT_HELD');
      expectProblem(await api(t, 'POST', '/api/users', { token, body: { id: 'rest-evil', email: 'rest-evil@uni.test', isAdmin: true, password: 'long-enough-password-x' } }), 403, 'PERMISSION_NOT_HELD');
      expectProblem(await api(t, 'PATCH', `/api/users/${encodeURIComponent(p.adminEmail)}`, { token, body: { email: 'attacker@evil.test' } }), 403, 'PERMISSION_NOT_HELD');
      expectProblem(await api(t, 'POST', '/api/app-tokens', { token, body: { sessionType: 'admin' } }), 403, 'PERMISSION_NOT_HELD');
    });

    it('2. a read-only role reads app tokens without their values, and cannot mint from them', async () => {
      const made = await run(client(t, admin), appToken.add(new O.AppToken({ sessionType: ADMIN, description: 'integration' })));
      expect(made.token).toMatch(/^[0-9a-f]{32}$/);
      const mod = await member('Content Moderator');
      const c = client(t, mod.ks);
      const listed = await run(c, appToken.listAction());
      const mine = listed.objects.find((x: { id: string }) => x.id === made.id);
      expect(mine).toMatchObject({ id: made.id, description: 'integration' });
      expect(mine.token).toBeUndefined();
      expect(listed.objects.every((x: { token?: string }) => x.token === undefined)).toBe(true);
      expect((await run(c, appToken.get(made.id))).token).toBeUndefined();
      // The administrator (who could have created it) still reads the value, as on the real server.
      expect((await run(client(t, admin), appToken.get(made.id))).token).toBe(made.token);
      // A Manager may read the values of tokens whose power it holds, not of the ADMIN token.
      const mgr = await member('Manager');
      const userToken = await run(client(t, mgr.ks), appToken.add(new O.AppToken({ sessionType: USER })));
      expect((await run(client(t, mgr.ks), appToken.get(userToken.id))).token).toBe(userToken.token);
      expect((await run(client(t, mgr.ks), appToken.get(made.id))).token).toBeUndefined();
      // The read-only role cannot add users either way.
      expect(await failure(c, user.add(new O.User({ id: 'x-admin', email: 'x@uni.test', password: 'long-enough-password-x', isAdmin: true })))).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
      // REST: the list never had values; the same rule holds there.
      const token = await accessToken(t, mod.email, mod.password, p.id);
      const rest = await api(t, 'GET', '/api/app-tokens', { token });
      expect(rest.status).toBe(200);
      expect(JSON.stringify(rest.json)).not.toContain(made.token);
    });

    it("3. the user secret never yields an administrator's power", async () => {
      // setrole with the user secret is refused outright.
      expect(await failure(client(t), session.start(p.secret, 'anyone', USER, p.id, 600, `setrole:${adminRoleId}`))).toMatchObject({ code: 'PRIVILEGE_NOT_ALLOWED', args: { PRIVILEGE: 'setrole' } });
      // The admin secret may still give a role (it is the partner's own key).
      expect(await run(client(t), session.start(p.adminSecret, 'anyone', USER, p.id, 600, `setrole:${roleIdOf['Content Moderator']}`))).toEqual(expect.any(String));
      // A USER session naming the account owner acts as a basic user, not with the owner's role.
      const asOwner = await run<string>(client(t), session.start(p.secret, p.adminEmail, USER, p.id));
      expect(await failure(client(t, asOwner), user.add(new O.User({ id: 'via-user-secret', email: 'vus@uni.test', password: 'long-enough-password-v', isAdmin: true })))).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
      expect(await failure(client(t, asOwner), appToken.add(new O.AppToken({ sessionType: ADMIN })))).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
      // A password login cannot ask for a role either (the strict error map reads it as a wrong password).
      expect(await failure(client(t), user.loginByLoginId(p.adminEmail, p.password, p.id, 86400, `setrole:${adminRoleId}`))).toMatchObject({ code: 'USER_WRONG_PASSWORD' });
      // An app token's USER sessions act as a basic user whichever user the integration names.
      const tok = await run(client(t, admin), appToken.add(new O.AppToken({ sessionType: USER, hashType: 'SHA256' })));
      const widget = await run(client(t), session.startWidgetSession(`_${p.id}`));
      const { createHash } = await import('node:crypto');
      const hash = createHash('sha256').update(widget.ks + tok.token).digest('hex');
      const minted = await run(client(t, widget.ks), appToken.startSession(tok.id, hash, p.adminEmail, USER));
      expect(await failure(client(t, minted.ks), user.add(new O.User({ id: 'via-token', email: 'vt@uni.test', password: 'long-enough-password-t', isAdmin: true })))).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
      // partner.getSecrets: only for an administrator holding every permission.
      const mod = await member('Content Moderator');
      expect(await failure(client(t), partner.getSecrets(p.id, mod.email, mod.password))).toMatchObject({ code: 'USER_DATA_ERROR' });
      expect(await run(client(t), partner.getSecrets(p.id, p.adminEmail, p.password))).toMatchObject({ adminSecret: p.adminSecret });
    });

    it('8. entry writes follow the catalogue: no CONTENT_MANAGE_DELETE, no deleting others\u2019 entries', async () => {
      const owned = await run(client(t, admin), media.add(new O.MediaEntry({ name: 'lecture', mediaType: 1, userId: 'lecturer' })));
      const mod = await member('Content Moderator');
      const uploader = await member('Content Uploader');
      const required = (perm: string) => ({ code: 'PERMISSION_REQUIRED', args: { PERMISSIONS: perm } });
      expect(await failure(client(t, mod.ks), media.update(owned.id, new O.MediaEntry({ name: 'defaced' })))).toMatchObject(required('CONTENT_MANAGE_EDIT'));
      expect(await failure(client(t, mod.ks), media.deleteAction(owned.id))).toMatchObject(required('CONTENT_MANAGE_DELETE'));
      // The uploader holds CONTENT_MANAGE_EDIT (any entry) but not DELETE nor ACCESS_CONTROL.
      expect(await run(client(t, uploader.ks), media.update(owned.id, new O.MediaEntry({ tags: 'reviewed' })))).toMatchObject({ tags: 'reviewed' });
      expect(await failure(client(t, uploader.ks), media.deleteAction(owned.id))).toMatchObject(required('CONTENT_MANAGE_DELETE'));
      expect(await failure(client(t, uploader.ks), media.update(owned.id, new O.MediaEntry({ accessControlId: 0 })))).toMatchObject(required('CONTENT_MANAGE_ACCESS_CONTROL'));
      // Its own upload it may delete.
      const own = await run(client(t, uploader.ks), media.add(new O.MediaEntry({ name: 'mine', mediaType: 1 })));
      expect(await run(client(t, uploader.ks), media.deleteAction(own.id))).toBeNull();
      expect(await run(client(t, admin), media.get(owned.id))).toMatchObject({ name: 'lecture' });
      // REST: the same rule through the same service.
      const token = await accessToken(t, mod.email, mod.password, p.id);
      expectProblem(await api(t, 'PATCH', `/api/entries/${owned.id}`, { token, body: { name: 'defaced' } }), 403, 'PERMISSION_REQUIRED');
    });
  });
}
