/**
 * The api_v3 wire format over raw HTTP (protocol §1.1–§1.6): the request forms the official node
 * client never sends, both response formats, the error shape, and malformed input of every kind.
 * Multirequest lives in wire-multirequest.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, kaltura, post, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const form = (o: Record<string, string | number>): string => new URLSearchParams(Object.entries(o).map(([k, v]): [string, string] => [k, String(v)])).toString();
const SESSION_START = '/api_v3/service/session/action/start';

for (const dialect of DIALECTS) {
  describe(`api_v3 wire format [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let ks: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'wire');
      p = await registerPartner(t, 'Wire Partner');
      ks = await adminKs(t, p);
    });
    afterAll(() => t?.close());

    /** What session.get says about a KS (userId, sessionType, ...). */
    const describeKs = (k: string) => run(client(t, ks), kaltura.services.session.get(k));
    /** The partner's own copy of a template role, by system name. */
    const ownRole = async (systemName: string) => {
      const list = await run(client(t, ks), kaltura.services.userRole.listAction(new kaltura.objects.UserRoleFilter({ systemNameEqual: systemName })));
      return list.objects.find((r: any) => r.partnerId === p.id);
    };

    it('form body with nested brackets reaches filter properties', async () => {
      const manager = await ownRole('MANAGER');
      const r = await post(t, '/api_v3/service/userrole/action/list', `ks=${ks}&format=1&filter[objectType]=KalturaUserRoleFilter&filter[idEqual]=${manager.id}`);
      expect(r.status).toBe(200);
      expect(r.json()).toMatchObject({ objectType: 'KalturaUserRoleListResponse', totalCount: 1, objects: [{ id: manager.id, name: 'Manager' }] });
    });

    it('colon keys are the flat form of the same nesting', async () => {
      const uploader = await ownRole('CONTENT_UPLOADER');
      const r = await post(t, '/api_v3/service/userrole/action/list', form({ ks, format: 1, 'filter:objectType': 'KalturaUserRoleFilter', 'filter:idEqual': uploader.id }));
      expect(r.json()).toMatchObject({ totalCount: 1, objects: [{ id: uploader.id, name: 'Content Uploader' }] });
    });

    it('the classic /api_v3/index.php?service=…&action=… query form', async () => {
      const r = await post(t, `/api_v3/index.php?${form({ service: 'session', action: 'start', secret: p.adminSecret, partnerId: p.id, type: 2, userId: 'query-form', format: 1 })}`, '');
      const k = r.json();
      expect(k).toMatch(/^djJ8/);
      expect(await describeKs(k)).toMatchObject({ userId: 'query-form', sessionType: '2', partnerId: String(p.id) });
      const get = await fetch(`${t.url}/api_v3/index.php?${form({ service: 'session', action: 'start', secret: p.secret, partnerId: p.id, format: 1 })}`);
      expect(await get.json()).toMatch(/^djJ8/);
    });

    it('path key/value pairs, with the secret in the body', async () => {
      const r = await post(t, `/api_v3/service/session/action/start/partnerId/${p.id}/userId/path-user`, form({ secret: p.adminSecret, type: 2, format: 1 }));
      expect(await describeKs(r.json())).toMatchObject({ userId: 'path-user', partnerId: String(p.id) });
      const viaIndex = await post(t, `/api_v3/index.php/service/session/action/start/partnerId/${p.id}`, form({ secret: p.adminSecret, type: 2, format: 1 }));
      expect(viaIndex.json()).toMatch(/^djJ8/);
    });

    it('precedence: path pairs over query string over body', async () => {
      const body = form({ secret: p.adminSecret, partnerId: p.id, type: 2, userId: 'from-body', format: 1 });
      const all = await post(t, `${SESSION_START}/userId/from-path?userId=from-query`, body);
      expect(await describeKs(all.json())).toMatchObject({ userId: 'from-path' });
      const queryBody = await post(t, `${SESSION_START}?userId=from-query`, body);
      expect(await describeKs(queryBody.json())).toMatchObject({ userId: 'from-query' });
      const bodyOnly = await post(t, SESSION_START, body);
      expect(await describeKs(bodyOnly.json())).toMatchObject({ userId: 'from-body' });
    });

    it('a JSON body counts only with the exact content type application/json', async () => {
      const json = JSON.stringify({ secret: p.adminSecret, partnerId: p.id, type: 2, userId: 'json-user', format: 1 });
      const ok = await post(t, SESSION_START, json, 'application/json');
      expect(await describeKs(ok.json())).toMatchObject({ userId: 'json-user' });
      const upper = await post(t, SESSION_START, json, 'Application/JSON');
      expect(upper.json()).toMatch(/^djJ8/);
      const charset = await post(t, `${SESSION_START}?format=1`, json, 'application/json; charset=utf-8');
      expect(charset.status).toBe(200);
      expect(charset.json()).toMatchObject({ code: 'MISSING_MANDATORY_PARAMETER', args: { PARAM_NAME: 'secret' } });
    });

    it('format=1 is JSON; no format is the XML document', async () => {
      const body = form({ secret: p.adminSecret, partnerId: p.id, type: 2 });
      const xml = await post(t, SESSION_START, body);
      expect(xml.headers.get('content-type')).toMatch(/xml/);
      const m = /^<\?xml version="1\.0" encoding="utf-8"\?><xml><result>([^<]+)<\/result><executionTime>([0-9.e-]+)<\/executionTime><\/xml>$/.exec(xml.text);
      expect(m, xml.text).not.toBeNull();
      expect(m![1]).toMatch(/^djJ8/);
      expect(Number(m![2])).toBeGreaterThanOrEqual(0);
      const two = await post(t, `${SESSION_START}?format=2`, body);
      expect(two.text.startsWith('<?xml')).toBe(true);
      const json = await post(t, `${SESSION_START}?format=1`, body);
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      expect(json.json()).toMatch(/^djJ8/);
      // An object in XML: objectType first, then the declared properties.
      const info = await post(t, '/api_v3/service/session/action/get', form({ ks }));
      expect(info.text).toContain('<result><objectType>KalturaSessionInfo</objectType>');
      expect(info.text).toContain(`<partnerId>${p.id}</partnerId>`);
      expect(info.text).toContain('<sessionType>2</sessionType>');
    });

    it('errors: HTTP 200, keys code/message/objectType/args, args [] when empty; XML error block', async () => {
      const noArgs = await post(t, '/api_v3/service/session?format=1', '');
      expect(noArgs.status).toBe(200);
      expect(noArgs.text).toBe('{"code":"ACTION_NOT_SPECIFIED","message":"Action name was not specified, please specify one","objectType":"KalturaAPIException","args":[]}');
      const withArgs = await post(t, `${SESSION_START}?format=1`, form({ secret: '0'.repeat(32), partnerId: p.id }));
      expect(Object.keys(withArgs.json())).toEqual(['code', 'message', 'objectType', 'args']);
      expect(withArgs.json()).toEqual({ code: 'START_SESSION_ERROR', message: `Error while starting session for partner [${p.id}]`, objectType: 'KalturaAPIException', args: { PID: String(p.id) } });
      expect(withArgs.headers.get('x-kaltura')).toBe('error-START_SESSION_ERROR');
      const xml = await post(t, SESSION_START, form({ secret: '0'.repeat(32), partnerId: p.id }));
      expect(xml.status).toBe(200);
      expect(xml.text).toContain(
        `<result><error><code>START_SESSION_ERROR</code><message>Error while starting session for partner [${p.id}]</message><objectType>KalturaAPIException</objectType>` +
          `<args><item><objectType>KalturaApiExceptionArg</objectType><name>PID</name><value>${p.id}</value></item></args></error></result>`,
      );
    });

    it('unknown service, missing action, unknown action', async () => {
      const svc = await post(t, '/api_v3/service/NoSuchService/action/doIt?format=1', '');
      expect(svc.json()).toEqual({ code: 'SERVICE_DOES_NOT_EXISTS', message: 'Service "nosuchservice" does not exists', objectType: 'KalturaAPIException', args: { SRV_NAME: 'nosuchservice' } });
      const missing = await post(t, '/api_v3/index.php?service=session&format=1', '');
      expect(missing.json()).toMatchObject({ code: 'ACTION_NOT_SPECIFIED', args: [] });
      const act = await post(t, '/api_v3/service/Session/action/FlyAway?format=1', '');
      expect(act.json()).toMatchObject({ code: 'ACTION_DOES_NOT_EXISTS', args: { ACTION_NAME: 'flyaway', SERVICE_NAME: 'session' } });
      // Names are case-insensitive for lookup.
      const mixed = await post(t, '/api_v3/service/SESSION/action/START?format=1', form({ secret: p.adminSecret, partnerId: p.id, type: 2 }));
      expect(mixed.json()).toMatch(/^djJ8/);
    });

    it('an unknown format is UNKNOWN_RESPONSE_FORMAT', async () => {
      const r = await post(t, `${SESSION_START}?format=7`, form({ secret: p.adminSecret, partnerId: p.id }));
      expect(r.status).toBe(200);
      expect(r.text).toContain('<code>UNKNOWN_RESPONSE_FORMAT</code>');
      expect(r.text).toContain('<message>Response format provided [7] is not recognized by server</message>');
      expect(r.text).not.toContain('djJ8');
    });

    it('CORS: OPTIONS preflight answers at once; responses expose the Kaltura headers', async () => {
      const pre = await fetch(`${t.url}${SESSION_START}`, { method: 'OPTIONS', headers: { origin: 'https://player.example', 'access-control-request-method': 'POST' } });
      expect(pre.status).toBe(200);
      expect(pre.headers.get('access-control-allow-origin')).toBe('*');
      expect(pre.headers.get('access-control-allow-headers')).toBe('Origin, X-Requested-With, Content-Type, Accept, Range, Cache-Control');
      expect(pre.headers.get('access-control-allow-methods')).toBe('POST, GET, HEAD, OPTIONS');
      expect(pre.headers.get('access-control-max-age')).toBe('86400');
      const r = await post(t, `${SESSION_START}?format=1`, form({ secret: p.adminSecret, partnerId: p.id }));
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      expect(r.headers.get('access-control-expose-headers')).toBe('Server, Content-Length, Content-Range, Date, X-Kaltura, X-Kaltura-Session, X-Me');
    });

    it('foo__null clears a field on update (user.ksPrivileges)', async () => {
      const id = `clear-${Date.now()}`;
      await run(client(t, ks), kaltura.services.user.add(new kaltura.objects.User({ id, firstName: 'Clara', ksPrivileges: 'sview:*' })));
      expect(await run(client(t, ks), kaltura.services.user.get(id))).toMatchObject({ ksPrivileges: 'sview:*' });
      const r = await post(t, '/api_v3/service/user/action/update', form({ ks, format: 1, userId: id, 'user[objectType]': 'KalturaUser', 'user[ksPrivileges__null]': 1 }));
      expect(r.json()).toMatchObject({ objectType: 'KalturaUser', id });
      const after = await run(client(t, ks), kaltura.services.user.get(id));
      expect(after.ksPrivileges ?? '').toBe('');
      expect(after.firstName).toBe('Clara');
    });

    // KNOWN BUG (reported, not ours to fix): RoleService.update reads an explicit null ("clear")
    // as "not sent" (`input.description != null`), so userRole[description__null] changes nothing.
    it('foo__null clears a field on update (userRole.description)', async () => {
      const role = await run(client(t, ks), kaltura.services.userRole.add(new kaltura.objects.UserRole({ name: `Clearable ${Date.now()}`, description: 'soon gone', permissionNames: 'KMC_ACCESS' })));
      expect(role.description).toBe('soon gone');
      const r = await post(t, '/api_v3/service/userrole/action/update', form({ ks, format: 1, userRoleId: role.id, 'userRole[objectType]': 'KalturaUserRole', 'userRole[description__null]': 1 }));
      expect(r.json()).toMatchObject({ objectType: 'KalturaUserRole', id: role.id });
      const after = await run(client(t, ks), kaltura.services.userRole.get(role.id));
      expect(after.description ?? '').toBe('');
      expect(after.name).toBe(role.name);
    });

    it('the - empty-array marker never crashes', async () => {
      const list = await post(t, '/api_v3/service/userrole/action/list', form({ ks, format: 1, 'filter:-': '' }));
      expect(list.json()).toMatchObject({ objectType: 'KalturaUserRoleListResponse' });
      const bracket = await post(t, '/api_v3/service/userrole/action/list', `ks=${ks}&format=1&filter[systemNameEqual][-]=`);
      expect(bracket.json()).toMatchObject({ code: 'PROPERTY_VALIDATION_WRONG_FORMAT', args: { PROP_NAME: 'systemNameEqual' } });
    });

    it('time filters take small values as relative to the server clock', async () => {
      const manager = await ownRole('MANAGER');
      const q = (v: string | number) => post(t, '/api_v3/service/userrole/action/list', form({ ks, format: 1, 'filter:idEqual': manager.id, 'filter:createdAtGreaterThanOrEqual': v }));
      expect((await q(-3600)).json().totalCount).toBe(1); // now - 1 h
      expect((await q(3600)).json().totalCount).toBe(0); // now + 1 h
      expect((await q(manager.createdAt)).json().totalCount).toBe(1); // absolute
      t.clock.advance(7200);
      expect((await q(-3600)).json().totalCount).toBe(0); // the role is now 2 h old
    });
  });

  describe(`api_v3 malformed input [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'wire-malformed');
      p = await registerPartner(t, 'Malformed Partner');
    });
    afterAll(() => t?.close());

    /** Sends raw bytes; the answer must be HTTP 200 with a KalturaAPIException, and the server must live on. */
    const exceptionFor = async (body: string | Buffer, contentType = 'application/x-www-form-urlencoded', path = `${SESSION_START}?format=1`) => {
      const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
      const text = await res.text();
      expect(res.status, text.slice(0, 200)).toBe(200);
      const json = JSON.parse(text);
      expect(json).toMatchObject({ objectType: 'KalturaAPIException' });
      expect(json.code).not.toBe('INTERNAL_SERVERL_ERROR');
      const alive = await run<string>(client(t), kaltura.services.session.start(p.adminSecret, 'still-here', 2, p.id));
      expect(alive).toMatch(/^djJ8/);
      return json as { code: string; args: Record<string, string> | [] };
    };

    it('invalid JSON is ignored as PHP does: the mandatory parameter is missing', async () => {
      expect(await exceptionFor(`{"secret": "${p.adminSecret}", "partnerId": }`, 'application/json')).toMatchObject({ code: 'MISSING_MANDATORY_PARAMETER', args: { PARAM_NAME: 'secret' } });
      expect(await exceptionFor(`{"secret": "${p.adminSecret}"`, 'application/json')).toMatchObject({ code: 'MISSING_MANDATORY_PARAMETER' });
      expect(await exceptionFor(`["${p.adminSecret}"]`, 'application/json')).toMatchObject({ code: 'MISSING_MANDATORY_PARAMETER' });
      expect(await exceptionFor(`secret=${p.adminSecret}`, 'text/plain')).toMatchObject({ code: 'MISSING_MANDATORY_PARAMETER' });
    });

    it('a 2 MB body gets a clear exception with HTTP 200', async () => {
      const big = `secret=${p.adminSecret}&partnerId=${p.id}&userId=${'x'.repeat(2 * 1024 * 1024)}`;
      expect(await exceptionFor(big)).toMatchObject({ code: 'PROPERTY_VALIDATION_MAX_LENGTH' });
      const bigJson = JSON.stringify({ secret: p.adminSecret, partnerId: p.id, userId: 'y'.repeat(2 * 1024 * 1024) });
      expect(await exceptionFor(bigJson, 'application/json')).toMatchObject({ code: 'PROPERTY_VALIDATION_MAX_LENGTH' });
    });

    it('deeply nested brackets, colon paths and JSON are refused, not recursed into', async () => {
      const brackets = `secret${'[a]'.repeat(5000)}=1&partnerId=${p.id}`;
      expect(await exceptionFor(brackets)).toMatchObject({ code: 'PROPERTY_VALIDATION_WRONG_FORMAT', args: { PROP_NAME: 'secret' } });
      const colons = `partnerId=${p.id}&${'a:'.repeat(5000)}b=1`;
      expect(await exceptionFor(colons)).toMatchObject({ code: 'PROPERTY_VALIDATION_WRONG_FORMAT' });
      const deepJson = `{"partnerId":${p.id},"secret":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
      expect(await exceptionFor(deepJson, 'application/json')).toMatchObject({ code: 'PROPERTY_VALIDATION_WRONG_FORMAT' });
      const deepObjects = `{"partnerId":${p.id},"secret":"${p.adminSecret}","x":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
      const r = await fetch(`${t.url}${SESSION_START}?format=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deepObjects });
      expect(r.status).toBe(200);
      expect(((await r.json()) as { objectType: string }).objectType).toBe('KalturaAPIException');
    });

    it('__proto__ and constructor keys reach neither the parameters nor any prototype', async () => {
      const form1 = `__proto__[secret]=${p.adminSecret}&constructor[prototype][polluted]=yes&__proto__[polluted]=yes&partnerId=${p.id}`;
      expect(await exceptionFor(form1)).toMatchObject({ code: 'MISSING_MANDATORY_PARAMETER', args: { PARAM_NAME: 'secret' } });
      const json1 = `{"__proto__":{"secret":"${p.adminSecret}","polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"partnerId":${p.id}}`;
      expect(await exceptionFor(json1, 'application/json')).toMatchObject({ code: 'MISSING_MANDATORY_PARAMETER', args: { PARAM_NAME: 'secret' } });
      expect(await exceptionFor(`__proto__:secret=${p.adminSecret}&partnerId=${p.id}`)).toMatchObject({ code: 'MISSING_MANDATORY_PARAMETER' });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).secret).toBeUndefined();
      // A type smuggled through __proto__ is not the type parameter: this is a USER session.
      const ok = await post(t, `${SESSION_START}?format=1`, `secret=${p.adminSecret}&partnerId=${p.id}&__proto__[type]=2`);
      expect(await run(client(t, await adminKs(t, p)), kaltura.services.session.get(ok.json()))).toMatchObject({ sessionType: '0' });
    });

    it('invalid UTF-8 bytes are dropped; characters XML cannot carry are refused', async () => {
      const body = Buffer.concat([Buffer.from(`secret=${p.adminSecret}&partnerId=${p.id}&type=2&userId=ab`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('cd')]);
      const r = await fetch(`${t.url}${SESSION_START}?format=1`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      const k = (await r.json()) as string;
      expect(await run(client(t, await adminKs(t, p)), kaltura.services.session.get(k))).toMatchObject({ userId: 'abcd' });
      const escaped = await post(t, `${SESSION_START}?format=1`, `secret=${p.adminSecret}&partnerId=${p.id}&type=2&userId=e%FF%C3f`);
      expect(await run(client(t, await adminKs(t, p)), kaltura.services.session.get(escaped.json()))).toMatchObject({ userId: 'ef' });
      expect(await exceptionFor(`secret=${p.adminSecret}&partnerId=${p.id}&userId=a%00b`)).toMatchObject({ code: 'INVALID_PARAMETER_CHAR', args: { XML_FIELD: 'userId' } });
      const badKs = Buffer.concat([Buffer.from('ks=djJ8'), Buffer.from([0xff, 0x80, 0xfe]), Buffer.from('AAAA')]);
      expect(await exceptionFor(badKs, 'application/x-www-form-urlencoded', '/api_v3/service/session/action/get?format=1')).toMatchObject({ code: 'INVALID_KS' });
    });

    it('a 10 kB KS is INVALID_KS', async () => {
      for (const ks of [`djJ8${'A'.repeat(10_240)}`, 'x'.repeat(10_240), `djJ8${p.id}|${'Q'.repeat(10_240)}`]) {
        expect(await exceptionFor(form({ ks }), 'application/x-www-form-urlencoded', '/api_v3/service/session/action/get?format=1')).toMatchObject({ code: 'INVALID_KS', args: { ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' } });
      }
      // A KS that is not a string at all is no KS: the call is treated as anonymous.
      expect(await exceptionFor('ks[a]=b', 'application/x-www-form-urlencoded', '/api_v3/service/session/action/get?format=1')).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
    });

    it('garbage in the query string', async () => {
      const r = await post(t, `${SESSION_START}?format=1&${'%'.repeat(50)}=1&%E0%A4%A=2&a[=3`, '');
      expect(r.status).toBe(200);
      expect(r.json()).toMatchObject({ code: 'MISSING_MANDATORY_PARAMETER', args: { PARAM_NAME: 'secret' } });
    });

    // The router refuses these before any door runs; `frameworkErrors` answers in Kaltura's shape.
    it('garbage percent-escapes in the path', async () => {
      for (const path of ['/api_v3/service/%ZZ/action/start?format=1', '/api_v3/service/session/action/start/%E0%A4%A?format=1']) {
        const r = await post(t, path, '');
        expect(r.status, path).toBe(200);
        expect(r.json().objectType).toBe('KalturaAPIException');
      }
    });
  });
}
