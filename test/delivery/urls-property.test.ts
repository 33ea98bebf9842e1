/**
 * The delivery URL scanner (urls.ts) against a plain split-based reading of the same forms: for
 * any path built from the forms' vocabulary (and junk), both find the same partner, entry, context,
 * KS and KS position. The scanner avoids the split for speed; this keeps it honest.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContextType } from '../../src/core/access/model.js';
import { parseDeliveryUri } from '../../src/http/doors/delivery/urls.js';

const ACTIONS: Record<string, number> = { playmanifest: ContextType.PLAY, raw: ContextType.DOWNLOAD, thumbnail: ContextType.THUMBNAIL };

function decode(s: string, plus: boolean): string | undefined {
  try {
    return decodeURIComponent(plus ? s.replace(/\+/g, ' ') : s);
  } catch {
    return undefined;
  }
}

/** The forms read the obvious way: split the path, walk the pairs. */
function reference(uri: string): unknown {
  const [path = '', query = ''] = uri.split('#')[0]!.split(/\?(.*)/s);
  if (!path.startsWith('/p/')) return undefined;
  const seg = path.split('/');
  const partnerId = seg[2] ?? '';
  let i = 3;
  if (seg[i] === 'sp') i += 2;
  const context = Object.hasOwn(ACTIONS, (seg[i] ?? '').toLowerCase()) ? ACTIONS[(seg[i] ?? '').toLowerCase()] : undefined;
  if (context === undefined || partnerId === '') return undefined;
  let entryId: string | undefined;
  let ks: string | undefined;
  let ksSegment = -1;
  for (let k = i + 1; k + 1 < seg.length; k += 2) {
    const key = seg[k]!;
    if (key === 'entryId' || key === 'entry_id' || key === 'entryid') entryId ??= decode(seg[k + 1]!, false);
    else if (key === 'ks' && ksSegment < 0) {
      ks = decode(seg[k + 1]!, false);
      ksSegment = k;
    }
  }
  if (ksSegment < 0) {
    const q = query.split('&').find((p) => p.startsWith('ks='));
    ks = q === undefined ? '' : decode(q.slice(3), true);
  }
  if (entryId === undefined || !/^[1-9]\d{0,8}$/.test(partnerId) || !/^\w{1,64}$/.test(entryId) || ks === undefined || ks.length > 4096) return undefined;
  return { partnerId: Number(partnerId), entryId, context, ks, ksSegment };
}

const segment = fc.oneof(
  fc.constantFrom('p', 'sp', '10000', '100', 'playManifest', 'playmanifest', 'raw', 'thumbnail', 'entryId', 'entry_id', 'entryid', 'ks', 'djJ8MTAw', 'a%2Fb', '%zz', '0_abc123', 'format', 'url', 'a.mp4', ''),
  fc.stringMatching(/^[\w.%+-]{0,8}$/),
);

/** Mostly well-formed: a partner, an optional `sp` pair, an action, key/value pairs, a file name. */
const shaped = fc
  .tuple(
    fc.constantFrom('100', '100', '1', '0', '', 'x'),
    fc.option(fc.constantFrom('10000', '')),
    fc.constantFrom('playManifest', 'raw', 'thumbnail', 'RAW', 'download'),
    fc.array(fc.tuple(fc.constantFrom('entryId', 'entry_id', 'entryid', 'ks', 'format', 'flavorId'), fc.constantFrom('0_abc123', 'djJ8MTAw', 'a%2Fb', '%zz', '', 'url')), { maxLength: 5 }),
    fc.option(fc.constantFrom('a.mp4', 'ks', '')),
  )
  .map(([pid, sp, action, pairs, file]) => [pid, ...(sp === null ? [] : ['sp', sp]), action, ...pairs.flat(), ...(file === null ? [] : [file])]);

describe('delivery URL scanner', () => {
  it('reads every path as the split-based reference does', () => {
    let found = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: shaped, weight: 4 }, { arbitrary: fc.array(segment, { maxLength: 14 }), weight: 1 }), fc.option(fc.stringMatching(/^(ks=[\w%+]{0,6}|[\w=&%+]{0,10})$/)), (segments, query) => {
        const uri = `/p/${segments.join('/')}${query === null ? '' : `?${query}`}`;
        const expected = reference(uri);
        if (expected !== undefined) found++;
        expect(parseDeliveryUri(uri, false)).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
    // The generator must reach the interesting cases, not only refusals.
    expect(found).toBeGreaterThan(300);
  });

  it('agrees on the documented forms', () => {
    for (const uri of ['/p/100/sp/10000/playManifest/entryId/0_abc/ks/djJ8/format/url/a.mp4', '/p/100/thumbnail/entry_id/0_abc/width/100', '/p/100/sp/10000/raw/entry_id/0_abc/ks/x%2By/name/a.mp4?ks=other', '/p/100/sp/10000/playManifest/entryId/0_abc/a.mp4?ks=q+s']) {
      expect(parseDeliveryUri(uri, false)).toEqual(reference(uri));
      expect(parseDeliveryUri(uri, false)).toBeDefined();
    }
  });
});
