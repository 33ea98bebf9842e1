/**
 * The entry table's prepared steps: what the table concluded from stored state alone, kept so the
 * next request with the same KS for the same entry does not conclude it again.
 *
 * Of the table's steps (entry-access.ts), partner usable, the KS's signature, its user usable,
 * entry found, entitlement and access profile depend only on the KS string and the cached partner,
 * user, entry, categories and profile. Only part of the session step depends on the request
 * itself: expiry, `iprestrict`, `urirestrict`, revocation, `actionslimit` and the request's partner
 * (session-usable.ts's usableForRequest). The rules depend on the request too. So a player
 * fetching segment after segment with one KS pays for the first request's lookups once; every
 * later request runs the request-dependent part of the session step and the rules, nothing else.
 *
 * Why it cannot be stale:
 * - A prepared outcome is kept with the caches' change count (cache/lru.ts's Epoch) read before
 *   the table ran, and used only while the count is the same. Any cache that fed it forgetting or
 *   replacing a value (a local write, or another node's through the change feed) moves the count,
 *   so the next request runs the whole table again. A load that raced an invalidation moved the
 *   count too, so its result is not kept under the old count.
 * - It lives at most TTL_MS, so the caches' own time limits (their safety net against writes made
 *   outside Gatehouse) are stretched by at most that.
 * - It is kept by the KS's digest, the verified-KS cache's key (cache/verified-ks.ts: SHA-256,
 *   never the KS itself), so only the same KS string finds it; a change to the KS's partner (its
 *   secrets, its status) moves the change count like any other.
 * - Only successes are kept; a refusal always runs the whole table. Profiles that read custom
 *   metadata (read from the database per request) are never kept.
 * - The rules' decision is reused only for the same client, and only when the profile's rules read
 *   nothing but the client, the session and the entry (Prepared.decisionFor).
 */
import type { Decision } from '../../core/access/model.js';
import type { Entry } from '../model.js';
import type { KsCheck } from '../sessions/authenticate.js';
import type { ChangeEpoch } from '../ports.js';
import { mayAlwaysView, type ScopedSession } from './scope.js';
import type { JudgingProfile } from './steps/access-profile.js';

export class Prepared {
  // The last client judged with these prepared steps and its decision (see `decisionFor`).
  private ip = '';
  private referrer = '';
  private userAgent = '';
  private contexts: readonly number[] | undefined;
  private decision: Decision | undefined;

  constructor(
    /** The caches' change count the table ran under. */
    readonly epoch: number,
    /** Milliseconds (the clock's): not used after this. */
    readonly until: number,
    /** The request's partner the table ran for (a delivery URL names its partner). */
    readonly partnerId: number,
    /** The KS as the table checked it (signature, partner, privileges); undefined without a KS. */
    readonly check: KsCheck | undefined,
    readonly session: ScopedSession | undefined,
    readonly entry: Entry,
    readonly judging: JudgingProfile,
  ) {
    this.alwaysViewable = mayAlwaysView(entry, session);
  }

  /** The session's `sview` covers the entry (scope.ts): scheduled whatever the time. */
  readonly alwaysViewable: boolean;

  /**
   * The decision of the rules for this client, when the last request judged with these steps came
   * from the same client. Only for a profile whose rules read nothing else (clientOnly): then the
   * rules are a function of the client, this session and this entry, and a player's repeated
   * requests (same address, referrer and user agent) are judged once. Compared, not hashed: no key
   * is built per request.
   */
  decisionFor(ip: string, referrer: string, userAgent: string, contexts: readonly number[]): Decision | undefined {
    return this.decision !== undefined && contexts === this.contexts && ip === this.ip && userAgent === this.userAgent && referrer === this.referrer ? this.decision : undefined;
  }

  remember(ip: string, referrer: string, userAgent: string, contexts: readonly number[], decision: Decision): void {
    this.ip = ip;
    this.referrer = referrer;
    this.userAgent = userAgent;
    this.contexts = contexts;
    this.decision = decision;
  }
}

/** A prepared outcome is used for at most this long, whatever the change count says. */
const TTL_MS = 5_000;
/** Entries kept per KS (a player's playlist); sessions and anonymous entries kept before the oldest goes. */
const MAX_PER_KS = 64;
const MAX_SESSIONS = 20_000;
const MAX_ANONYMOUS = 10_000;

export class PreparedSteps {
  /** By KS digest (the verified-KS cache's key), then entry id; oldest session first. */
  private readonly byKs = new Map<string, Map<string, Prepared>>();
  /** Requests without a KS, by entry id. */
  private readonly anonymous = new Map<string, Prepared>();

  constructor(private readonly epoch: ChangeEpoch) {}

  /** The caches' change count now: read before running the table, given back to Prepared. */
  get count(): number {
    return this.epoch.value;
  }

  /** The prepared outcome for this KS digest (undefined: no KS) and entry, if still current at `nowMs`. */
  find(digest: string | undefined, partnerId: number, entryId: string, nowMs: number): Prepared | undefined {
    const p = digest === undefined ? this.anonymous.get(entryId) : this.byKs.get(digest)?.get(entryId);
    if (p === undefined || p.epoch !== this.epoch.value || p.until <= nowMs || p.partnerId !== partnerId) return undefined;
    return p;
  }

  /** Keeps what the table concluded (under a change count since moved: not kept). */
  keep(digest: string | undefined, p: Prepared): void {
    if (p.epoch !== this.epoch.value || p.judging.metadata.length > 0 || p.judging.profile?.usesMetadata) return;
    // A session's conclusion is only ever filed under its KS digest, never where anonymous requests look.
    if (digest === undefined && p.check !== undefined) return;
    let byEntry: Map<string, Prepared> | undefined;
    if (digest === undefined) {
      byEntry = this.anonymous;
      if (byEntry.size >= MAX_ANONYMOUS) dropOldest(byEntry);
    } else {
      byEntry = this.byKs.get(digest);
      if (!byEntry) {
        if (this.byKs.size >= MAX_SESSIONS) dropOldest(this.byKs);
        this.byKs.set(digest, (byEntry = new Map()));
      } else if (byEntry.size >= MAX_PER_KS) dropOldest(byEntry);
    }
    byEntry.set(p.entry.id, p);
  }

  static until(nowMs: number): number {
    return nowMs + TTL_MS;
  }
}

function dropOldest<K, V>(m: Map<K, V>): void {
  const oldest = m.keys().next();
  if (!oldest.done) m.delete(oldest.value);
}
