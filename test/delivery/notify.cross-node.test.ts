/**
 * PostgreSQL: a profile edited, or an entry moved to another profile, on node A changes node B's
 * delivery decisions within a second through LISTEN/NOTIFY — B's poll is set to a minute, so the
 * poll cannot be what told it. (SQLite nodes share one file on one host and rely on the poll,
 * covered by the conformance suite.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { block, rule, strings } from '../support/access-control.js';
import { DIALECTS } from '../support/dialects.js';
import { FR, ORIGIN, request, startDeliveryWorld, US, type DeliveryWorld } from '../support/delivery.js';
import { kaltura, run, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

const O = kaltura.objects;
const BOUND_MS = 1000;

const blockCountry = (code: string) => rule({ conditions: [new O.CountryCondition({ values: strings(code) })], actions: [block()], message: `${code} blocked` });

describe.skipIf(!DIALECTS.includes('postgres'))('delivery decisions across nodes by NOTIFY [postgres]', () => {
  let w: DeliveryWorld;
  let b: TestGatehouse;
  beforeAll(async () => {
    w = await startDeliveryWorld('postgres', 'delivery-notify', { syncIntervalMs: 60_000 });
    b = await startGatehouse('postgres', 'delivery-notify-b', { share: w.t, syncIntervalMs: 60_000, env: { GATEHOUSE_DELIVERY_ORIGIN: ORIGIN } });
  });
  afterAll(async () => {
    await b?.close();
    await w?.close();
  });

  const statusOnB = async (entryId: string, ip: string) => (await request(b, w.playUrl(entryId), { remoteAddress: ip })).status;

  /** Polls node B until `ip` gets `status` for the entry; how long that took. */
  async function untilOnB(entryId: string, ip: string, status: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      const got = await statusOnB(entryId, ip);
      if (got === status) return Date.now() - started;
      if (Date.now() - started > 3 * BOUND_MS) throw new Error(`node B still answers ${got} for ${ip}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('an edited profile', async () => {
    const { profile, entry } = await w.entryWith([blockCountry('FR')]);
    // B loads the entry and the compiled profile into its caches.
    expect(await statusOnB(entry.id, FR)).toBe(403);
    expect(await statusOnB(entry.id, US)).toBe(302);
    await run(w.admin, kaltura.services.accessControlProfile.update(profile.id, new O.AccessControlProfile({ rules: [blockCountry('US')] })));
    expect(await untilOnB(entry.id, US, 403)).toBeLessThan(BOUND_MS);
    expect(await statusOnB(entry.id, FR)).toBe(302);
  });

  it('an entry moved to another profile, and a deleted profile', async () => {
    const { entry } = await w.entryWith([blockCountry('FR')]);
    const { profile: other } = await w.entryWith([blockCountry('US')]);
    expect(await statusOnB(entry.id, FR)).toBe(403);
    await run(w.admin, kaltura.services.baseEntry.update(entry.id, new O.BaseEntry({ accessControlId: other.id })));
    expect(await untilOnB(entry.id, FR, 302)).toBeLessThan(BOUND_MS);
    expect(await statusOnB(entry.id, US)).toBe(403);
    // Deleting the profile re-points the entry to the partner's rule-less default: everyone may play.
    await run(w.admin, kaltura.services.accessControlProfile.deleteAction(other.id));
    expect(await untilOnB(entry.id, US, 302)).toBeLessThan(BOUND_MS);
  });
});
