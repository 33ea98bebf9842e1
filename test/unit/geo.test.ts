/** The bundled MMDB country lookup: public addresses resolve, private and invalid ones do not. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_GEOIP_DB, GeoDatabaseError, geoDatabaseInfo, openGeoLookup } from '../../src/geo/mmdb.js';

const geo = openGeoLookup();
const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-geo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openGeoLookup (bundled database)', () => {
  it.each([
    ['8.8.8.8', 'US'],
    ['::ffff:8.8.8.8', 'US'],
    ['2001:4860:4860::8888', 'US'],
    ['1.1.1.1', 'AU'],
    ['193.0.6.139', 'NL'],
  ])('%s → %s', (ip, country) => {
    expect(geo.country(ip)).toBe(country);
    expect(geo.country(ip)).toBe(country); // again, from the recent-answers cache
  });

  it.each([
    ['10.0.0.1'],
    ['192.168.1.1'],
    ['172.16.0.1'],
    ['100.64.0.1'],
    ['127.0.0.1'],
    ['169.254.1.1'],
    ['0.0.0.0'],
    ['192.0.2.1'],
    ['224.0.0.1'],
    ['::1'],
    ['fc00::1'],
    ['fe80::1'],
    ['2001:db8::1'],
    ['::ffff:10.0.0.1'],
    ['not an ip'],
    [''],
    ['010.0.0.1'],
  ])('%s has no country', (ip) => {
    expect(geo.country(ip)).toBeUndefined();
  });

  it('reports what it loaded, for readiness', () => {
    expect(geo.info).toMatchObject({ loaded: true, path: BUNDLED_GEOIP_DB, ipVersion: 6 });
    expect(geo.info.buildEpoch).toBeInstanceOf(Date);
    expect(geoDatabaseInfo(geo)).toBe(geo.info);
    expect(geoDatabaseInfo().loaded).toBe(true);
  });

  it('stays bounded and correct past the cache size', () => {
    for (let i = 0; i < 25_000; i++) geo.country(`8.8.${(i >> 8) & 255}.${i & 255}`);
    expect(geo.country('8.8.8.8')).toBe('US');
    expect(geo.country('10.0.0.1')).toBeUndefined();
  });

  it('refuses a file that is not an MMDB database', () => {
    const bad = path.join(dir, 'bad.mmdb');
    writeFileSync(bad, 'not a database');
    expect(() => openGeoLookup(bad)).toThrow(GeoDatabaseError);
    expect(() => openGeoLookup(path.join(dir, 'missing.mmdb'))).toThrow(GeoDatabaseError);
  });
});
