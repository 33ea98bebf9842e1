/**
 * A client's malformed input is the client's error in every door: an unparsable Content-Type, an
 * object-valued `format` or `language` (`format[a]=1`, `{"format":{"x":1}}`) get the door's own
 * validation answer — a KalturaAPIException with a validation code, problem+json 4xx, the Sunbird
 * envelope's BAD_REQUEST — and are logged, if at all, as client errors: never an `error` line,
 * never a stack, never INTERNAL_SERVERL_ERROR, never a 5xx. (The outside pass saw the Kaltura door
 * log each of these with a stack and answer INTERNAL_SERVERL_ERROR.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { captureLogs } from '../support/logs.js';
import { adminKs, client, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api } from '../support/rest.js';
import { expectEnvelope, sunbird } from '../support/consumer.js';

const SESSION_GET = '/api_v3/service/session/action/get';
/** Content-Type headers that are not media types at all (Fastify cannot parse them). */
const UNPARSABLE_TYPES = ['a/b/c', ';;;', '/json', 'application/'];

for (const dialect of DIALECTS) {
  describe(`malformed client input is a client error in every door [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let ks: string;
    let token: string;
    const { logger, lines } = captureLogs('debug');
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'client-errors', { logger });
      p = await registerPartner(t, 'Client Errors U');
      ks = await adminKs(t, p);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());
    beforeEach(() => {
      lines.length = 0;
    });

    /** No line at error or fatal level, and no stack anywhere, since the mark. */
    const expectNoFaultLogged = () => {
      const faults = lines.filter((l) => l.level === 'error' || l.level === 'fatal');
      expect(faults, JSON.stringify(faults).slice(0, 500)).toEqual([]);
      expect(JSON.stringify(lines)).not.toContain('"stack"');
    };

    /** A raw POST to the Kaltura door; HTTP 200 with an exception (JSON or XML), as Kaltura answers. */
    const kalturaPost = async (path: string, body: string, contentType: string) => {
      const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
      const text = await res.text();
      expect(res.status, text.slice(0, 200)).toBe(200);
      expect(text).not.toContain('INTERNAL_SERVERL_ERROR');
      return text;
    };
    const codeOf = (text: string): string => (text.startsWith('<') ? (/<code>([^<]*)<\/code>/.exec(text)?.[1] ?? '') : (JSON.parse(text) as { code: string }).code);

    it('Kaltura: an unparsable Content-Type is PROPERTY_VALIDATION_WRONG_FORMAT, logged at info without a stack', async () => {
      for (const type of UNPARSABLE_TYPES) {
        const text = await kalturaPost(`${SESSION_GET}?format=1`, `ks=${ks}`, type);
        expect(JSON.parse(text), type).toMatchObject({ objectType: 'KalturaAPIException', code: 'PROPERTY_VALIDATION_WRONG_FORMAT', args: { PROP_NAME: 'Content-Type' } });
      }
      expect(lines.filter((l) => l.msg === 'kaltura request unreadable')).toHaveLength(UNPARSABLE_TYPES.length);
      expect(lines.find((l) => l.msg === 'kaltura request unreadable')).toMatchObject({ level: 'info', code: 'PROPERTY_VALIDATION_WRONG_FORMAT' });
      expectNoFaultLogged();
      // A type the door does not read (text/plain) is still only ignored, as PHP does.
      expect(await run(client(t, ks), kaltura.services.session.get(ks))).toMatchObject({ partnerId: String(p.id) });
    });

    it('Kaltura: an object-valued format is UNKNOWN_RESPONSE_FORMAT, in every form it can arrive', async () => {
      const cases: Array<[string, string, string]> = [
        [`${SESSION_GET}?format[a]=1`, `ks=${ks}`, 'application/x-www-form-urlencoded'],
        [`${SESSION_GET}?format=1&format[a]=1`, `ks=${ks}`, 'application/x-www-form-urlencoded'],
        [SESSION_GET, `ks=${ks}&format[x]=1`, 'application/x-www-form-urlencoded'],
        [SESSION_GET, JSON.stringify({ ks, format: { x: 1 } }), 'application/json'],
        [SESSION_GET, JSON.stringify({ ks, format: [1] }), 'application/json'],
        ['/api_v3/service/multirequest', JSON.stringify({ ks, format: { x: 1 }, 1: { service: 'session', action: 'get' } }), 'application/json'],
      ];
      for (const [path, body, type] of cases) {
        const text = await kalturaPost(path, body, type);
        expect(codeOf(text), `${path} ${body}`).toBe('UNKNOWN_RESPONSE_FORMAT');
        expect(text, 'named as PHP prints an array').toContain('Array');
      }
      expectNoFaultLogged();
    });

    it('Kaltura: an object-valued language is INVALID_LANGUAGE_CODE, in single calls and multirequest items', async () => {
      const cases: Array<[string, string, string]> = [
        [`${SESSION_GET}?format=1&language[a]=1`, `ks=${ks}`, 'application/x-www-form-urlencoded'],
        [`${SESSION_GET}?format=1`, JSON.stringify({ ks, language: { x: 1 } }), 'application/json'],
        [`${SESSION_GET}?format=1`, JSON.stringify({ ks, language: ['en'] }), 'application/json'],
      ];
      for (const [path, body, type] of cases) {
        expect(JSON.parse(await kalturaPost(path, body, type)), `${path} ${body}`).toMatchObject({ code: 'INVALID_LANGUAGE_CODE', args: { LANGUAGE_CODE: 'Array' } });
      }
      const multi = JSON.parse(await kalturaPost('/api_v3/service/multirequest?format=1', `ks=${ks}&1:service=session&1:action=get&1:language[a]=1&2:service=session&2:action=get`, 'application/x-www-form-urlencoded'));
      expect(multi[0]).toMatchObject({ code: 'INVALID_LANGUAGE_CODE' });
      expect(multi[1]).toMatchObject({ objectType: 'KalturaSessionInfo' });
      const viaBody = JSON.parse(await kalturaPost('/api_v3/service/multirequest?format=1', JSON.stringify({ ks, 1: { service: 'session', action: 'get', language: { x: 1 } } }), 'application/json'));
      expect(viaBody[0]).toMatchObject({ code: 'INVALID_LANGUAGE_CODE' });
      expectNoFaultLogged();
    });

    it('Kaltura: other request-level parameters as objects are validation errors too', async () => {
      for (const name of ['service', 'action', 'ks', 'partnerId', 'ignoreNull', 'clientTag', 'apiVersion']) {
        await kalturaPost(`/api_v3?format=1&service=session&action=get&ks=${ks}&${name}[a]=1`, '', 'application/x-www-form-urlencoded');
        await kalturaPost('/api_v3/service/multirequest?format=1', `ks=${ks}&1:service=session&1:action=get&1:${name}[a]=1`, 'application/x-www-form-urlencoded');
      }
      expectNoFaultLogged();
    });

    it('REST: an unparsable Content-Type is 415 problem+json; object-valued format/language never a 5xx', async () => {
      for (const type of UNPARSABLE_TYPES) {
        const r = await api(t, 'POST', '/api/auth/access-token', { raw: JSON.stringify({ username: p.adminEmail, password: p.password }), contentType: type });
        expect(r.status, type).toBe(415);
        expect(r.headers.get('content-type')).toContain('application/problem+json');
        expect(r.json).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
      }
      const body = await api(t, 'POST', '/api/auth/access-token', { body: { username: p.adminEmail, password: p.password, format: { x: 1 }, language: { x: 1 } } });
      expect(body.status).toBe(400);
      expect(body.json.code).toBe('INVALID_REQUEST');
      const query = await fetch(`${t.url}/api/users?format[a]=1&language[a]=1&pageSize[a]=1`, { headers: { authorization: `Bearer ${token}` } });
      expect(query.status).toBeLessThan(500);
      expectNoFaultLogged();
    });

    it('consumer door: an unparsable Content-Type is the envelope\'s 400 BAD_REQUEST; object-valued format/language never a 5xx', async () => {
      for (const type of UNPARSABLE_TYPES) {
        const r = await sunbird(t, 'create', undefined, { token, raw: JSON.stringify({ request: { username: 'ct-x' } }), contentType: type });
        expectEnvelope(r, 400, 'consumer.create', 'BAD_REQUEST');
      }
      const r = await sunbird(t, 'create', { username: 'fmt-x', format: { x: 1 }, language: { x: 1 } }, { token });
      expect(r.status).toBeLessThan(500);
      expectNoFaultLogged();
    });
  });
}
