/**
 * Entry calls as kmc-ng makes them (issue 20), through the official client on every dialect:
 * free-text search, the fields its entry list reads (moderation status, duration, plays), and the
 * flavor assets of an entry without stored media.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse } from '../../support/gatehouse.js';

const O = kaltura.objects;

for (const dialect of DIALECTS) {
  describe(`entry calls kmc-ng makes [${dialect}]`, () => {
    let t: TestGatehouse;
    let c: any;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'kmc-calls');
      const p = await registerPartner(t, 'Free Text U');
      c = client(t, await adminKs(t, p));
      for (const [name, description, tags] of [
        ['Organic Chemistry 1', 'Alkanes and alkenes', 'chem,year1'],
        ['Organic chemistry 2', 'Aromatics', 'chem,year2'],
        ['Physics 1', 'Mechanics, with some chemistry', 'phys'],
        ['History', '', 'hist,100%'],
      ]) {
        ids[name!] = (await run(c, kaltura.services.media.add(new O.MediaEntry({ name, description, tags, mediaType: 1 })))).id;
      }
    });
    afterAll(() => t?.close());

    const freeText = async (text: string): Promise<string[]> => {
      const r = await run(c, kaltura.services.baseEntry.listAction(new O.MediaEntryFilter({ freeText: text })));
      return r.objects.map((e: any) => e.name).sort();
    };

    it('freeText: every word in the name, description or tags, any case; or the entry id', async () => {
      expect(await freeText('chemistry')).toEqual(['Organic Chemistry 1', 'Organic chemistry 2', 'Physics 1']);
      expect(await freeText('organic 2')).toEqual(['Organic chemistry 2']);
      expect(await freeText('YEAR1')).toEqual(['Organic Chemistry 1']);
      expect(await freeText('100%')).toEqual(['History']);
      expect(await freeText('%')).toEqual(['History']);
      expect(await freeText(ids.History!)).toEqual(['History']);
      expect(await freeText('biology')).toEqual([]);
    });

    it('entries read as auto-approved (kmc-ng shows them Ready) with no media: duration and plays 0', async () => {
      const e = await run(c, kaltura.services.baseEntry.get(ids['Physics 1']!));
      expect(e).toMatchObject({ objectType: 'KalturaMediaEntry', moderationStatus: 6, duration: 0, msDuration: 0, plays: 0, views: 0 });
    });

    it('flavorAsset.getFlavorAssetsWithParams: none for an entry without media; an unknown entry is ENTRY_ID_NOT_FOUND', async () => {
      expect(await run(c, kaltura.services.flavorAsset.getFlavorAssetsWithParams(ids.History!))).toEqual([]);
      expect(await failure(c, kaltura.services.flavorAsset.getFlavorAssetsWithParams('0_nothere'))).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND' });
    });
  });
}
