/** appToken.* through the official client, on every dialect (protocol §3). */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const hash = (alg: string, ks: string, token: string) => createHash(alg).update(ks + token).digest('hex');

for (const dialect of DIALECTS) {
  describe(`appToken service [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let admin: any;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'app-token');
      p = await registerPartner(t);
      admin = client(t, await adminKs(t, p));
    });
    afterAll(() => t?.close());

    const add = (fields: Record<string, unknown> = {}) => run(admin, kaltura.services.appToken.add(new kaltura.objects.AppToken(fields)));
    /** The canonical flow: widget session → hash over that exact KS → startSession with it. */
    async function mint(token: any, alg = 'sha1', args: { userId?: string; type?: number; expiry?: number; privileges?: string } = {}) {
      const widget = await run(client(t), kaltura.services.session.startWidgetSession(`_${p.id}`));
      const c = client(t, widget.ks);
      return run(c, kaltura.services.appToken.startSession(token.id, hash(alg, widget.ks, token.token), args.userId ?? null, args.type ?? null, args.expiry ?? null, args.privileges ?? null));
    }

    it('add returns id 0_xxxxxxxx, a 32-hex token, status ACTIVE, SHA1 and the partner KS maximum by default', async () => {
      const tok = await add({ description: 'LMS' });
      expect(tok).toMatchObject({ objectType: 'KalturaAppToken', partnerId: p.id, status: 2, hashType: 'SHA1', sessionDuration: 86400, description: 'LMS' });
      expect(tok.id).toMatch(/^0_[0-9a-z]{8}$/);
      expect(tok.token).toMatch(/^[0-9a-f]{32}$/);
      expect(tok.sessionType).toBeUndefined();
      // Sealed at rest: the value is not in the table.
      const row = await t.store.db.selectFrom('app_tokens').selectAll().where('id', '=', tok.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(tok.token);
    });

    it('readonly fields are refused on add and hashType cannot change', async () => {
      expect(await failure(admin, kaltura.services.appToken.add(new kaltura.objects.AppToken({ token: 'x' })))).toMatchObject({ code: 'PROPERTY_VALIDATION_NOT_UPDATABLE', args: { PROP_NAME: 'KalturaAppToken::token' } });
      const tok = await add({ hashType: 'SHA256' });
      expect(await failure(admin, kaltura.services.appToken.update(tok.id, new kaltura.objects.AppToken({ hashType: 'MD5' })))).toMatchObject({ code: 'PROPERTY_VALIDATION_NOT_UPDATABLE', args: { PROP_NAME: 'KalturaAppToken::hashType' } });
      expect(await failure(admin, kaltura.services.appToken.add(new kaltura.objects.AppToken({ hashType: 'sha256' })))).toMatchObject({ code: 'INVALID_ENUM_VALUE', args: { PARAM_NAME: 'hashType' } });
      expect(await failure(admin, kaltura.services.appToken.add(new kaltura.objects.AppToken({ sessionUserId: 'bad user' })))).toMatchObject({ code: 'INVALID_FIELD_VALUE', args: { FIELD_NAME: 'sessionUserId' } });
    });

    it('expiry -1 or 0 on update removes the expiry date', async () => {
      const tok = await add({ expiry: 3600 });
      const cleared = await run(admin, kaltura.services.appToken.update(tok.id, new kaltura.objects.AppToken({ expiry: -1 })));
      expect(cleared.expiry).toBeUndefined();
      expect((await mint(cleared)).ks).toMatch(/^djJ8/);
    });

    it('relative expiry is converted to absolute time', async () => {
      const now = Math.floor(t.clock.nowMs() / 1000);
      const tok = await add({ expiry: 3600 });
      expect(tok.expiry).toBe(now + 3600);
      const abs = await add({ expiry: now + 10 * 365 * 86400 + 5 });
      expect(abs.expiry).toBe(now + 10 * 365 * 86400 + 5);
    });

    for (const [type, alg] of [['MD5', 'md5'], ['SHA1', 'sha1'], ['SHA256', 'sha256'], ['SHA512', 'sha512']] as const) {
      it(`startSession with ${type} mints a KS bound to the token`, async () => {
        const tok = await add({ hashType: type });
        const info = await mint(tok, alg, { userId: 'lms-bot' });
        expect(info).toMatchObject({ objectType: 'KalturaSessionInfo', partnerId: p.id, userId: 'lms-bot', sessionType: 0, privileges: `sessionid:${tok.id},apptoken:${tok.id}` });
        expect(info.ks).toMatch(/^djJ8/);
        const widget = await run(client(t), kaltura.services.session.startWidgetSession(`_${p.id}`));
        const wrong = await failure(client(t, widget.ks), kaltura.services.appToken.startSession(tok.id, hash(alg, widget.ks, tok.token).toUpperCase()));
        expect(wrong).toMatchObject({ code: 'INVALID_APP_TOKEN_HASH', args: [] });
      });
    }

    it('the token decides type and user; the caller cannot override them', async () => {
      const tok = await add({ sessionType: 2, sessionUserId: 'svc-captions', hashType: 'SHA256' });
      const info = await mint(tok, 'sha256', { userId: 'someone-else', type: 0 });
      expect(info).toMatchObject({ userId: 'svc-captions', sessionType: 2 });
      // Kaltura creates the token's user.
      expect(await run(admin, kaltura.services.user.get('svc-captions'))).toMatchObject({ id: 'svc-captions' });
    });

    it('expiry = min(requested, duration, token expiry − now)', async () => {
      const now = () => Math.floor(t.clock.nowMs() / 1000);
      const tok = await add({ sessionDuration: 600 });
      expect((await mint(tok, 'sha1')).expiry).toBe(now() + 600);
      expect((await mint(tok, 'sha1', { expiry: 60 })).expiry).toBe(now() + 60);
      expect((await mint(tok, 'sha1', { expiry: 6000 })).expiry).toBe(now() + 600);
      const soon = await add({ sessionDuration: 600, expiry: now() + 100 });
      expect((await mint(soon, 'sha1')).expiry).toBe(now() + 100);
      // Not capped by the partner's KS maximum.
      const long = await add({ sessionDuration: 5 * 86400 });
      expect((await mint(long, 'sha1')).expiry).toBe(now() + 5 * 86400);
      t.clock.advance(101);
      const ex = await failure(client(t, (await run(client(t), kaltura.services.session.startWidgetSession(`_${p.id}`))).ks), kaltura.services.appToken.startSession(soon.id, 'x'));
      expect(ex.code).toBe('INVALID_APP_TOKEN_HASH');
      const expired = await mint(soon, 'sha1').catch((e) => e);
      expect(expired).toMatchObject({ code: 'APP_TOKEN_EXPIRED', args: { ID: soon.id } });
    });

    it('privileges: token ones kept, reserved ones the caller adds dropped, * values narrowed', async () => {
      const tok = await add({ sessionPrivileges: 'privacycontext:courses,download:*,enableentitlement' });
      const info = await mint(tok, 'sha1', { privileges: 'download:0_abc,setrole:1,actionslimit:1000,sessionid:evil,privacycontext:other,list:*,widget:1,*' });
      const names = info.privileges.split(',');
      expect(names.slice(0, 2)).toEqual([`sessionid:${tok.id}`, `apptoken:${tok.id}`]);
      expect(names).toContain('privacycontext:courses');
      expect(names).toContain('download:0_abc');
      expect(names).toContain('enableentitlement');
      expect(names).toContain('widget:1');
      expect(names).not.toContain('list:*'); // reserved by the server
      expect(info.privileges).not.toMatch(/setrole|actionslimit|evil|other|(^|,)\*(,|$)/);
      const got = await run(client(t, await adminKs(t, p)), kaltura.services.session.get(info.ks));
      expect(got.privileges).toBe(info.privileges);
    });

    it('setrole in the token limits the session to that role; urirestrict is enforced', async () => {
      const role = await run(admin, kaltura.services.userRole.add(new kaltura.objects.UserRole({ name: `Reader ${Date.now()}`, permissionNames: 'BASE_USER_SESSION_PERMISSION,ADMIN_BASE' })));
      const tok = await add({ sessionType: 2, sessionPrivileges: `setrole:${role.id}` });
      const info = await mint(tok);
      const c = client(t, info.ks);
      expect(await run(c, kaltura.services.user.listAction())).toMatchObject({ objectType: 'KalturaUserListResponse' });
      expect(await failure(c, kaltura.services.appToken.add(new kaltura.objects.AppToken({})))).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'apptoken->add' } });
      expect(await failure(admin, kaltura.services.appToken.add(new kaltura.objects.AppToken({ sessionPrivileges: 'setrole:NO_SUCH' })))).toMatchObject({ code: 'UNKNOWN_ROLE_ID' });
      const uri = await add({ sessionType: 2, sessionPrivileges: 'urirestrict:/api_v3/service/user/*' });
      const u = client(t, (await mint(uri)).ks);
      expect(await run(u, kaltura.services.user.listAction())).toMatchObject({ objectType: 'KalturaUserListResponse' });
      expect(await failure(u, kaltura.services.appToken.listAction())).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'EXCEEDED_RESTRICTED_URI' } });
    });

    it('delete revokes every KS minted from the token, on every node, and the token disappears', async () => {
      const tok = await add({ sessionType: 2 });
      const a = (await mint(tok)).ks;
      const b = (await mint(tok)).ks;
      const second = await startGatehouse(dialect, 'app-token-node2', { share: t });
      try {
        expect(await run(client(second, b), kaltura.services.user.listAction())).toMatchObject({ objectType: 'KalturaUserListResponse' });
        expect(await run(admin, kaltura.services.appToken.deleteAction(tok.id))).toBeNull();
        expect(await failure(client(t, a), kaltura.services.user.listAction())).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'LOGOUT' } });
        await new Promise((r) => setTimeout(r, 400));
        expect(await failure(client(second, b), kaltura.services.user.listAction())).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'LOGOUT' } });
      } finally {
        await second.close();
      }
      expect(await failure(admin, kaltura.services.appToken.get(tok.id))).toMatchObject({ code: 'APP_TOKEN_ID_NOT_FOUND', args: { ID: tok.id } });
      expect(await mint(tok).catch((e) => e)).toMatchObject({ code: 'APP_TOKEN_ID_NOT_FOUND' });
      const list = await run(admin, kaltura.services.appToken.listAction(new kaltura.objects.AppTokenFilter({ idEqual: tok.id })));
      expect(list.totalCount).toBe(0);
    });

    it('delete also ends widget-shaped sessions minted from the token (no user, widget:1)', async () => {
      const tok = await add({ sessionPrivileges: 'widget:1' });
      const minted = await mint(tok);
      expect(minted.privileges).toContain('widget:1');
      const c = client(t, minted.ks);
      expect(await failure(c, kaltura.services.user.get())).toMatchObject({ code: 'INVALID_USER_ID' });
      await run(admin, kaltura.services.appToken.deleteAction(tok.id));
      expect(await failure(c, kaltura.services.user.get())).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'LOGOUT' } });
    });

    it('ending one minted KS ends its siblings (shared sessionid)', async () => {
      const tok = await add({ sessionType: 2 });
      const a = (await mint(tok)).ks;
      const b = (await mint(tok)).ks;
      await run(client(t, a), kaltura.services.session.end());
      expect(await failure(client(t, b), kaltura.services.user.listAction())).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'LOGOUT' } });
    });

    it('other partners never see a token, not even to start a session', async () => {
      const other = await registerPartner(t, 'Other U');
      const tok = await add();
      const foreign = client(t, await adminKs(t, other));
      expect(await failure(foreign, kaltura.services.appToken.get(tok.id))).toMatchObject({ code: 'APP_TOKEN_ID_NOT_FOUND' });
      const w = await run(client(t), kaltura.services.session.startWidgetSession(`_${other.id}`));
      expect(await failure(client(t, w.ks), kaltura.services.appToken.startSession(tok.id, hash('sha1', w.ks, tok.token)))).toMatchObject({ code: 'APP_TOKEN_ID_NOT_FOUND' });
    });

    it('list filters, orders and pages; get and update work; USER sessions cannot manage tokens', async () => {
      const mine = await registerPartner(t, 'Lister');
      const c = client(t, await adminKs(t, mine));
      const made = [];
      for (let i = 0; i < 3; i++) {
        made.push(await run(c, kaltura.services.appToken.add(new kaltura.objects.AppToken({ description: `t${i}`, sessionUserId: i === 1 ? 'u1' : null }))));
        t.clock.advance(1);
      }
      const all = await run(c, kaltura.services.appToken.listAction(new kaltura.objects.AppTokenFilter({ orderBy: '-createdAt' }), new kaltura.objects.FilterPager({ pageSize: 2 })));
      expect(all.totalCount).toBe(3);
      expect(all.objects.map((o: any) => o.description)).toEqual(['t2', 't1']);
      const byUser = await run(c, kaltura.services.appToken.listAction(new kaltura.objects.AppTokenFilter({ sessionUserIdEqual: 'u1' })));
      expect(byUser.objects.map((o: any) => o.id)).toEqual([made[1].id]);
      expect(await run(c, kaltura.services.appToken.get(made[0].id))).toMatchObject({ id: made[0].id, description: 't0' });
      expect(await run(c, kaltura.services.appToken.update(made[0].id, new kaltura.objects.AppToken({ description: 'renamed', sessionDuration: 120 })))).toMatchObject({ description: 'renamed', sessionDuration: 120 });
      const userKs = await run<string>(client(t), kaltura.services.session.start(mine.secret, 'student', 0, mine.id));
      expect(await failure(client(t, userKs), kaltura.services.appToken.listAction())).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'apptoken->list' } });
    });

    it('every change and every startSession is audited with the token id, never its value', async () => {
      const tok = await add();
      await mint(tok);
      await mint({ ...tok, token: 'f'.repeat(32) }).catch(() => undefined);
      const rows = await t.store.db.selectFrom('audit_log').selectAll().where('target', '=', tok.id).execute();
      const actions = rows.map((r) => `${r.action}:${r.outcome}`);
      expect(actions).toEqual(expect.arrayContaining(['appToken.add:success', 'appToken.startSession:success', 'appToken.startSession:failure']));
      const table = JSON.stringify(await t.store.db.selectFrom('audit_log').selectAll().execute());
      expect(table).not.toContain(tok.token);
    });
  });
}
