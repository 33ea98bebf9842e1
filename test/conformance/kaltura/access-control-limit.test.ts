/**
 * The per-partner profile limit is configurable: GATEHOUSE_ACCESS_CONTROL_PROFILE_LIMIT for the
 * installation, a partner's `accessControlProfileLimit` setting for one partner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProfile } from '../../support/access-control.js';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, startGatehouse, type TestGatehouse } from '../../support/gatehouse.js';

const O = kaltura.objects;
const S = kaltura.services.accessControlProfile;

for (const dialect of DIALECTS) {
  describe(`access-control profile limit [${dialect}]`, () => {
    let t: TestGatehouse;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'acp-limit', { env: { GATEHOUSE_ACCESS_CONTROL_PROFILE_LIMIT: '3' } });
    });
    afterAll(() => t?.close());

    it('GATEHOUSE_ACCESS_CONTROL_PROFILE_LIMIT=3: the default profile and two more, then MAX_NUMBER_OF_ACCESS_CONTROLS_REACHED', async () => {
      const p = await registerPartner(t, 'Limit Three U');
      const c = client(t, await adminKs(t, p));
      await addProfile(c, 'second', []);
      await addProfile(c, 'third', []);
      expect(await failure(c, S.add(new O.AccessControlProfile({ name: 'fourth' })))).toMatchObject({ code: 'MAX_NUMBER_OF_ACCESS_CONTROLS_REACHED', args: { MAX_NUM: '3' } });
    });

    it("a partner's accessControlProfileLimit setting replaces the installation's limit for that partner only", async () => {
      const p = await registerPartner(t, 'Limit Five U');
      const c = client(t, await adminKs(t, p));
      await t.store.db.updateTable('partners').set({ settings: JSON.stringify({ accessControlProfileLimit: 5 }) }).where('id', '=', p.id).execute();
      await t.gh.directory.changed('partner', String(p.id));
      for (const name of ['b', 'c', 'd', 'e']) await addProfile(c, name, []);
      expect(await failure(c, S.add(new O.AccessControlProfile({ name: 'f' })))).toMatchObject({ code: 'MAX_NUMBER_OF_ACCESS_CONTROLS_REACHED', args: { MAX_NUM: '5' } });
    });
  });
}
