/**
 * Duplicates → 409 with a clear code, never the existing secret (adminutil re-disclosed it):
 * a username twice in one partner is CONSUMER_ALREADY_EXISTS; a taken credential key, in any
 * partner, is CREATE_CREDENTIAL_ERROR with adminutil's own wording.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken } from '../support/rest.js';
import { createConsumer, expectEnvelope, sunbird } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`consumer duplicates 409 [${dialect}]`, () => {
    let t: TestGatehouse;
    let a: string;
    let b: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'consumer-409');
      a = await adminToken(t, await registerPartner(t, 'A'));
      b = await adminToken(t, await registerPartner(t, 'B'));
    });
    afterAll(() => t?.close());

    it('a username is unique per partner', async () => {
      const first = await createConsumer(t, a, 'portal');
      const again = await sunbird(t, 'create', { username: 'portal' }, { token: a });
      expectEnvelope(again, 409, 'consumer.create', 'CONSUMER_ALREADY_EXISTS');
      expect(again.json.params.errmsg).toBe('CONSUMER ALREADY EXISTS. USERNAME: portal');
      expect(again.text).not.toContain(first.secret);
      // Another partner has its own namespace.
      expectEnvelope(await sunbird(t, 'create', { username: 'portal' }, { token: b }), 200, 'consumer.create');
    });

    it('a credential key is unique across the installation', async () => {
      await createConsumer(t, a, 'partner-app');
      await createConsumer(t, b, 'other-app');
      expectEnvelope(await sunbird(t, 'partner-app/credential/register', { key: 'partner-iss-1' }, { token: a }), 200, 'credential.register');
      for (const [token, user] of [[a, 'partner-app'], [b, 'other-app']] as const) {
        const r = await sunbird(t, `${user}/credential/register`, { key: 'partner-iss-1' }, { token });
        expectEnvelope(r, 409, 'credential.register', 'CREATE_CREDENTIAL_ERROR');
        expect(r.json.params.errmsg).toBe('ERROR WHEN CREATING CREDENTIAL FOR CONSUMER. KEY : partner-iss-1, already exists.');
      }
    });
  });
}
