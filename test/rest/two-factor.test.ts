/**
 * Two-factor codes on the REST door (issue 18): enrol, confirm, remove, the administrator's reset,
 * the access token with `otp` (OTP_REQUIRED / INVALID_OTP, recovery codes once), the partner
 * setting `twoFactor` (operator or the partner's own administrator), and a login that must use
 * codes and has none taken to enrolment with a token good for nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows, operatorToken } from '../support/console.js';
import { DIALECTS } from '../support/dialects.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, expectProblem, userWithPermissions } from '../support/rest.js';
import { codeFor, enrol, nextStep, wrongCode } from '../support/two-factor.js';

for (const dialect of DIALECTS) {
  describe(`two-factor codes on the REST door [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let op: string;
    const signIn = (username: string, password: string, otp?: string) => api(t, 'POST', '/api/auth/access-token', { body: { username, password, ...(otp !== undefined ? { otp } : {}) } });
    const addUser = async (id: string, isAdmin = false) => {
      const email = `${id}@uni.test`;
      const password = `calm-meadow-lantern-${id.length}-Qx`;
      await run(client(t, await adminKs(t, p)), kaltura.services.user.add(new kaltura.objects.User({ id, email, password, isAdmin })));
      return { id, email, password };
    };

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-two-factor', { env: { GATEHOUSE_LOGIN_THROTTLE: '0' } });
      p = await registerPartner(t);
      op = await operatorToken(t);
    });
    afterAll(() => t?.close());

    it('enrol: start (secret, otpauth URI, QR), confirm with a code (ten recovery codes, once), status', async () => {
      const u = await addUser('enrol-me');
      const token = await accessToken(t, u.email, u.password);
      expect((await api(t, 'GET', '/api/me/two-factor', { token })).json.data).toEqual({ enrolled: false, pending: false, required: false, recoveryCodesLeft: 0 });
      expectProblem(await api(t, 'POST', '/api/me/two-factor/confirm', { token, body: { code: '123456' } }), 409, 'TWO_FACTOR_NOT_PENDING');

      const started = await api(t, 'POST', '/api/me/two-factor', { token });
      expect(started.status).toBe(200);
      expect(started.headers.get('cache-control')).toBe('no-store');
      const { secret, otpauthUri, qrSvg } = started.json.data;
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(otpauthUri).toBe(`otpauth://totp/Gatehouse:${encodeURIComponent(u.email)}?issuer=Gatehouse&secret=${secret}&algorithm=SHA1&digits=6&period=30`);
      expect(qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect((await api(t, 'GET', '/api/me/two-factor', { token })).json.data).toMatchObject({ enrolled: false, pending: true });
      // Sign-in is not affected while the enrolment waits.
      expect((await signIn(u.email, u.password)).status).toBe(200);

      expectProblem(await api(t, 'POST', '/api/me/two-factor/confirm', { token, body: { code: wrongCode(t, secret) } }), 400, 'INVALID_TWO_FACTOR_CODE');
      expectProblem(await api(t, 'POST', '/api/me/two-factor/confirm', { token, body: {} }), 400, 'INVALID_REQUEST');
      const confirmed = await api(t, 'POST', '/api/me/two-factor/confirm', { token, body: { code: codeFor(t, secret) } });
      expect(confirmed.status).toBe(200);
      const codes: string[] = confirmed.json.data.recoveryCodes;
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      expect(confirmed.json.data).not.toHaveProperty('access_token');
      expect((await api(t, 'GET', '/api/me/two-factor', { token })).json.data).toEqual({ enrolled: true, pending: false, required: false, recoveryCodesLeft: 10 });
      expectProblem(await api(t, 'POST', '/api/me/two-factor', { token }), 409, 'TWO_FACTOR_ALREADY_ENROLLED');
      // Stored sealed and hashed: neither the secret nor a recovery code is in the database.
      const dump = JSON.stringify(await t.store.db.selectFrom('two_factor').selectAll().execute()) + JSON.stringify(await t.store.db.selectFrom('two_factor_recovery_codes').selectAll().execute());
      expect(dump).not.toContain(secret);
      for (const c of codes) expect(dump).not.toContain(c.replaceAll('-', ''));
      expect((await auditRows(t, 'twoFactor.confirm')).map((r) => r.outcome)).toEqual(['failure', 'success']);
    });

    it('access token: OTP_REQUIRED without a code, INVALID_OTP with a wrong or used one, a token with a code or a recovery code', async () => {
      const u = await addUser('signs-in');
      const { secret, recoveryCodes } = await enrol(t, await accessToken(t, u.email, u.password));
      expectProblem(await signIn(u.email, u.password), 401, 'OTP_REQUIRED');
      expectProblem(await signIn(u.email, u.password, wrongCode(t, secret)), 401, 'INVALID_OTP');
      // A wrong password stays INVALID_CREDENTIALS whatever the code: the code is looked at only after the password.
      expectProblem(await signIn(u.email, 'wrong-password', codeFor(t, secret)), 401, 'INVALID_CREDENTIALS');
      const code = codeFor(t, secret);
      const ok = await signIn(u.email, u.password, code);
      expect(ok.status).toBe(200);
      expect((await api(t, 'GET', '/api/me', { token: ok.json.data.access_token })).status).toBe(200);
      expectProblem(await signIn(u.email, u.password, code), 401, 'INVALID_OTP');
      // One code sent several times at once signs in once: the guarded write that spends it decides.
      nextStep(t);
      const raced = await Promise.all(Array.from({ length: 4 }, () => signIn(u.email, u.password, codeFor(t, secret))));
      expect(raced.map((r) => r.status).sort()).toEqual([200, 401, 401, 401]);
      for (const r of raced.filter((x) => x.status === 401)) expectProblem(r, 401, 'INVALID_OTP');
      expect((await signIn(u.email, u.password, recoveryCodes[0])).status).toBe(200);
      expectProblem(await signIn(u.email, u.password, recoveryCodes[0]), 401, 'INVALID_OTP');
      const token = ok.json.data.access_token;
      expect((await api(t, 'GET', '/api/me/two-factor', { token })).json.data.recoveryCodesLeft).toBe(9);
      const audit = await auditRows(t, 'auth.accessToken');
      expect(audit.filter((r) => r.actor === u.email).map((r) => [r.outcome, JSON.parse(r.detail)])).toEqual(
        expect.arrayContaining([
          ['failure', { reason: 'code missing' }],
          ['failure', { reason: 'wrong code' }],
          ['success', { secondFactor: 'totp' }],
          ['success', { secondFactor: 'recovery_code' }],
        ]),
      );
    });

    it('remove: needs a good code (a wrong one is a 400, not a 401 that would end the session); then no code is asked', async () => {
      const u = await addUser('removes');
      const token = await accessToken(t, u.email, u.password);
      expectProblem(await api(t, 'DELETE', '/api/me/two-factor', { token, body: { code: '123456' } }), 404, 'TWO_FACTOR_NOT_ENROLLED');
      const { secret, recoveryCodes } = await enrol(t, token);
      expectProblem(await api(t, 'DELETE', '/api/me/two-factor', { token, body: { code: wrongCode(t, secret) } }), 400, 'INVALID_TWO_FACTOR_CODE');
      expect((await api(t, 'DELETE', '/api/me/two-factor', { token, body: { code: recoveryCodes[3] } })).status).toBe(204);
      expect((await signIn(u.email, u.password)).status).toBe(200);
      // Set up again, removed with a TOTP code this time.
      const again = await enrol(t, token);
      expect((await api(t, 'DELETE', '/api/me/two-factor', { token, body: { code: codeFor(t, again.secret) } })).status).toBe(204);
      expect((await auditRows(t, 'twoFactor.remove')).filter((r) => r.outcome === 'success')).toHaveLength(2);
    });

    it("an administrator resets a user's codes (ADMIN_USER_UPDATE, audited); others may not", async () => {
      const u = await addUser('lost-phone');
      await enrol(t, await accessToken(t, u.email, u.password));
      const reader = await userWithPermissions(t, p, 'ADMIN_BASE');
      const readerToken = await accessToken(t, reader.email, reader.password);
      expectProblem(await api(t, 'DELETE', `/api/users/${u.id}/two-factor`, { token: readerToken }), 403, 'PERMISSION_REQUIRED');
      const admin = await adminToken(t, p);
      expect((await api(t, 'DELETE', `/api/users/${u.id}/two-factor`, { token: admin })).status).toBe(204);
      expectProblem(await api(t, 'DELETE', `/api/users/${u.id}/two-factor`, { token: admin }), 404, 'TWO_FACTOR_NOT_ENROLLED');
      expectProblem(await api(t, 'DELETE', '/api/users/nobody/two-factor', { token: admin }), 404, 'INVALID_USER_ID');
      expect((await signIn(u.email, u.password)).status).toBe(200);
      expect(await auditRows(t, 'twoFactor.reset')).toEqual([expect.objectContaining({ target: u.id, outcome: 'success', partner_id: p.id })]);
    });

    it("a password set by an administrator, or changed by the user, leaves the codes in place: no reset bypasses the second factor", async () => {
      const u = await addUser('forgot-password');
      const token = await accessToken(t, u.email, u.password);
      const { secret } = await enrol(t, token);
      const admin = await adminToken(t, p);
      const reset = 'new-meadow-lantern-77-Qx';
      expect((await api(t, 'POST', `/api/users/${u.id}/password`, { token: admin, body: { password: reset } })).status).toBe(204);
      expectProblem(await signIn(u.email, reset), 401, 'OTP_REQUIRED');
      expect((await api(t, 'POST', '/api/me/password', { token, body: { currentPassword: reset, newPassword: `${reset}-2` } })).status).toBe(204);
      expectProblem(await signIn(u.email, `${reset}-2`), 401, 'OTP_REQUIRED');
      expect((await signIn(u.email, `${reset}-2`, codeFor(t, secret))).status).toBe(200);
      // Kaltura's resetPassword only records the request (no mail yet), so it changes nothing either.
      expect((await api(t, 'GET', '/api/me/two-factor', { token })).json.data.enrolled).toBe(true);
    });

    it('partner setting twoFactor: shown, set by the operator or the partner administrator for its own partner, validated', async () => {
      const other = await registerPartner(t, 'Other U');
      const get = async (id: number) => (await api(t, 'GET', `/api/partners/${id}`, { token: op })).json.data.settings.twoFactor;
      const patch = (id: number, twoFactor: unknown, token = op) => api(t, 'PATCH', `/api/partners/${id}`, { token, body: { settings: { twoFactor } } });
      expect(await get(p.id)).toBe('off');
      expect((await patch(p.id, 'all')).json.data.settings.twoFactor).toBe('all');
      expect(await get(p.id)).toBe('all');
      expectProblem(await patch(p.id, 'sometimes'), 400, 'INVALID_REQUEST');
      // The partner's own administrator (ACCOUNT_UPDATE_SETTINGS) — who has no codes yet, so signs in through enrolment first.
      const enrolling = (await signIn(p.adminEmail, p.password)).json.data.enrolment_token;
      const adminCodes = await enrol(t, enrolling);
      const admin = adminCodes.confirmed.access_token;
      expect((await patch(p.id, 'admins', admin)).status).toBe(200);
      expect(await get(p.id)).toBe('admins');
      expectProblem(await patch(other.id, 'all', admin), 403, 'PERMISSION_REQUIRED');
      expect((await patch(p.id, 'off', admin)).json.data.settings.twoFactor).toBe('off');
      const audit = (await auditRows(t, 'partner.update')).map((r) => JSON.parse(r.detail).settings?.twoFactor).filter(Boolean);
      expect(audit).toEqual(['all', 'admins', 'off']);
    });

    it('required but not set up: the password answers an enrolment token, good only for enrolling, whose confirmation signs in', async () => {
      const u = await addUser('must-enrol');
      expect((await patch2(p.id, 'non_admins')).status).toBe(200);
      const r = await signIn(u.email, u.password);
      expect(r.status).toBe(200);
      expect(r.json.data).toMatchObject({ two_factor_enrolment_required: true, token_type: 'Bearer', expires_in: 600 });
      expect(r.json.data).not.toHaveProperty('access_token');
      const enrolling = r.json.data.enrolment_token as string;
      // Nothing else takes it.
      expectProblem(await api(t, 'GET', '/api/me', { token: enrolling }), 401, 'INVALID_ACCESS_TOKEN');
      expectProblem(await api(t, 'GET', '/api/users', { token: enrolling }), 401, 'INVALID_ACCESS_TOKEN');
      expectProblem(await api(t, 'DELETE', '/api/me/two-factor', { token: enrolling, body: { code: '123456' } }), 401, 'INVALID_ACCESS_TOKEN');
      expect((await api(t, 'GET', '/api/me/two-factor', { token: enrolling })).json.data).toEqual({ enrolled: false, pending: false, required: true, recoveryCodesLeft: 0 });
      // A wrong password never gets one.
      expectProblem(await signIn(u.email, 'wrong-password'), 401, 'INVALID_CREDENTIALS');
      const { confirmed, secret } = await enrol(t, enrolling);
      expect(confirmed.recoveryCodes).toHaveLength(10);
      expect((await api(t, 'GET', '/api/me', { token: confirmed.access_token })).json.data.user.id).toBe(u.id);
      // From now on its code is asked, and after the token expired it is good for nothing.
      expectProblem(await signIn(u.email, u.password), 401, 'OTP_REQUIRED');
      expect((await signIn(u.email, u.password, codeFor(t, secret))).status).toBe(200);
      nextStep(t);
      t.clock.advance(600);
      expectProblem(await api(t, 'POST', '/api/me/two-factor', { token: enrolling }), 401, 'INVALID_ACCESS_TOKEN');
      expect((await patch2(p.id, 'off')).status).toBe(200);
    });

    it('a login entering a partner that requires codes it has not set up, from another partner, is refused (switch-partner and user.loginByKs)', async () => {
      const a = await registerPartner(t, 'Alpha U');
      const b = await registerPartner(t, 'Beta U');
      // A's admin is an admin of B too: one login identity, two partners; B requires codes.
      expect((await api(t, 'POST', '/api/users', { token: await adminToken(t, b), body: { id: a.adminEmail, email: a.adminEmail, isAdmin: true } })).status).toBe(201);
      expect((await patch2(b.id, 'all')).status).toBe(200);
      const tokenA = await accessToken(t, a.adminEmail, a.password, a.id);
      expectProblem(await api(t, 'POST', '/api/auth/switch-partner', { token: tokenA, body: { partnerId: b.id } }), 403, 'TWO_FACTOR_ENROLMENT_REQUIRED');
      const ksA = await run<string>(client(t), kaltura.services.user.loginByLoginId(a.adminEmail, a.password, a.id));
      const refused = await failure(client(t, ksA), kaltura.services.user.loginByKs(b.id));
      expect(refused.code).toBe('TWO_FACTOR_ENROLMENT_REQUIRED');
      // Set up (from A), the login may enter B — and signing in to A now needs the code as well.
      const { secret } = await enrol(t, tokenA);
      expect((await api(t, 'POST', '/api/auth/switch-partner', { token: tokenA, body: { partnerId: b.id } })).status).toBe(200);
      expectProblem(await signIn(a.adminEmail, a.password), 401, 'OTP_REQUIRED');
      expect((await signIn(a.adminEmail, a.password, codeFor(t, secret))).status).toBe(200);
    });

    it("an operator's code is not used up by the sign-in that names no partner (SYSTEM_PARTNER_LOGIN): the console's retry with -2 takes it", async () => {
      // A fresh token: the suite's test clock has moved on by more than a token's lifetime.
      const { secret } = await enrol(t, await operatorToken(t));
      const code = codeFor(t, secret);
      expectProblem(await signIn(ADMIN_EMAIL, ADMIN_PASSWORD, code), 403, 'SYSTEM_PARTNER_LOGIN');
      const r = await api(t, 'POST', '/api/auth/access-token', { body: { username: ADMIN_EMAIL, password: ADMIN_PASSWORD, partnerId: -2, otp: code } });
      expect(r.status, r.text).toBe(200);
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { body: { username: ADMIN_EMAIL, password: ADMIN_PASSWORD, partnerId: -2 } }), 401, 'OTP_REQUIRED');
    });

    const patch2 = (id: number, twoFactor: string) => api(t, 'PATCH', `/api/partners/${id}`, { token: op, body: { settings: { twoFactor } } });
  });
}
