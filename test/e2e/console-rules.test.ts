/**
 * The console's rule editor against the real REST door: every condition and action the editor can
 * add, with its defaults (plus the few values a person must type), is accepted and evaluated by
 * the simulator. Catches drift between console/src/rules/model.ts and the Kaltura rule codec.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, CONDITIONS, cleanRules, newRule, type KObject } from '../../console/src/rules/model.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken, api } from '../support/rest.js';

/** What the form asks a person to fill in before saving. */
function filled(c: KObject): KObject {
  const o: KObject = { ...c };
  const one = (value: string) => [{ objectType: 'KalturaStringValue', value }];
  if ('values' in o) o.values = one(o.objectType === 'KalturaCountryCondition' ? 'de, fr' : o.objectType === 'KalturaIpAddressCondition' ? '10.0.0.0/8' : o.objectType === 'KalturaSiteCondition' ? '*.example.com' : 'abc');
  if ('privileges' in o) o.privileges = one('sview:*');
  if ('headerName' in o) o.headerName = 'X-Device';
  if ('xPath' in o) o.xPath = '/metadata/Region';
  if ('hashName' in o) Object.assign(o, { hashName: 'h', hashSecret: 's' });
  if (o.objectType === 'KalturaOrCondition') o.conditions = [filled(CONDITIONS[0]!.make())];
  return o;
}

describe('console rule editor shapes', () => {
  let t: TestGatehouse;
  let token: string;
  beforeAll(async () => {
    t = await startGatehouse('sqlite', 'console-rules');
    token = await adminToken(t, await registerPartner(t));
  });
  afterAll(() => t?.close());

  it.each(CONDITIONS.map((k) => [k.objectType, k] as const))('%s is accepted and traced', async (objectType, k) => {
    const rules = cleanRules([{ ...newRule(), conditions: [filled(k.make())], actions: [ACTIONS[0]!.make()] }]);
    const r = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { rules, country: 'DE', referrer: 'https://www.example.com/', userAgent: 'abc' } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.data.rules[0].conditions).toHaveLength(1);
    expect(r.json.data.rules[0].conditions[0].why).not.toBe('');
    if (objectType === 'KalturaCountryCondition') expect(r.json.data.allowed).toBe(false); // "de, fr" split and upper-cased
  });

  it.each(ACTIONS.map((a) => [a.objectType, a] as const))('%s is accepted', async (objectType, a) => {
    const r = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { rules: cleanRules([{ ...newRule(), actions: [a.make()] }]) } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.data.actions.map((x: KObject) => x.objectType)).toEqual([objectType]);
  });

  it('a profile saved from the editor reads back with the same conditions', async () => {
    const rules = cleanRules([{ ...newRule(), message: 'Geo', contexts: [{ objectType: 'KalturaContextTypeHolder', type: 1 }], conditions: CONDITIONS.map((k) => filled(k.make())), actions: ACTIONS.map((a) => a.make()) }]);
    const saved = await api(t, 'POST', '/api/access-control-profiles', { token, body: { name: 'Everything', rules } });
    expect(saved.status, saved.text).toBe(201);
    const back = saved.json.data.rules[0];
    expect(back.conditions.map((c: KObject) => c.objectType)).toEqual(CONDITIONS.map((k) => k.objectType));
    expect(back.actions.map((c: KObject) => c.objectType)).toEqual(ACTIONS.map((k) => k.objectType));
    // What comes back is editable and savable again (read-only `type` fields are dropped on the way out).
    const again = await api(t, 'PATCH', `/api/access-control-profiles/${saved.json.data.id}`, { token, body: { rules: cleanRules(saved.json.data.rules) } });
    expect(again.status, again.text).toBe(200);
  });
});
