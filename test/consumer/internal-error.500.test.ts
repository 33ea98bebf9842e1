/**
 * A fault behind the consumer door (here: its table is gone) answers Sunbird's 500
 * INTERNAL_ERROR envelope with a generic message: no stack, no SQL, no secret; the server keeps
 * serving.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken } from '../support/rest.js';
import { expectEnvelope, sunbird } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`consumer door 500 [${dialect}]`, () => {
    let t: TestGatehouse;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'consumer-500');
      token = await adminToken(t, await registerPartner(t));
    });
    afterAll(() => t?.close());

    it('a storage fault is INTERNAL_ERROR in the envelope, nothing internal in it', async () => {
      await sql`DROP TABLE consumer_credentials`.execute(t.store.db);
      const r = await sunbird(t, 'create', { username: 'doomed' }, { token, msgid: 'm-500' });
      expect(expectEnvelope(r, 500, 'consumer.create', 'INTERNAL_ERROR')).toEqual({});
      expect(r.json.params.msgid).toBe('m-500');
      expect(r.text).not.toMatch(/consumer_credentials|SQL|stack|at /i);
      // Still serving: a read that needs no missing table answers in the envelope.
      expectEnvelope(await sunbird(t, 'nobody/read', undefined, { token }), 404, 'consumer.read', 'CONSUMER_GET_ERROR');
    });
  });
}
