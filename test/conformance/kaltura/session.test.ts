/** session.* through the official client, on every dialect (protocol §2). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

for (const dialect of DIALECTS) {
  describe(`session service [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'session');
      p = await registerPartner(t);
    });
    afterAll(() => t?.close());

    it('start returns a v2 KS that session.get describes with string fields', async () => {
      const ks = await run<string>(client(t), kaltura.services.session.start(p.adminSecret, 'alice', 2, p.id, 3600, 'sview:*,list:*'));
      expect(ks.startsWith('djJ8')).toBe(true);
      const info = await run(client(t, ks), kaltura.services.session.get());
      expect(info).toMatchObject({ objectType: 'KalturaSessionInfo', partnerId: String(p.id), userId: 'alice', sessionType: '2', privileges: 'sview:*,list:*' });
      expect(Number(info.expiry) - Math.floor(t.clock.nowMs() / 1000)).toBe(3600);
    });

    it('the user secret starts USER sessions only', async () => {
      const ks = await run<string>(client(t), kaltura.services.session.start(p.secret, 'bob', 0, p.id));
      expect(ks).toMatch(/^djJ8/);
      const ex = await failure(client(t), kaltura.services.session.start(p.secret, 'bob', 2, p.id));
      expect(ex).toMatchObject({ code: 'START_SESSION_ERROR', args: { PID: String(p.id) } });
    });

    it('a wrong secret or a missing partner id is START_SESSION_ERROR', async () => {
      expect(await failure(client(t), kaltura.services.session.start('0'.repeat(32), '', 2, p.id))).toMatchObject({ code: 'START_SESSION_ERROR' });
      expect(await failure(client(t), kaltura.services.session.start(p.adminSecret, '', 2))).toMatchObject({ code: 'START_SESSION_ERROR', args: { PID: '0' } });
    });

    it('an unknown partner id is refused before the action', async () => {
      expect(await failure(client(t), kaltura.services.session.start(p.adminSecret, '', 2, 987654))).toMatchObject({ code: 'SERVICE_FORBIDDEN_CONTENT_BLOCKED' });
    });

    it('session type 1 is not a valid enum value', async () => {
      expect(await failure(client(t), kaltura.services.session.start(p.adminSecret, '', 1, p.id))).toMatchObject({ code: 'INVALID_ENUM_VALUE', args: { ENUM_VAL: '1', PARAM_NAME: 'type', ENUM_TYPE: 'KalturaSessionType' } });
    });

    it('expiry is capped by the partner maximum and 0 gives an expired KS', async () => {
      const ks = await run<string>(client(t), kaltura.services.session.start(p.adminSecret, '', 2, p.id, 10 * 86400));
      const info = await run(client(t, ks), kaltura.services.session.get());
      expect(Number(info.expiry) - Math.floor(t.clock.nowMs() / 1000)).toBe(86400);
      const dead = await run<string>(client(t), kaltura.services.session.start(p.adminSecret, '', 2, p.id, 0));
      expect(await failure(client(t, dead), kaltura.services.session.get())).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'EXPIRED', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' } });
    });

    it('a garbled KS is INVALID_KS with the KS itself as KSID', async () => {
      const ks = await adminKs(t, p);
      const bad = ks.slice(0, -6) + 'AAAAAA';
      const ex = await failure(client(t, bad), kaltura.services.session.get());
      expect(ex).toMatchObject({ code: 'INVALID_KS', args: { KSID: bad, ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' } });
      expect(ex.message).toBe(`Invalid KS "${bad}", Error "-1,INVALID_STR"`);
    });

    it('end invalidates the KS (LOGOUT) and survives a restart of the cache', async () => {
      const ks = await adminKs(t, p);
      expect(await run(client(t, ks), kaltura.services.session.end())).toBeNull();
      expect(await failure(client(t, ks), kaltura.services.session.get())).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'LOGOUT' } });
      const second = await startGatehouse(dialect, 'session-node2', { share: t });
      try {
        expect(await failure(client(second, ks), kaltura.services.session.get())).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'LOGOUT' } });
      } finally {
        await second.close();
      }
    });

    it('iprestrict and urirestrict are enforced', async () => {
      const ipKs = await adminKs(t, p, '', 'iprestrict:10.9.9.9');
      expect(await failure(client(t, ipKs), kaltura.services.session.get())).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'EXCEEDED_RESTRICTED_IP' } });
      const okIp = await adminKs(t, p, '', 'iprestrict:127.0.0.1');
      expect(await run(client(t, okIp), kaltura.services.session.get())).toMatchObject({ objectType: 'KalturaSessionInfo' });
      const uriKs = await adminKs(t, p, '', 'urirestrict:/api_v3/service/user/*');
      expect(await failure(client(t, uriKs), kaltura.services.session.get())).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'EXCEEDED_RESTRICTED_URI' } });
      expect(await run(client(t, uriKs), kaltura.services.user.listAction())).toMatchObject({ objectType: 'KalturaUserListResponse' });
    });

    it('actionslimit allows exactly N uses, counted in the database', async () => {
      const ks = await adminKs(t, p, '', 'actionslimit:2');
      await run(client(t, ks), kaltura.services.session.get());
      await run(client(t, ks), kaltura.services.session.get());
      expect(await failure(client(t, ks), kaltura.services.session.get())).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'EXCEEDED_ACTIONS_LIMIT' } });
      const bad = await adminKs(t, p, '', 'actionslimit:x');
      expect(await failure(client(t, bad), kaltura.services.session.get())).toMatchObject({ code: 'INVALID_ACTIONS_LIMIT' });
    });

    it('ending one KS of a sessionid group ends the whole group, on every node; actionslimit is shared too', async () => {
      const a = await adminKs(t, p, 'svc', 'sessionid:grp-1');
      const b = await adminKs(t, p, 'svc', 'sessionid:grp-1');
      const other = await adminKs(t, p, 'svc', 'sessionid:grp-2');
      const second = await startGatehouse(dialect, 'session-group', { share: t });
      try {
        await run(client(second, b), kaltura.services.session.get());
        await run(client(t, a), kaltura.services.session.end());
        await new Promise((r) => setTimeout(r, 400)); // one sync interval of the second node
        expect(await failure(client(second, b), kaltura.services.session.get())).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'LOGOUT' } });
        expect(await run(client(second, other), kaltura.services.session.get())).toMatchObject({ userId: 'svc' });
        const limited = await adminKs(t, p, '', 'actionslimit:3');
        await run(client(t, limited), kaltura.services.session.get());
        await run(client(second, limited), kaltura.services.session.get());
        await run(client(t, limited), kaltura.services.session.get());
        expect(await failure(client(second, limited), kaltura.services.session.get())).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'EXCEEDED_ACTIONS_LIMIT' } });
      } finally {
        await second.close();
      }
    });

    it('impersonate: an operator issues a KS for a publisher carrying the master partner', async () => {
      const entry = await t.gh.directory.partner(-2);
      const opSecret = entry!.partner.adminSecrets[0]!;
      const ks = await run<string>(client(t), kaltura.services.session.impersonate(opSecret, p.id, 'ops', 2, -2));
      const info = await run(client(t, await adminKs(t, p)), kaltura.services.session.get(ks));
      expect(info).toMatchObject({ partnerId: String(p.id), userId: 'ops', sessionType: '2' });
      expect(await failure(client(t), kaltura.services.session.impersonate('f'.repeat(32), p.id, 'ops', 2, -2))).toMatchObject({ code: 'START_SESSION_ERROR' });
      // A publisher cannot impersonate another publisher it does not own.
      const other = await registerPartner(t, 'Unrelated');
      expect(await failure(client(t), kaltura.services.session.impersonate(p.adminSecret, other.id, '', 2, p.id))).toMatchObject({ code: 'START_SESSION_ERROR' });
    });

    it('impersonateByKs is for operators only and copies the user of the old KS', async () => {
      const old = await run<string>(client(t), kaltura.services.session.start(p.secret, 'dora', 0, p.id, 600, 'sview:*'));
      const ops = await run<string>(client(t), kaltura.services.user.loginByLoginId('operator@gatehouse.test', 'operator-Password-1', -2));
      const r = await run(client(t, ops), kaltura.services.session.impersonateByKs(old, 2, 300));
      expect(r).toMatchObject({ objectType: 'KalturaSessionInfo', partnerId: p.id, userId: 'dora', sessionType: 2, privileges: 'sview:*' });
      expect(await failure(client(t, await adminKs(t, p)), kaltura.services.session.impersonateByKs(old, 2, 300))).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'session->impersonateByKs' } });
    });

    it('startWidgetSession uses the default widget _<partnerId>', async () => {
      const r = await run(client(t), kaltura.services.session.startWidgetSession(`_${p.id}`));
      expect(r).toMatchObject({ objectType: 'KalturaStartWidgetSessionResponse', partnerId: p.id, userId: 0 });
      const admin = await adminKs(t, p);
      const info = await run(client(t, admin), kaltura.services.session.get(r.ks));
      expect(info).toMatchObject({ userId: '0', sessionType: '0', privileges: 'view:*,widget:1' });
      expect(await failure(client(t), kaltura.services.session.startWidgetSession('_424242'))).toMatchObject({ code: 'INVALID_WIDGET_ID', args: { WIDGET_ID: '_424242' } });
    });

    it('a USER session may not read sessions (SERVICE_FORBIDDEN service->action)', async () => {
      const ks = await run<string>(client(t), kaltura.services.session.start(p.secret, 'carol', 0, p.id));
      const ex = await failure(client(t, ks), kaltura.services.session.get());
      expect(ex).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'session->get' } });
    });

    it('a KS of another partner cannot be inspected', async () => {
      const other = await registerPartner(t, 'Other');
      const foreign = await adminKs(t, other);
      const ks = await adminKs(t, p);
      expect(await failure(client(t, ks), kaltura.services.session.get(foreign))).toMatchObject({ code: 'PARTNER_ACCESS_FORBIDDEN', args: { ACCESSING_PID: String(p.id), ACCESSED_PID: String(other.id) } });
    });

    it('setrole must name an existing role (UNKNOWN_ROLE_ID) and then limits the session', async () => {
      expect(await failure(client(t), kaltura.services.session.start(p.adminSecret, '', 2, p.id, 3600, 'setrole:NO_SUCH_ROLE'))).toMatchObject({ code: 'UNKNOWN_ROLE_ID' });
      const ks = await adminKs(t, p, '', 'setrole:PLAYBACK_BASE_ROLE');
      expect(await failure(client(t, ks), kaltura.services.user.listAction())).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'user->list' } });
    });

  });
}
