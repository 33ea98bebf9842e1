/** partner.* through the official client, on every dialect (protocol §4.1, §4.2). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import {
  adminKs,
  client,
  failure,
  kaltura,
  operatorKs,
  registerPartner,
  run,
  startGatehouse,
  type TestGatehouse,
  type TestPartner,
} from '../../support/gatehouse.js';

const HEX32 = /^[0-9a-f]{32}$/;
let seq = 0;

function newPartner(over: Record<string, unknown> = {}): any {
  const n = ++seq;
  return new kaltura.objects.Partner({ name: `Partner ${n}`, adminName: 'Robin Owner', adminEmail: `owner${n}-${Date.now()}@pub.test`, description: 'registered by the partner suite', ...over });
}

for (const dialect of DIALECTS) {
  describe(`partner service [${dialect}]`, () => {
    let t: TestGatehouse;
    let opKs: string;
    let p: TestPartner;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'partner');
      opKs = await operatorKs(t);
      p = await registerPartner(t, 'Partner Suite University');
    });
    afterAll(() => t?.close());

    it('register returns a publisher id and two distinct 32-hex secrets, no cmsPassword when one was given', async () => {
      const input = newPartner();
      const r = await run(client(t, opKs), kaltura.services.partner.register(input, 'given-Password-77'));
      expect(r.objectType).toBe('KalturaPartner');
      expect(r.id).toBeGreaterThanOrEqual(100);
      expect(r.secret).toMatch(HEX32);
      expect(r.adminSecret).toMatch(HEX32);
      expect(r.adminSecret).not.toBe(r.secret);
      expect(r).not.toHaveProperty('cmsPassword');
      expect(r).toMatchObject({ name: input.name, adminEmail: input.adminEmail, adminName: 'Robin Owner', status: 1, ksMaxExpiryInSeconds: 86400 });
      const next = await run(client(t, opKs), kaltura.services.partner.register(newPartner(), 'given-Password-78'));
      expect(next.id).toBeGreaterThan(r.id);
      expect(next.secret).not.toBe(r.secret);
    });

    it('without a cmsPassword a password is generated, returned once, and it logs the admin in', async () => {
      const input = newPartner();
      const r = await run(client(t, opKs), kaltura.services.partner.register(input));
      expect(typeof r.cmsPassword).toBe('string');
      expect(r.cmsPassword.length).toBeGreaterThanOrEqual(8);
      const ks = await run<string>(client(t), kaltura.services.user.loginByLoginId(input.adminEmail, r.cmsPassword, r.id));
      const info = await run(client(t, ks), kaltura.services.session.get());
      expect(info).toMatchObject({ partnerId: String(r.id), userId: input.adminEmail, sessionType: '2' });
      const again = await run(client(t, opKs), kaltura.services.partner.get(r.id));
      expect(again).not.toHaveProperty('cmsPassword');
    });

    it('registration without a KS is SERVICE_FORBIDDEN partner->register', async () => {
      const ex = await failure(client(t), kaltura.services.partner.register(newPartner(), 'given-Password-77'));
      expect(ex).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'partner->register' } });
    });

    it('a publisher admin KS may not register partners either', async () => {
      const ks = await adminKs(t, p);
      const ex = await failure(client(t, ks), kaltura.services.partner.register(newPartner(), 'given-Password-77'));
      expect(ex).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'partner->register' } });
    });

    it.each(['name', 'adminName', 'adminEmail', 'description'])('a missing %s is PROPERTY_VALIDATION_CANNOT_BE_NULL', async (prop) => {
      const input = newPartner({ [prop]: null });
      const ex = await failure(client(t, opKs), kaltura.services.partner.register(input, 'given-Password-77'));
      expect(ex).toMatchObject({ code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL', args: { PROP_NAME: `KalturaPartner::${prop}` } });
      expect(ex.message).toBe(`The property "KalturaPartner::${prop}" cannot be null`);
    });

    it('the new admin logs in with cmsPassword and gets an ADMIN KS with full rights', async () => {
      const ks = await run<string>(client(t), kaltura.services.user.loginByLoginId(p.adminEmail, p.password, p.id));
      const info = await run(client(t, ks), kaltura.services.session.get());
      expect(info).toMatchObject({ partnerId: String(p.id), userId: p.adminEmail, sessionType: '2' });
      const me = await run(client(t, ks), kaltura.services.user.get(p.adminEmail));
      expect(me).toMatchObject({ id: p.adminEmail, partnerId: p.id, isAdmin: true, isAccountOwner: true, email: p.adminEmail });
      // Without a partner id the last-login publisher is chosen, never a system partner.
      const implicit = await run<string>(client(t), kaltura.services.user.loginByLoginId(p.adminEmail, p.password));
      expect(await run(client(t, implicit), kaltura.services.session.get())).toMatchObject({ partnerId: String(p.id) });
      expect(await failure(client(t), kaltura.services.user.loginByLoginId(p.adminEmail, 'not-The-Password-1', p.id))).toMatchObject({ code: 'USER_WRONG_PASSWORD' });
    });

    it('the default widget _<id> starts widget sessions of the new partner', async () => {
      const r = await run(client(t), kaltura.services.session.startWidgetSession(`_${p.id}`));
      expect(r).toMatchObject({ objectType: 'KalturaStartWidgetSessionResponse', partnerId: p.id });
      const info = await run(client(t, await adminKs(t, p)), kaltura.services.session.get(r.ks));
      expect(info).toMatchObject({ partnerId: String(p.id), sessionType: '0' });
    });

    it('roles: copies of the template roles owned by the partner, plus the global roles', async () => {
      const ks = await adminKs(t, p);
      const list = await run(client(t, ks), kaltura.services.userRole.listAction(null, new kaltura.objects.FilterPager({ pageSize: 500 })));
      const byName = new Map<string, any>(list.objects.map((r: any) => [r.name, r]));
      for (const name of ['Manager', 'Content Uploader', 'Content Moderator', 'Player Designer']) {
        expect(byName.get(name), name).toMatchObject({ partnerId: p.id });
      }
      for (const name of ['Publisher Administrator', 'Basic User Session Role', 'Widget Session Role']) {
        expect(byName.get(name), name).toMatchObject({ partnerId: 0 });
      }
      // Copies, not shares: the template's role rows are untouched by the copy, ids differ.
      const other = await registerPartner(t, 'Second Copy');
      const otherList = await run(client(t, await adminKs(t, other)), kaltura.services.userRole.listAction(null, new kaltura.objects.FilterPager({ pageSize: 500 })));
      const otherManager = otherList.objects.find((r: any) => r.name === 'Manager');
      expect(otherManager.partnerId).toBe(other.id);
      expect(otherManager.id).not.toBe(byName.get('Manager').id);
      expect(list.objects.some((r: any) => r.partnerId === other.id)).toBe(false);
    });

    it('defaultAccessControlId is set to a profile copied for the partner', async () => {
      const mine = await run(client(t, await adminKs(t, p)), kaltura.services.partner.getInfo());
      expect(mine.defaultAccessControlId).toBeGreaterThan(0);
      const rows = await t.store.db.selectFrom('access_control_profiles').selectAll().where('id', '=', mine.defaultAccessControlId).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ partner_id: p.id, is_default: 1 });
    });

    it('get and getInfo describe the partner without secrets', async () => {
      const ks = await adminKs(t, p);
      const info = await run(client(t, ks), kaltura.services.partner.getInfo());
      const got = await run(client(t, ks), kaltura.services.partner.get(p.id));
      const bare = await run(client(t, ks), kaltura.services.partner.get());
      for (const r of [info, got, bare]) {
        expect(r).toMatchObject({ objectType: 'KalturaPartner', id: p.id, name: 'Partner Suite University', adminEmail: p.adminEmail, status: 1 });
        expect(r).not.toHaveProperty('secret');
        expect(r).not.toHaveProperty('adminSecret');
        expect(r).not.toHaveProperty('cmsPassword');
        expect(JSON.stringify(r)).not.toContain(p.adminSecret);
      }
      // An operator may look at any partner; a publisher only at itself.
      expect(await run(client(t, opKs), kaltura.services.partner.get(p.id))).toMatchObject({ id: p.id });
      const other = await registerPartner(t, 'Nosy Neighbour');
      const ex = await failure(client(t, await adminKs(t, other)), kaltura.services.partner.get(p.id));
      expect(ex.code).not.toBe('INTERNAL_SERVERL_ERROR');
      expect(['INVALID_OBJECT_ID', 'SERVICE_FORBIDDEN', 'PARTNER_ACCESS_FORBIDDEN']).toContain(ex.code);
    });

    it('a USER session cannot read partner details', async () => {
      const userKs = await run<string>(client(t), kaltura.services.session.start(p.secret, 'viewer', 0, p.id));
      expect(await failure(client(t, userKs), kaltura.services.partner.getInfo())).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'partner->getInfo' } });
    });

    it('list: the operator sees every publisher (and no system partner); a publisher admin only itself', async () => {
      const other = await registerPartner(t, 'Listed Too');
      const all = await run(client(t, opKs), kaltura.services.partner.listAction(null, new kaltura.objects.FilterPager({ pageSize: 500 })));
      expect(all.objectType).toBe('KalturaPartnerListResponse');
      const ids = all.objects.map((x: any) => x.id);
      expect(ids).toEqual(expect.arrayContaining([p.id, other.id]));
      expect(ids.every((id: number) => id >= 100)).toBe(true);
      expect(all.totalCount).toBe(ids.length);
      for (const x of all.objects) expect(x).not.toHaveProperty('adminSecret');
      const filtered = await run(client(t, opKs), kaltura.services.partner.listAction(new kaltura.objects.PartnerFilter({ idEqual: other.id })));
      expect(filtered).toMatchObject({ totalCount: 1, objects: [{ id: other.id }] });

      const own = await run(client(t, await adminKs(t, p)), kaltura.services.partner.listAction());
      expect(own).toMatchObject({ totalCount: 1, objects: [{ id: p.id }] });
      const sneaky = await run(client(t, await adminKs(t, p)), kaltura.services.partner.listAction(new kaltura.objects.PartnerFilter({ idEqual: other.id })));
      expect(sneaky.totalCount).toBe(0);
    });

    it('getSecrets returns the secrets for the right password and USER_DATA_ERROR otherwise', async () => {
      const r = await run(client(t), kaltura.services.partner.getSecrets(p.id, p.adminEmail, p.password));
      expect(r).toMatchObject({ objectType: 'KalturaPartner', id: p.id, secret: p.secret, adminSecret: p.adminSecret });
      for (const bad of [
        kaltura.services.partner.getSecrets(p.id, p.adminEmail, 'wrong-Password-1'),
        kaltura.services.partner.getSecrets(p.id, 'nobody@nowhere.test', p.password),
      ]) {
        expect(await failure(client(t), bad)).toMatchObject({ code: 'USER_DATA_ERROR', message: 'User data is not valid.', args: [] });
      }
      // `partnerId` doubles as the requested partner (protocol §1.3): an unknown one is refused first.
      expect(await failure(client(t), kaltura.services.partner.getSecrets(p.id + 100000, p.adminEmail, p.password))).toMatchObject({ code: 'SERVICE_FORBIDDEN_CONTENT_BLOCKED' });
    });

    it('getSecrets refuses a login that is not an admin of that partner', async () => {
      const other = await registerPartner(t, 'Secret Keeper');
      const ex = await failure(client(t), kaltura.services.partner.getSecrets(other.id, p.adminEmail, p.password));
      expect(ex).toMatchObject({ code: 'USER_DATA_ERROR' });
    });

    it('getSecrets is a password check: wrong passwords count towards the login lock', async () => {
      const q = await registerPartner(t, 'Lockable');
      for (let i = 0; i < 5; i++) {
        expect(await failure(client(t), kaltura.services.partner.getSecrets(q.id, q.adminEmail, `guess-Number-${i}`))).toMatchObject({ code: 'USER_DATA_ERROR' });
      }
      // Locked now: the right password is refused here and by loginByLoginId alike.
      expect(await failure(client(t), kaltura.services.partner.getSecrets(q.id, q.adminEmail, q.password))).toMatchObject({ code: 'USER_DATA_ERROR' });
      expect(await failure(client(t), kaltura.services.user.loginByLoginId(q.adminEmail, q.password, q.id))).toMatchObject({ code: 'USER_WRONG_PASSWORD' });
      t.clock.advance(1801);
      expect(await run(client(t), kaltura.services.partner.getSecrets(q.id, q.adminEmail, q.password))).toMatchObject({ adminSecret: q.adminSecret });
      opKs = await operatorKs(t);
    });

    it('templatePartnerId may only name the template partner', async () => {
      const ok = await run(client(t, opKs), kaltura.services.partner.register(newPartner(), 'given-Password-79', 99));
      expect(ok.defaultAccessControlId).toBeGreaterThan(0);
      for (const template of [p.id, 424242, -2]) {
        const ex = await failure(client(t, opKs), kaltura.services.partner.register(newPartner(), 'given-Password-79', template));
        expect(ex).toMatchObject({ code: 'PARTNER_REGISTRATION_ERROR' });
        expect(ex.message).toContain(String(template));
      }
    });

    it('an adminEmail that already has a login reuses it: one identity, one password, several partners', async () => {
      const r = await run(client(t, opKs), kaltura.services.partner.register(newPartner({ adminEmail: p.adminEmail }), 'ignored-Password-55'));
      expect(r).not.toHaveProperty('cmsPassword');
      expect(r.id).not.toBe(p.id);
      const ks = await run<string>(client(t), kaltura.services.user.loginByLoginId(p.adminEmail, p.password, r.id));
      expect(await run(client(t, ks), kaltura.services.session.get())).toMatchObject({ partnerId: String(r.id), sessionType: '2' });
      expect(await failure(client(t), kaltura.services.user.loginByLoginId(p.adminEmail, 'ignored-Password-55', r.id))).toMatchObject({ code: 'USER_WRONG_PASSWORD' });
    });

    // Two registrations can pick the same next id; the loser retries its whole transaction.
    it('concurrent registrations all succeed with distinct ids', async () => {
      const all = await Promise.all([1, 2, 3, 4, 5].map((i) => registerPartner(t, `Concurrent ${i}`)));
      expect(new Set(all.map((x) => x.id)).size).toBe(5);
    });

    it('secrets are sealed at rest and the admin password is an argon2id hash', async () => {
      const row = await t.store.db.selectFrom('partners').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
      expect(row.secret_enc).not.toContain(p.secret);
      expect(row.admin_secrets_enc).not.toContain(p.adminSecret);
      expect(row.secret_enc.toLowerCase()).not.toContain(p.secret);
      expect(JSON.stringify(row)).not.toContain(p.adminSecret);
      const login = await t.store.db.selectFrom('login_data').selectAll().where('login_key', '=', p.adminEmail.toLowerCase()).executeTakeFirstOrThrow();
      expect(login.password_hash.startsWith('$argon2id$')).toBe(true);
      expect(JSON.stringify(login)).not.toContain(p.password);
    });
  });

  describe(`partner.register with open registration [${dialect}]`, () => {
    let t: TestGatehouse;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'partner-open', { env: { GATEHOUSE_OPEN_REGISTRATION: 'true' } });
    });
    afterAll(() => t?.close());

    it('anyone may register, and the new partner works', async () => {
      const input = newPartner();
      const r = await run(client(t), kaltura.services.partner.register(input, 'open-Sesame-42'));
      expect(r.id).toBeGreaterThanOrEqual(100);
      expect(r.adminSecret).toMatch(HEX32);
      const ks = await run<string>(client(t), kaltura.services.user.loginByLoginId(input.adminEmail, 'open-Sesame-42', r.id));
      expect(await run(client(t, ks), kaltura.services.session.get())).toMatchObject({ partnerId: String(r.id), sessionType: '2' });
    });

    it('validation still applies', async () => {
      const ex = await failure(client(t), kaltura.services.partner.register(newPartner({ description: null }), 'open-Sesame-42'));
      expect(ex).toMatchObject({ code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL', args: { PROP_NAME: 'KalturaPartner::description' } });
    });
  });
}
