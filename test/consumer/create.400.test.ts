/**
 * Sunbird's validation → 400 BAD_REQUEST in the envelope, with adminutil's messages: username
 * required, no spaces, not a UUID; unparsable JSON; a body or `request` that is not an object.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken } from '../support/rest.js';
import { expectEnvelope, sunbird } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`consumer create 400 [${dialect}]`, () => {
    let t: TestGatehouse;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'consumer-create-400');
      token = await adminToken(t, await registerPartner(t));
    });
    afterAll(() => t?.close());

    const errmsg = async (request: Record<string, unknown> | undefined) => {
      const r = await sunbird(t, 'create', request, { token });
      expectEnvelope(r, 400, 'consumer.create', 'BAD_REQUEST');
      return r.json.params.errmsg as string;
    };

    it('username is mandatory', async () => {
      expect(await errmsg({})).toBe('USERNAME IS MANDATORY');
      expect(await errmsg({ username: '' })).toBe('USERNAME IS MANDATORY');
      expect(await errmsg({ username: 42 })).toBe('USERNAME IS MANDATORY');
      expect(await errmsg(undefined)).toBe('USERNAME IS MANDATORY');
    });

    it('no spaces, not a UUID (Kong limitation), path-safe and bounded', async () => {
      expect(await errmsg({ username: 'has space' })).toBe('USERNAME MUST NOT HAVE SPACE');
      expect(await errmsg({ username: 'tab\there' })).toBe('USERNAME MUST NOT HAVE SPACE');
      expect(await errmsg({ username: '0f8fad5b-d9cb-469f-a165-70867728950e' })).toBe('USERNAME MUST NOT BE A UUID');
      expect(await errmsg({ username: 'a/b' })).toMatch(/^USERNAME MUST HAVE AT MOST 100 CHARACTERS/);
      expect(await errmsg({ username: 'x'.repeat(101) })).toMatch(/^USERNAME MUST HAVE AT MOST 100 CHARACTERS/);
      expectEnvelope(await sunbird(t, 'create', { username: 'x'.repeat(100) }, { token }), 200, 'consumer.create');
    });

    it('unparsable JSON, and bodies that are not the envelope', async () => {
      for (const raw of ['{"request": {"username": "x"', 'not json', '[1,2]', '"text"']) {
        const r = await sunbird(t, 'create', undefined, { token, raw });
        expectEnvelope(r, 400, 'consumer.create', 'BAD_REQUEST');
        expect(r.json.params.msgid).toBeNull();
        // The parser's message (which quotes the body) is never echoed.
        expect(r.text).not.toContain('"username": "x"');
      }
      expect((await sunbird(t, 'create', undefined, { token, raw: 'oops' })).json.params.errmsg).toBe('JSON IS NOT PARSABLE');
      const notObject = await sunbird(t, 'create', undefined, { token, raw: JSON.stringify({ params: { msgid: 'm-9' }, request: 'x' }) });
      expectEnvelope(notObject, 400, 'consumer.create', 'BAD_REQUEST');
      expect(notObject.json.params).toMatchObject({ msgid: 'm-9', errmsg: 'REQUEST MUST BE AN OBJECT' });
    });

    it('an unknown route under /v1/consumer is a 404 envelope; an unreadable URL a 400 one', async () => {
      const r = await sunbird(t, 'nobody/unknown', {}, { token });
      expectEnvelope(r, 404, 'unknown', 'ROUTE_NOT_FOUND');
      const bad = await sunbird(t, 'a%zz/read', {}, { token });
      expectEnvelope(bad, 400, 'unknown', 'BAD_REQUEST');
      expect(bad.json.params.errmsg).toBe('THE REQUEST URL IS NOT VALID (BAD PERCENT-ENCODING)');
    });
  });
}
