/**
 * Country of an IP address for `country` conditions and country fields, from an MMDB file read
 * with `mmdb-lib`. By default the database bundled by the npm package
 * `@ip-location-db/geo-whois-asn-country-mmdb` (IPv4 + IPv6 in one file, records
 * `{ country_code: "US" }`); `GATEHOUSE_GEOIP_DB` points to a newer or different file (any MMDB
 * whose records carry `country_code` or MaxMind's `country.iso_code`).
 *
 * Data licence: the package is published as CC0, but its data derives from RIR WHOIS/ASN data the
 * NRO licenses as CC BY 4.0 (attribution to nro.net), see the package README.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ipaddr from 'ipaddr.js';
import { Reader, type Response } from 'mmdb-lib';
import type { GeoLookup } from '../core/access/model.js';

/** The database file shipped by the npm package (resolved from this module's node_modules). */
export const BUNDLED_GEOIP_DB: string = createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');

/** What readiness reports about the database. */
export interface GeoDatabaseInfo {
  readonly loaded: boolean;
  readonly path: string | undefined;
  /** When the database was built (MMDB metadata). */
  readonly buildEpoch: Date | undefined;
  readonly databaseType: string | undefined;
  readonly ipVersion: number | undefined;
}

export class GeoDatabaseError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`GeoIP database ${path}: ${reason}`);
    this.name = 'GeoDatabaseError';
  }
}

/** How many recent answers are kept (each generation; see RecentAnswers). */
export const GEO_CACHE_ENTRIES = 10_000;

/**
 * A bounded cache of recent answers (misses included, as null), so a hot client IP costs one Map
 * lookup instead of a ~1.7 µs tree walk. Two generations instead of a strict LRU: a hit in the
 * young generation is a single `get` with no re-insertion; when it fills up it becomes the old
 * generation (whose hits are promoted) and the previous old one is dropped. At most
 * 2 × `max` entries; keys are IP addresses, which are not secrets.
 */
class RecentAnswers {
  private young = new Map<string, string | null>();
  private old = new Map<string, string | null>();

  constructor(private readonly max: number) {}

  get(ip: string): string | null | undefined {
    const hit = this.young.get(ip);
    if (hit !== undefined) return hit;
    const aged = this.old.get(ip);
    if (aged !== undefined) this.set(ip, aged);
    return aged;
  }

  set(ip: string, answer: string | null): void {
    if (this.young.size >= this.max) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(ip, answer);
  }
}

type CountryRecord = { country_code?: unknown; country?: { iso_code?: unknown } };

/** Strict IP text to a public unicast address, or null for private/reserved/invalid input. */
function publicAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(ip)) addr = ipaddr.IPv4.parse(ip);
  else if (!ip.includes('%') && ipaddr.IPv6.isValid(ip)) {
    const v6 = ipaddr.IPv6.parse(ip);
    // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d; the database files them as IPv4.
    addr = v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  } else return null;
  // Private, loopback, link-local, CGNAT, documentation, multicast…: no country, by design.
  return addr.range() === 'unicast' ? addr : null;
}

let lastOpened: GeoDatabaseInfo = { loaded: false, path: undefined, buildEpoch: undefined, databaseType: undefined, ipVersion: undefined };

/** A GeoLookup that also says which database it answers from. */
export interface MmdbGeoLookup extends GeoLookup {
  readonly info: GeoDatabaseInfo;
}

/**
 * Opens the database (read fully into memory once; ~8 MB for the bundled file) and returns a
 * lookup that never throws: private, reserved, invalid or unknown addresses give undefined.
 * Throws GeoDatabaseError when the file cannot be read or is not an MMDB database.
 */
export function openGeoLookup(path: string = BUNDLED_GEOIP_DB): MmdbGeoLookup {
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(readFileSync(path));
  } catch (err) {
    throw new GeoDatabaseError(path, err instanceof Error ? err.message : String(err));
  }
  const meta = reader.metadata;
  const info: GeoDatabaseInfo = Object.freeze({ loaded: true, path, buildEpoch: meta.buildEpoch, databaseType: meta.databaseType, ipVersion: meta.ipVersion });
  const recent = new RecentAnswers(GEO_CACHE_ENTRIES);

  function resolve(ip: string): string | null {
    const addr = publicAddress(ip);
    if (addr === null) return null;
    // An IPv4 address in an IPv4-only file, IPv6 only when the file has IPv6 (ipVersion 6 holds both).
    if (addr.kind() === 'ipv6' && meta.ipVersion !== 6) return null;
    let record: CountryRecord | null;
    try {
      // Records are untyped data from the file; only the two known code fields are read.
      record = reader.get(addr.toString()) as unknown as CountryRecord | null;
    } catch {
      return null;
    }
    const code = record?.country_code ?? record?.country?.iso_code;
    return typeof code === 'string' && /^[A-Za-z]{2}$/.test(code) ? code.toUpperCase() : null;
  }

  lastOpened = info;
  return {
    info,
    country(ip: string): string | undefined {
      let answer = recent.get(ip);
      if (answer === undefined) {
        answer = resolve(ip);
        recent.set(ip, answer);
      }
      return answer ?? undefined;
    },
  };
}

/**
 * For readiness: the database `lookup` answers from or, without an argument, the one most
 * recently opened in this process (`loaded: false` before any).
 */
export function geoDatabaseInfo(lookup?: GeoLookup): GeoDatabaseInfo {
  if (lookup && 'info' in lookup) return (lookup as MmdbGeoLookup).info;
  return lastOpened;
}
