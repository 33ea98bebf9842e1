/**
 * `{username}/grant` replaces the group set (as adminutil's code does), `{username}/read` answers
 * `{username, groups}`, `{username}/delete` removes the consumer and its credentials; unknown
 * consumers are CONSUMER_GET_ERROR (404); missing or malformed groups are BAD_REQUEST.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken } from '../support/rest.js';
import { authz, createConsumer, createService, expectEnvelope, expectKong, sunbird, sunbirdToken } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`consumer grant / read / delete [${dialect}]`, () => {
    let t: TestGatehouse;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'consumer-grant');
      token = await adminToken(t, await registerPartner(t));
    });
    afterAll(() => t?.close());

    it('grant replaces the groups; read shows them', async () => {
      await createConsumer(t, token, 'desktop');
      expect(expectEnvelope(await sunbird(t, 'desktop/read', undefined, { token }), 200, 'consumer.read')).toEqual({ username: 'desktop', groups: [] });
      const g1 = await sunbird(t, 'desktop/grant', { groups: ['contentUser', 'contentAdmin', 'contentUser'] }, { token, msgid: 'g-1' });
      expect(expectEnvelope(g1, 200, 'consumer.grant')).toEqual({ groups: ['contentUser', 'contentAdmin'], username: 'desktop' });
      expect(g1.json.params.msgid).toBe('g-1');
      const g2 = await sunbird(t, 'desktop/grant', { groups: ['userAccess'] }, { token });
      expect(expectEnvelope(g2, 200, 'consumer.grant')).toEqual({ groups: ['userAccess'], username: 'desktop' });
      expect(expectEnvelope(await sunbird(t, 'desktop/read', {}, { token }), 200, 'consumer.read')).toEqual({ username: 'desktop', groups: ['userAccess'] });
    });

    it('groups are mandatory and must be group names', async () => {
      await createConsumer(t, token, 'grouped');
      for (const request of [{}, { groups: [] }, { groups: 'contentUser' }]) {
        const r = await sunbird(t, 'grouped/grant', request, { token });
        expectEnvelope(r, 400, 'consumer.grant', 'BAD_REQUEST');
        expect(r.json.params.errmsg).toBe('GROUPS ARE MANDATORY');
      }
      expectEnvelope(await sunbird(t, 'grouped/grant', { groups: ['has space'] }, { token }), 400, 'consumer.grant', 'BAD_REQUEST');
      expectEnvelope(await sunbird(t, 'grouped/grant', { groups: [7] }, { token }), 400, 'consumer.grant', 'BAD_REQUEST');
    });

    it('unknown consumers → 404 CONSUMER_GET_ERROR', async () => {
      const r = await sunbird(t, 'nobody/read', {}, { token });
      expectEnvelope(r, 404, 'consumer.read', 'CONSUMER_GET_ERROR');
      expect(r.json.params.errmsg).toBe('ERROR WHEN GETTING CONSUMER, USERNAME: nobody. CONSUMER DOES NOT EXIST');
      expectEnvelope(await sunbird(t, 'nobody/grant', { groups: ['a'] }, { token }), 404, 'consumer.grant', 'CONSUMER_GET_ERROR');
      expectEnvelope(await sunbird(t, 'nobody/delete', {}, { token }), 404, 'consumer.delete', 'CONSUMER_GET_ERROR');
    });

    it('delete removes the consumer and its credentials: its tokens stop at once, the name is free again', async () => {
      const { key, secret } = await createConsumer(t, token, 'leaving');
      await createService(t, token, { name: 'Everything', routePrefix: '/', allowedGroups: ['all'] });
      expectEnvelope(await sunbird(t, 'leaving/grant', { groups: ['all'] }, { token }), 200, 'consumer.grant');
      expect((await authz(t, { uri: '/x', token: sunbirdToken(key, secret) })).status).toBe(200);
      const del = await sunbird(t, 'leaving/delete', {}, { token });
      expect(expectEnvelope(del, 200, 'consumer.delete')).toEqual({});
      expectKong(await authz(t, { uri: '/x', token: sunbirdToken(key, secret) }), 401, "No credentials found for given 'iss'");
      expectEnvelope(await sunbird(t, 'leaving/read', {}, { token }), 404, 'consumer.read', 'CONSUMER_GET_ERROR');
      const again = await createConsumer(t, token, 'leaving');
      expect(again.key).not.toBe(key);
      expect(await t.store.db.selectFrom('consumer_credentials').select('key').where('key', '=', key).execute()).toEqual([]);
    });
  });
}
