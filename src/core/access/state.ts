/**
 * Per-evaluation memo shared by the conditions of one `evaluate` call, so derived values of the
 * scope are computed at most once per decision and only when a rule needs them: the country (one
 * geo lookup), the parsed client IP and the parsed privilege string.
 */
import type ipaddr from 'ipaddr.js';
import type { PrivilegeMap } from '../ks/privileges.js';
import { parseIpv4, parseIpv6 } from './ip.js';
import type { AccessScope, GeoLookup } from './model.js';

export class EvalState {
  private countryDone = false;
  private countryValue: string | undefined = undefined;
  private ipv4Done = false;
  private ipv4Value = -1;
  private ipv6Done = false;
  private ipv6Value: ipaddr.IPv6 | null = null;
  /** Parsed `session.privileges`, filled lazily by the authenticated condition. */
  privileges: PrivilegeMap | undefined = undefined;

  constructor(
    private readonly geo: GeoLookup,
    /** Unix seconds of the decision's "now" (entry scheduling). */
    readonly now: number,
  ) {}

  /** ISO code of the scope IP, or undefined for private/unknown addresses. One lookup at most. */
  country(scope: AccessScope): string | undefined {
    if (!this.countryDone) {
      this.countryDone = true;
      this.countryValue = this.geo.country(scope.ip);
    }
    return this.countryValue;
  }

  /** The scope IP as an unsigned 32-bit integer, or -1 when it is not IPv4. */
  ipv4(scope: AccessScope): number {
    if (!this.ipv4Done) {
      this.ipv4Done = true;
      this.ipv4Value = parseIpv4(scope.ip);
    }
    return this.ipv4Value;
  }

  /** The scope IP as IPv6 (only asked for when it is not IPv4 and a rule lists IPv6 ranges). */
  ipv6(scope: AccessScope): ipaddr.IPv6 | null {
    if (!this.ipv6Done) {
      this.ipv6Done = true;
      this.ipv6Value = parseIpv6(scope.ip);
    }
    return this.ipv6Value;
  }
}

/** A compiled condition: pure, synchronous, reads the scope and the memo. */
export type ConditionFn = (scope: AccessScope, state: EvalState) => boolean;

/** `KalturaSessionType.ADMIN`: such sessions skip rules without forceAdminValidation. */
export const ADMIN_SESSION_TYPE = 2;
