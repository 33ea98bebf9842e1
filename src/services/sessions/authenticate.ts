/**
 * A KS's own checks, in the server's order (protocol §1.7, §2.7): genuine (signature, partner) →
 * [the Kaltura door decodes parameters] → usable now, from here (expiry, restrictions,
 * revocation, actions limit). What the session may then do is the caller table's
 * (services/pipeline/caller.ts); both answer with values, never by throwing.
 */
import { actionsLimitOf, checkKsStatic, decodeOpenedKs, isWidgetSession, openKs, parsePrivileges, PRIV, privilegeValue, sessionIdHash, type ParsedKs, type PrivilegeMap } from '../../core/ks/index.js';
import { nowSeconds, type Clock } from '../../core/clock.js';
import type { Maybe } from '../../core/maybe.js';
import type { RequestMeta } from '../context.js';
import type { VerifiedKsCache } from '../ports-verified-ks.js';
import { SystemPartner, type Role } from '../model.js';
import { peekable, type Directory, type DirectoryPeek, type PartnerEntry, type RevocationList, type RoleRepo, type SessionStateRepo } from '../ports.js';

/** Step 2's answer: usable (and the actions it counts, if any), or Kaltura's reason it is not. */
export type KsUsability = { ok: true; limit: number | undefined } | { ok: false; detail: string };
const USABLE: KsUsability = Object.freeze({ ok: true, limit: undefined });
const LOGOUT: KsUsability = Object.freeze({ ok: false, detail: 'LOGOUT' });
/** `usable`'s detail for an unreadable `actionslimit` (answered INVALID_ACTIONS_LIMIT, not INVALID_KS). */
export const INVALID_ACTIONS_LIMIT = 'INVALID_ACTIONS_LIMIT';

export interface KsCheck {
  ks: ParsedKs;
  entry: PartnerEntry;
  privileges: PrivilegeMap;
  raw: string;
}


export interface AuthenticatorDeps {
  directory: Directory;
  /**
   * Signature checks already done (cache/verified-ks.ts), keyed by a digest of the KS; only used
   * with a Directory that can be peeked (its partner entries prove the keys are still current).
   */
  verified?: VerifiedKsCache;
  revocations: RevocationList;
  sessions: SessionStateRepo;
  roles: RoleRepo;
  clock: Clock;
}

export class Authenticator {
  private readonly peek: DirectoryPeek | undefined;
  /** Signature checks already done (see cache/verified-ks.ts); only usable with a peekable Directory. */
  private readonly verified: VerifiedKsCache | undefined;

  constructor(private readonly deps: AuthenticatorDeps) {
    this.peek = peekable(deps.directory);
    this.verified = this.peek ? deps.verified : undefined;
  }

  /**
   * Step 1: signature and partner. `null` for anything that is not a genuine KS of an existing
   * partner. Answers at once when this exact KS was verified before against the partner's current
   * keys (the Directory still holds the same partner entry), else after reading the partner.
   */
  check(raw: string): Maybe<KsCheck | null> {
    if (typeof raw !== 'string') return null;
    return this.checkDigested(raw, this.verified?.digest(raw));
  }

  /**
   * The verified-KS cache key of `raw` (its SHA-256; see cache/verified-ks.ts), undefined without
   * that cache. Lets a caller key its own memo the same way and then `checkDigested` without
   * hashing twice.
   */
  digestOf(raw: string): string | undefined {
    return typeof raw === 'string' ? this.verified?.digest(raw) : undefined;
  }

  /** `check`, with `digest` = digestOf(raw). */
  checkDigested(raw: string, digest: string | undefined): Maybe<KsCheck | null> {
    if (typeof raw !== 'string') return null;
    const hit = digest === undefined ? undefined : this.cachedCheck(raw, digest);
    return hit ?? this.checkFull(raw, digest);
  }

  private cachedCheck(raw: string, digest: string): KsCheck | undefined {
    const hit = this.verified?.get(digest);
    // Only while the Directory still holds the very partner entry whose keys verified this KS: a
    // changed partner (a new secret, say) is a new object, so the KS is verified again (verified-ks.ts).
    if (!hit || this.peek?.peekPartner(hit.ks.partnerId) !== hit.entry) return undefined;
    return { ks: hit.ks, entry: hit.entry, privileges: hit.privileges, raw };
  }

  private async checkFull(raw: string, digest: string | undefined): Promise<KsCheck | null> {
    const opened = openKs(raw);
    if (!opened) return null;
    const entry = this.peek?.peekPartner(opened.partnerId) ?? (await this.deps.directory.partner(opened.partnerId));
    if (!entry) return null;
    const ks = decodeOpenedKs(opened, entry.ksKeys);
    if (!ks || ks.partnerId !== entry.partner.id) return null;
    const privileges = parsePrivileges(ks.privileges);
    // Frozen: the cached object is shared by every later request with this KS.
    if (digest !== undefined) this.verified?.set(digest, { ks: Object.freeze(ks), privileges, entry }, nowSeconds(this.deps.clock));
    return { ks, entry, privileges, raw };
  }

  /**
   * Step 2, in memory: expiry, `iprestrict`, `urirestrict`, revocation (the session and its
   * session-id group) and a readable `actionslimit`. `limit`: the actions the session counts,
   * which only the database can do (`consume`); `detail`: Kaltura's reason, for KSID.
   */
  usable(c: KsCheck, meta: RequestMeta, now = nowSeconds(this.deps.clock)): KsUsability {
    const st = checkKsStatic(c.ks, c.privileges, { nowSec: now, clientIp: meta.clientIp, uri: meta.uri });
    if (!st.ok) return { ok: false, detail: st.reason };
    // The batch partner and plain widget sessions are never checked for invalidation (protocol §2.7).
    // A session-id group is checked whatever the session looks like: a widget-shaped KS minted from
    // an app token must die with the token (deliberately stricter than Kaltura, see README).
    if (c.ks.partnerId !== SystemPartner.BATCH) {
      if (!isWidgetSession(c.ks) && this.deps.revocations.isRevoked(c.ks.hash, now)) return LOGOUT;
      const sid = privilegeValue(c.privileges, PRIV.sessionid);
      if (sid && this.deps.revocations.isRevoked(sessionIdHash(c.ks.partnerId, sid), now)) return LOGOUT;
    }
    const limit = actionsLimitOf(c.privileges);
    if (limit.kind === 'invalid') return { ok: false, detail: INVALID_ACTIONS_LIMIT };
    return limit.kind === 'limit' ? { ok: true, limit: limit.n } : USABLE;
  }

  /** Counts one action of an `actionslimit` session (a guarded write); false when none are left. */
  consume(c: KsCheck, limit: number): Promise<boolean> {
    return this.deps.sessions.consumeAction(c.ks.hash, limit, c.ks.validUntil);
  }

  /** A role by numeric id or system name, within the partner or the global partner. */
  async findRole(idOrSystemName: string, partnerId: number): Promise<Role | undefined> {
    if (/^\d+$/.test(idOrSystemName)) {
      const role = this.peek?.peekRole(Number(idOrSystemName)) ?? (await this.deps.directory.role(Number(idOrSystemName)));
      return role && (role.partnerId === partnerId || role.partnerId === SystemPartner.GLOBAL) && role.status !== 3 ? role : undefined;
    }
    const found = await this.deps.roles.list([partnerId, SystemPartner.GLOBAL], { systemNameEqual: idOrSystemName }, { pageSize: 1, pageIndex: 1 });
    return found.objects[0];
  }
}
