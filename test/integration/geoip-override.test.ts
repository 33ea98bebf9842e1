/**
 * GATEHOUSE_GEOIP_DB replaces the bundled country database: a server pointed at the IPv4-only file
 * of the same package reports it in /readyz and finds no country for an IPv6 address that the
 * default database places in the US, while both agree on an IPv4 address.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntry, addProfile, block, blocked, contextData, rule, strings } from '../support/access-control.js';
import { adminKs, client, kaltura, registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

const IPV4_ONLY = createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country-ipv4.mmdb');
const O = kaltura.objects;

async function usBlockedEntry(t: TestGatehouse): Promise<{ ks: string; entryId: string }> {
  const p = await registerPartner(t, 'Geo Override U');
  // An ADMIN KS skips rules unless they force admin validation, which this one does.
  const ks = await adminKs(t, p);
  const c = client(t, ks);
  const profile = await addProfile(c, 'not in the US', [rule({ conditions: [new O.CountryCondition({ values: strings('US') })], actions: [block()], message: 'US blocked', forceAdminValidation: 1 })]);
  const entry = await addEntry(c, { accessControlId: profile.id });
  return { ks, entryId: entry.id };
}

describe('GATEHOUSE_GEOIP_DB', () => {
  let bundled: TestGatehouse;
  let override: TestGatehouse;
  beforeAll(async () => {
    bundled = await startGatehouse('sqlite', 'geo-bundled');
    override = await startGatehouse('sqlite', 'geo-override', { env: { GATEHOUSE_GEOIP_DB: IPV4_ONLY } });
  });
  afterAll(async () => {
    await bundled?.close();
    await override?.close();
  });

  it('/readyz names the database in use', async () => {
    const a = (await (await fetch(`${bundled.url}/readyz`)).json()) as { checks: { geoip: string } };
    const b = (await (await fetch(`${override.url}/readyz`)).json()) as { checks: { geoip: string } };
    expect(a.checks.geoip).toMatch(/^loaded \(country ipvAll, built /);
    expect(b.checks.geoip).toMatch(/^loaded \(country ipv4, built /);
  });

  it('country conditions use the configured file', async () => {
    const v6 = '2001:4860:4860::8888';
    const onBundled = await usBlockedEntry(bundled);
    const onOverride = await usBlockedEntry(override);
    // IPv4: both files place 8.8.8.8 in the US.
    expect(blocked((await contextData(bundled, onBundled.ks, onBundled.entryId, { ip: '8.8.8.8' })).result)).toBe(true);
    expect(blocked((await contextData(override, onOverride.ks, onOverride.entryId, { ip: '8.8.8.8' })).result)).toBe(true);
    // IPv6: only the bundled (IPv4 + IPv6) file knows it.
    expect(blocked((await contextData(bundled, onBundled.ks, onBundled.entryId, { ip: v6 })).result)).toBe(true);
    expect(blocked((await contextData(override, onOverride.ks, onOverride.entryId, { ip: v6 })).result)).toBe(false);
  });
});
