/**
 * An entry that still names a deleted profile (a write that raced the deletion, or a stale cached
 * entry), or another partner's profile, is judged by its partner's default profile, as deleting
 * the profile re-points its entries: never by "no rules", which would allow everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntry, addProfile, block, blocked, contextData, rule } from '../support/access-control.js';
import { DIALECTS } from '../support/dialects.js';
import { startDeliveryWorld, type DeliveryWorld } from '../support/delivery.js';
import { adminKs, client, kaltura, registerPartner, run } from '../support/gatehouse.js';

for (const dialect of DIALECTS) {
  describe(`an entry naming a deleted or foreign profile gets the partner default [${dialect}]`, () => {
    let w: DeliveryWorld;
    let base: string;
    beforeAll(async () => {
      w = await startDeliveryWorld(dialect, 'delivery-deleted-profile');
      base = `http://127.0.0.1:${(w.t.gh.app.server.address() as { port: number }).port}`;
      // The partner default blocks everything.
      await addProfile(w.admin, 'closed default', [rule({ actions: [block()], message: 'Closed by default' })], { isDefault: 1 });
    });
    afterAll(() => w?.close());

    /** An entry whose row names `deleted` (as if written just after the deletion re-pointed the others). */
    async function orphanEntry(): Promise<{ id: string; deleted: number }> {
      const gone = await addProfile(w.admin, `gone ${Math.random()}`, []);
      await run(w.admin, kaltura.services.accessControlProfile.deleteAction(gone.id));
      const entry = await addEntry(w.admin, {});
      await w.t.store.db.updateTable('entries').set({ access_control_id: gone.id }).where('id', '=', entry.id).execute();
      return { id: entry.id as string, deleted: gone.id as number };
    }

    it('forward-auth refuses with the default rule, from the database and from memory', async () => {
      const { id } = await orphanEntry();
      const ask = async () => {
        const res = await fetch(`${base}/authz/delivery`, { headers: { 'x-original-uri': w.playUrl(id) } });
        return { status: res.status, body: (await res.json()) as { reason: string; message: string } };
      };
      const cold = await ask();
      expect(cold).toEqual({ status: 403, body: expect.objectContaining({ reason: 'blocked', message: 'Closed by default' }) });
      expect(await ask()).toEqual(cold);
    });

    it("an entry naming another partner's profile is judged by its own partner's default, never by the other's rules", async () => {
      const other = await registerPartner(w.t, 'Other U');
      const otherAdmin = client(w.t, await adminKs(w.t, other));
      const open = await addProfile(otherAdmin, 'wide open elsewhere', []);
      const entry = await addEntry(w.admin, {});
      await w.t.store.db.updateTable('entries').set({ access_control_id: open.id }).where('id', '=', entry.id).execute();
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${base}/authz/delivery`, { headers: { 'x-original-uri': w.playUrl(entry.id as string) } });
        expect(res.status).toBe(403);
        expect(((await res.json()) as { message: string }).message).toBe('Closed by default');
      }
    });

    it('getContextData reports the default profile and its block action', async () => {
      const { id } = await orphanEntry();
      // A USER session: ADMIN sessions skip rules without forceAdminValidation.
      const { result, acp } = await contextData(w.t, await w.userKs('viewer@uni.test'), id, { 'contexts[0][type]': 1 });
      expect(blocked(result)).toBe(true);
      expect(result.messages).toEqual([{ value: 'Closed by default', objectType: 'KalturaString' }]);
      expect(acp).not.toBeNull();
    });
  });
}
