/** Multirequest (protocol §1.8): through the official client and as a raw form, on every dialect. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, kaltura, post, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const form = (o: Record<string, string | number>): string => new URLSearchParams(Object.entries(o).map(([k, v]): [string, string] => [k, String(v)])).toString();

for (const dialect of DIALECTS) {
  describe(`multirequest [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let ks: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'wire-multi');
      p = await registerPartner(t, 'Multi Partner');
      ks = await adminKs(t, p);
    });
    afterAll(() => t?.close());

    it('session.start then session.get of {1:result}: the ordinal counts from 1 although node keys from 0', async () => {
      const req = kaltura.services.session
        .start(p.adminSecret, 'mr-alice', kaltura.enums.SessionType.ADMIN, p.id, 600, 'sview:*')
        .add(kaltura.services.session.get('{1:result}'));
      const [started, info] = await run<any[]>(client(t, ks), req);
      expect(started).toMatch(/^djJ8/);
      expect(info).toMatchObject({ objectType: 'KalturaSessionInfo', userId: 'mr-alice', partnerId: String(p.id), sessionType: '2', privileges: 'sview:*' });
      expect(Number(info.expiry) - Math.floor(t.clock.nowMs() / 1000)).toBe(600);
    });

    it('a failing item is reported in its slot and later items still run', async () => {
      const req = new kaltura.MultiRequestBuilder()
        .add(kaltura.services.session.start(p.adminSecret, 'first', 2, p.id))
        .add(kaltura.services.session.start('f'.repeat(32), 'second', 2, p.id))
        .add(kaltura.services.session.get('{1:result}'))
        .add(kaltura.services.session.get('{2:result}'));
      const results = await run<any[]>(client(t, ks), req);
      expect(results).toHaveLength(4);
      expect(results[0]).toMatch(/^djJ8/);
      expect(results[1]).toEqual({ code: 'START_SESSION_ERROR', message: `Error while starting session for partner [${p.id}]`, objectType: 'KalturaAPIException', args: { PID: String(p.id) } });
      expect(results[2]).toMatchObject({ objectType: 'KalturaSessionInfo', userId: 'first' });
      // A failed result resolves to '': session.get('') describes the caller's own KS.
      expect(results[3]).toMatchObject({ objectType: 'KalturaSessionInfo', userId: '', partnerId: String(p.id) });
    });

    it('placeholder paths walk into objects and lists', async () => {
      const req = kaltura.services.userRole
        .listAction(new kaltura.objects.UserRoleFilter({ systemNameEqual: 'CONTENT_MODERATOR' }))
        .add(kaltura.services.userRole.get('{1:result:objects:0:id}'));
      const [list, role] = await run<any[]>(client(t, ks), req);
      expect(list.totalCount).toBeGreaterThanOrEqual(1);
      expect(role).toMatchObject({ objectType: 'KalturaUserRole', id: list.objects[0].id, name: 'Content Moderator' });
    });

    it('the top-level KS is inherited; an expired one fails every item', async () => {
      const dead = await run<string>(client(t), kaltura.services.session.start(p.adminSecret, '', 2, p.id, 10));
      t.clock.advance(11);
      const results = await run<any[]>(client(t, dead), kaltura.services.session.get().add(kaltura.services.partner.getInfo()));
      expect(results).toHaveLength(2);
      for (const r of results) expect(r).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'EXPIRED' } });
    });

    it('a raw form multirequest with 1-based keys and colon parameters', async () => {
      const body = form({
        ks,
        format: 1,
        '1:service': 'session',
        '1:action': 'start',
        '1:secret': p.adminSecret,
        '1:partnerId': p.id,
        '1:type': 2,
        '1:userId': 'raw-form',
        '2:service': 'session',
        '2:action': 'get',
        '2:session': '{1:result}',
      });
      const r = await post(t, '/api_v3/service/multirequest', body);
      expect(r.status).toBe(200);
      const results = r.json();
      expect(results).toHaveLength(2);
      expect(results[0]).toMatch(/^djJ8/);
      expect(results[1]).toMatchObject({ objectType: 'KalturaSessionInfo', userId: 'raw-form', sessionType: '2' });
      // The same with brackets and the classic index.php form.
      const bracket = `ks=${ks}&format=1&1[service]=session&1[action]=get&2[service]=userrole&2[action]=list&2[filter][systemNameEqual]=MANAGER`;
      const [info, roles] = (await post(t, '/api_v3/index.php?service=multirequest', bracket)).json();
      expect(info).toMatchObject({ objectType: 'KalturaSessionInfo', partnerId: String(p.id) });
      expect(roles).toMatchObject({ objectType: 'KalturaUserRoleListResponse' });
      expect(roles.objects.every((x: any) => x.systemName === 'MANAGER')).toBe(true);
    });

    it('an item may carry its own ks, taken from an earlier result', async () => {
      const body = form({
        format: 1,
        '1:service': 'user',
        '1:action': 'loginByLoginId',
        '1:loginId': p.adminEmail,
        '1:password': p.password,
        '1:partnerId': p.id,
        '2:service': 'session',
        '2:action': 'get',
        '2:ks': '{1:result}',
      });
      const [loginKs, info] = (await post(t, '/api_v3/service/multirequest', body)).json();
      expect(loginKs).toMatch(/^djJ8/);
      expect(info).toMatchObject({ objectType: 'KalturaSessionInfo', userId: p.adminEmail, partnerId: String(p.id), sessionType: '2' });
    });

    it('execution stops at the first index without service or action', async () => {
      const body = form({ ks, format: 1, '1:service': 'session', '1:action': 'get', '2:service': 'session', '3:service': 'session', '3:action': 'get' });
      const results = (await post(t, '/api_v3/service/multirequest', body)).json();
      expect(results).toHaveLength(1);
    });

    it('XML multirequest wraps each result in <item>', async () => {
      const body = form({ ks, '1:service': 'session', '1:action': 'get', '2:service': 'nosuch', '2:action': 'x' });
      const r = await post(t, '/api_v3/service/multirequest', body);
      expect(r.text).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?><xml><result><item><objectType>KalturaSessionInfo<\/objectType>.*<\/item><item><error><code>SERVICE_DOES_NOT_EXISTS<\/code>.*<\/error><\/item><\/result><executionTime>/);
    });
  });
}
