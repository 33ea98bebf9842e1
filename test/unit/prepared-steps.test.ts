/** PreparedSteps (services/pipeline/prepared.ts): where a conclusion is filed, and when it is found again. */
import { describe, expect, it } from 'vitest';
import { Prepared, PreparedSteps } from '../../src/services/pipeline/prepared.js';
import type { Entry } from '../../src/services/model.js';
import type { KsCheck } from '../../src/services/sessions/authenticate.js';

const entry = { id: '0_e', partnerId: 100, startDate: null, endDate: null } as unknown as Entry;
const judging = Object.freeze({ profile: undefined, metadata: [] });
const check = { ks: {}, privileges: new Map(), raw: 'ks' } as unknown as KsCheck;

describe('prepared steps', () => {
  it("a session's conclusion is found only under its KS digest, never by an anonymous request", () => {
    const epoch = { value: 0 };
    const steps = new PreparedSteps(epoch);
    steps.keep(undefined, new Prepared(0, 5000, 100, check, undefined, entry, judging));
    expect(steps.find(undefined, 100, '0_e', 0)).toBeUndefined();
    const p = new Prepared(0, 5000, 100, check, undefined, entry, judging);
    steps.keep('digest-a', p);
    expect(steps.find('digest-a', 100, '0_e', 0)).toBe(p);
    expect(steps.find('digest-b', 100, '0_e', 0)).toBeUndefined();
    expect(steps.find(undefined, 100, '0_e', 0)).toBeUndefined();
  });

  it('is not found once the change count moves, after its time, or for another partner', () => {
    const epoch = { value: 3 };
    const steps = new PreparedSteps(epoch);
    const p = new Prepared(3, 5000, 100, undefined, undefined, entry, judging);
    steps.keep(undefined, p);
    expect(steps.find(undefined, 100, '0_e', 4999)).toBe(p);
    expect(steps.find(undefined, 100, '0_e', 5000)).toBeUndefined();
    expect(steps.find(undefined, 101, '0_e', 0)).toBeUndefined();
    epoch.value = 4;
    expect(steps.find(undefined, 100, '0_e', 0)).toBeUndefined();
    // Prepared under an older count: not kept at all.
    steps.keep(undefined, new Prepared(3, 5000, 100, undefined, undefined, entry, judging));
    expect(steps.find(undefined, 100, '0_e', 0)).toBeUndefined();
  });
});
