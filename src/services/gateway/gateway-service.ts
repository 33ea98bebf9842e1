/**
 * The gateway's question, "may this credential call this path?", answered as a value: the proxy
 * pipeline without the proxy (oathkeeper's decision API), in Kong ≥ 1.1's order:
 *   authenticate (consumer JWT or API key: invalid_credential)
 *   → partner (from the credential; an optional pin from the proxy must agree: partner_mismatch;
 *     partner usable: partner_blocked)
 *   → service (longest routePrefix of that partner's services answering the method: no_service)
 *   → authorize (by the service's access: public passes; consumer: no denied group, then a shared
 *     ACL group unless any credential will do; API key: its services and every required
 *     permission: not_allowed)
 *   → rate limit (per credential: rate_limited, with the seconds until the window reopens)
 *   → service rate limits (the service's Kong windows by consumer, credential or client address,
 *     counted across nodes on PostgreSQL: cache/window-counters.ts; rate_limited with the windows).
 * One table of steps run by the pipeline's runner (pipeline/run.ts), as the other entry points are.
 * Refusals are neutral reasons; the door (http/doors/gateway/answers.ts) picks Kong's statuses.
 * Everything comes from bounded caches; a steady-state decision reads no database. Requests
 * without a credential ask `publicService` (the door does, at a location pinned to a partner).
 */
import type { Clock } from '../../core/clock.js';
import type { RouteTable } from '../../core/gateway/routes.js';
import { satisfiesAny } from '../../core/permissions/catalogue.js';
import type { ApiKeyCheck, ApiKeyFailure } from '../api-keys/verify-api-key.js';
import type { ConsumerTokenVerifier, TokenCheck, TokenFailure } from '../consumers/verify-consumer-token.js';
import type { ApiKey, ApiService, ServiceRateLimits } from '../model.js';
import { isPromise, type Maybe } from '../../core/maybe.js';
import { partnerOf } from '../pipeline/lookups.js';
import { peekable, type CredentialEntry, type Directory, type DirectoryPeek, type PartnerEntry } from '../ports.js';
import { partnerUsable } from '../pipeline/steps/partner-usable.js';
import { PASS, refuse, type StepOutcome } from '../pipeline/reasons.js';
import { runSteps, type Step } from '../pipeline/run.js';
import { RATE_WINDOWS, type RateVerdict, type WindowState } from '../../core/gateway/rate-windows.js';
import type { WindowLimit } from '../../cache/window-counters.js';

export type GatewayCredential = { kind: 'jwt'; token: string } | { kind: 'apiKey'; key: string };

export interface GatewayRequest {
  method: string;
  /** Normalised path (core/gateway/target.ts). */
  path: string;
  credential: GatewayCredential;
  /** A partner id the proxy pinned this location to (X-Gatehouse-Partner); the credential must belong to it. */
  partnerPin?: number | undefined;
  /** The client address, asked only when a service limits by address (the door resolves it). */
  clientIp?: (() => string) | undefined;
}

/** Who was let through, for the upstream's identity headers. */
export interface GatewayIdentity {
  via: 'jwt' | 'apiKey';
  partnerId: number;
  /** Consumer id, or the API key's id. */
  consumerId: string;
  /** Consumer username, or `apikey:<id>` (the REST door's principal name for keys). */
  username: string;
  /** The credential's key (Kong sends the jwt credential's key), or the API key's id. */
  credentialId: string;
  groups: readonly string[];
}

/**
 * Why a request was refused, in the pipeline's neutral words (the door picks the status and
 * wording: Kong's 401 / 403 / 429 and messages for /authz/api). `detail` says which check failed.
 */
export type Refusal =
  /** The credential is not usable; `credential` says which kind, `detail` why. */
  | { reason: 'invalid_credential'; credential: 'jwt'; detail: TokenFailure }
  | { reason: 'invalid_credential'; credential: 'apiKey'; detail: ApiKeyFailure }
  /** The proxy pinned the location to another partner: the credential is as good as unknown there. */
  | { reason: 'partner_mismatch' }
  | { reason: 'partner_blocked' }
  /** No service of the credential's partner covers the path. */
  | { reason: 'no_service' }
  /** The credential may not call this service: no shared ACL group, not one of its services, or a missing permission. */
  | { reason: 'not_allowed'; detail: 'groups' | 'services' | 'permissions' }
  | { reason: 'rate_limited'; retryAfterSec: number; limit: number; windows?: readonly WindowState[] | undefined };
export type RefusalReason = Refusal['reason'];

const PARTNER_MISMATCH: Refusal = Object.freeze({ reason: 'partner_mismatch' });
const PARTNER_BLOCKED: Refusal = Object.freeze({ reason: 'partner_blocked' });
const NO_SERVICE: Refusal = Object.freeze({ reason: 'no_service' });
const NOT_ALLOWED = {
  groups: Object.freeze({ reason: 'not_allowed', detail: 'groups' }) as Refusal,
  services: Object.freeze({ reason: 'not_allowed', detail: 'services' }) as Refusal,
  permissions: Object.freeze({ reason: 'not_allowed', detail: 'permissions' }) as Refusal,
};

export type Decision =
  | { granted: true; identity: GatewayIdentity; service: ApiService; rateLimit: number; remaining: number; windows?: RateVerdict | undefined }
  | ({ granted: false; identity?: GatewayIdentity; service?: ApiService } & Refusal);

export interface RouteTableSource {
  get(partnerId: number): Promise<RouteTable<ApiService>>;
  /** The cached table without loading; undefined when not cached. */
  peek?(partnerId: number): RouteTable<ApiService> | undefined;
}

export interface RateLimiter {
  hit(credentialId: string, limit: number, nowMs: number): { ok: true; limit: number; remaining: number } | { ok: false; limit: number; retryAfterSec: number };
}

/** Counts a bucket's request against a service's windows (cache/window-counters.ts). */
export interface WindowLimiter {
  hit(bucket: string, limits: readonly WindowLimit[], nowMs: number): Maybe<RateVerdict>;
}

export interface GatewayServiceDeps {
  tokens: ConsumerTokenVerifier;
  /** GatewayApiKeys: a key verified before answers at once. */
  apiKeys: { check(presented: string): Maybe<ApiKeyCheck> };
  directory: Directory;
  routes: RouteTableSource;
  limiter: RateLimiter;
  windows: WindowLimiter;
  clock: Clock;
  /** Requests per minute per credential (0 = unlimited); a partner's `gatewayRateLimit` setting replaces it. */
  rateLimit: number;
}

/** An authenticated credential: who it is, what it may call, and its rate-limit bucket. */
interface Caller {
  identity: GatewayIdentity;
  allow: (s: ApiService) => Refusal | undefined;
  bucket: string;
}
type Authenticated = { ok: true; caller: Caller } | { ok: false; refusal: Refusal };

/** One request's context: what the steps found so far, and the door's words for a refusal. */
interface Ctx {
  readonly req: GatewayRequest;
  caller: Caller | undefined;
  entry: PartnerEntry | undefined;
  service: ApiService | undefined;
  /** The refusal with the fields the door words it with (credential kind, retry-after, …). */
  refusal: Refusal | undefined;
  limit: number;
  remaining: number;
  windows: RateVerdict | undefined;
}

export class GatewayService {
  private readonly peek: DirectoryPeek | undefined;
  /** The table (pipeline/run.ts runs it), in Kong's order (see the header). */
  readonly steps: readonly Step<Ctx>[];

  constructor(private readonly d: GatewayServiceDeps) {
    this.peek = peekable(d.directory);
    this.steps = [
      { name: 'credential valid', run: (c) => this.credential(c) },
      { name: 'partner pin', run: (c) => this.pin(c) },
      { name: 'partner usable', run: (c) => this.partner(c) },
      { name: 'service found', run: (c) => this.route(c) },
      { name: 'allowed', run: (c) => this.allowed(c) },
      { name: 'rate limit', run: (c) => this.rateLimit(c) },
      { name: 'service rate limits', run: (c) => this.serviceLimits(c) },
    ];
  }

  /**
   * Decides at once when the credential was verified before and it, its partner and the partner's
   * route table are cached (the steady state), else after the reads it needs — one
   * implementation (core/maybe.ts).
   */
  decide(req: GatewayRequest): Maybe<Decision> {
    const ctx: Ctx = { req, caller: undefined, entry: undefined, service: undefined, refusal: undefined, limit: 0, remaining: 0, windows: undefined };
    const out = runSteps(this.steps, ctx);
    return isPromise(out) ? out.then((o) => conclude(ctx, o)) : conclude(ctx, out);
  }

  private credential(c: Ctx): Maybe<StepOutcome> {
    const cred = c.req.credential;
    if (cred.kind === 'jwt') {
      const check = this.d.tokens.check(cred.token, 'gateway');
      return isPromise(check) ? check.then((v) => authenticated(c, byToken(v))) : authenticated(c, byToken(check));
    }
    const check = this.d.apiKeys.check(cred.key);
    return isPromise(check) ? check.then((v) => authenticated(c, byApiKey(v))) : authenticated(c, byApiKey(check));
  }

  /** A pinned location answers "unknown credential" for other partners' credentials, as if they did not exist. */
  private pin(c: Ctx): StepOutcome {
    const pin = c.req.partnerPin;
    if (pin === undefined || pin === (c.caller as Caller).identity.partnerId) return PASS;
    return refused(c, PARTNER_MISMATCH);
  }

  private partner(c: Ctx): Maybe<StepOutcome> {
    const entry = partnerOf(this.d.directory, this.peek, (c.caller as Caller).identity.partnerId);
    const usable = (e: PartnerEntry | undefined): StepOutcome => {
      c.entry = e;
      return partnerUsable(e?.partner).ok ? PASS : refused(c, PARTNER_BLOCKED);
    };
    return isPromise(entry) ? entry.then(usable) : usable(entry);
  }

  private route(c: Ctx): Maybe<StepOutcome> {
    const partnerId = (c.caller as Caller).identity.partnerId;
    const table = this.d.routes.peek?.(partnerId) ?? this.d.routes.get(partnerId);
    const match = (t: RouteTable<ApiService>): StepOutcome => {
      c.service = serviceFor(t, c.req.method, c.req.path);
      return c.service ? PASS : refused(c, NO_SERVICE);
    };
    return isPromise(table) ? table.then(match) : match(table);
  }

  /**
   * A request without a credential at a location the proxy pinned to a partner: the public service
   * (access 'public', Kong's route without auth plugins) covering it, when the partner is usable;
   * undefined otherwise (the door then answers 401 as for any request without a credential).
   */
  publicService(partnerId: number, method: string, path: string): Maybe<ApiService | undefined> {
    const entry = partnerOf(this.d.directory, this.peek, partnerId);
    const withEntry = (e: PartnerEntry | undefined): Maybe<ApiService | undefined> => {
      if (!partnerUsable(e?.partner).ok) return undefined;
      const table = this.d.routes.peek?.(partnerId) ?? this.d.routes.get(partnerId);
      const pick = (t: RouteTable<ApiService>) => {
        const s = serviceFor(t, method, path);
        return s?.access === 'public' ? s : undefined;
      };
      return isPromise(table) ? table.then(pick) : pick(table);
    };
    return isPromise(entry) ? entry.then(withEntry) : withEntry(entry);
  }

  private allowed(c: Ctx): StepOutcome {
    const denied = (c.caller as Caller).allow(c.service as ApiService);
    return denied ? refused(c, denied) : PASS;
  }

  private rateLimit(c: Ctx): StepOutcome {
    const limit = this.limitOf((c.entry as PartnerEntry).partner.settings.gatewayRateLimit);
    const rate = this.d.limiter.hit((c.caller as Caller).bucket, limit, this.d.clock.nowMs());
    if (!rate.ok) return refused(c, { reason: 'rate_limited', retryAfterSec: rate.retryAfterSec, limit: rate.limit });
    c.limit = rate.limit;
    c.remaining = rate.remaining;
    return PASS;
  }

  /** Kong's rate-limiting on the service: its windows, per consumer, credential or client address. */
  private serviceLimits(c: Ctx): Maybe<StepOutcome> {
    const s = c.service as ApiService;
    const limits = windowLimits(s);
    if (limits.length === 0) return PASS;
    const id = (c.caller as Caller).identity;
    const by = (s.rateLimits as ServiceRateLimits).limitBy;
    const bucket = by === 'ip' ? `${s.id}|ip:${c.req.clientIp?.() ?? ''}` : `${s.id}|${by}:${id.via}:${by === 'consumer' ? id.consumerId : id.credentialId}`;
    const v = this.d.windows.hit(bucket, limits, this.d.clock.nowMs());
    return isPromise(v) ? v.then((x) => windowed(c, x)) : windowed(c, v);
  }

  /**
   * A public service's windows for a request without a credential: counted by client address
   * whatever `limitBy` says, as Kong does when there is no consumer. Undefined when it has none.
   */
  limitPublic(s: ApiService, clientIp: string): Maybe<RateVerdict | undefined> {
    const limits = windowLimits(s);
    if (limits.length === 0) return undefined;
    return this.d.windows.hit(`${s.id}|ip:${clientIp}`, limits, this.d.clock.nowMs());
  }

  private limitOf(setting: unknown): number {
    const n = Number(setting ?? Number.NaN);
    return Number.isSafeInteger(n) && n >= 0 ? n : this.d.rateLimit;
  }
}

/**
 * A service's windows as the counters take them, built once per service record: the route table
 * hands out the same object until the service changes, so a WeakMap keyed by it is exact.
 */
const serviceWindows = new WeakMap<ApiService, readonly WindowLimit[]>();
const NO_WINDOWS: readonly WindowLimit[] = Object.freeze([]);

function windowLimits(s: ApiService): readonly WindowLimit[] {
  if (!s.rateLimits) return NO_WINDOWS;
  let w = serviceWindows.get(s);
  if (!w) {
    const r = s.rateLimits;
    w = Object.freeze(RATE_WINDOWS.filter((k) => (r[k] ?? 0) > 0).map((k) => Object.freeze({ window: k, limit: r[k] as number })));
    serviceWindows.set(s, w);
  }
  return w;
}

function windowed(c: Ctx, v: RateVerdict): StepOutcome {
  if (!v.ok) return refused(c, { reason: 'rate_limited', retryAfterSec: v.resetSec, limit: v.limit, windows: v.windows });
  c.windows = v;
  return PASS;
}

/** The service covering the path, when it answers the method (Kong's route `methods`; none = every method). */
function serviceFor(t: RouteTable<ApiService>, method: string, path: string): ApiService | undefined {
  const s = t.match(path);
  return s && (s.methods.length === 0 || s.methods.includes(method)) ? s : undefined;
}

function authenticated(c: Ctx, auth: Authenticated): StepOutcome {
  if (!auth.ok) return refused(c, auth.refusal);
  c.caller = auth.caller;
  return PASS;
}

/** Keeps the door's refusal in the context and answers the pipeline's neutral one. */
function refused(c: Ctx, r: Refusal): StepOutcome {
  c.refusal = r;
  return refuse(r.reason);
}

/**
 * The decision from what the steps found: a grant, or the refusal with the identity and service
 * known by then (none for an invalid credential, nor for another partner's at a pinned location).
 */
function conclude(c: Ctx, out: StepOutcome): Decision {
  const identity = c.caller?.identity;
  if (out.ok) return { granted: true, identity: identity as GatewayIdentity, service: c.service as ApiService, rateLimit: c.limit, remaining: c.remaining, windows: c.windows };
  const r = c.refusal ?? { reason: out.reason as RefusalReason } as Refusal;
  if (r.reason === 'invalid_credential' || r.reason === 'partner_mismatch') return { granted: false, ...r };
  return c.service ? { granted: false, identity, service: c.service, ...r } : { granted: false, identity, ...r };
}

/**
 * Callers are built once per credential record: the caches hand out the same CredentialEntry or
 * ApiKey object until it changes (a grant, a rotation, a revocation replace it), so a WeakMap
 * keyed by it is exact and goes with it.
 */
const tokenCallers = new WeakMap<CredentialEntry, Caller>();
const keyCallers = new WeakMap<ApiKey, Caller>();

function byToken(check: TokenCheck): Authenticated {
  if (!check.ok) return { ok: false, refusal: { reason: 'invalid_credential', credential: 'jwt', detail: check.reason } };
  let caller = tokenCallers.get(check.entry);
  if (!caller) {
    const { consumer, credential } = check.entry;
    const groups = consumer.groups;
    caller = {
      identity: Object.freeze({ via: 'jwt' as const, partnerId: credential.partnerId, consumerId: consumer.id, username: consumer.username, credentialId: credential.key, groups }),
      // Kong's acl: a denied group refuses; then `allow`, where one shared group suffices. A
      // service without groups admits no consumer (fail closed: an empty allow-list is not
      // "everyone"); 'authenticated' (Kong's jwt without acl) admits every consumer not denied.
      allow: (s) => {
        if (s.access === 'public') return undefined;
        if (s.deniedGroups.length > 0 && s.deniedGroups.some((g) => groups.includes(g))) return NOT_ALLOWED.groups;
        if (s.access === 'authenticated') return undefined;
        return s.allowedGroups.some((g) => groups.includes(g)) ? undefined : NOT_ALLOWED.groups;
      },
      bucket: `jwt:${credential.key}`,
    };
    tokenCallers.set(check.entry, caller);
  }
  return { ok: true, caller };
}

function byApiKey(check: ApiKeyCheck): Authenticated {
  if (!check.ok) return { ok: false, refusal: { reason: 'invalid_credential', credential: 'apiKey', detail: check.reason } };
  const key = check.key;
  let caller = keyCallers.get(key);
  if (!caller) {
    const granted = new Set(key.permissions);
    caller = {
      identity: Object.freeze({ via: 'apiKey' as const, partnerId: key.partnerId, consumerId: key.id, username: `apikey:${key.id}`, credentialId: key.id, groups: [] }),
      allow: (s) => {
        if (s.access === 'public') return undefined;
        // Kala's defaults: a key without services may call every service; one with services, only those.
        if (key.services.length > 0 && !key.services.includes(s.id)) return NOT_ALLOWED.services;
        // Every permission the service requires must be held (a Kala UUID expands to all its names).
        if (!s.requiredPermissions.every((r) => satisfiesAny(granted, [r]))) return NOT_ALLOWED.permissions;
        return undefined;
      },
      bucket: `apiKey:${key.id}`,
    };
    keyCallers.set(key, caller);
  }
  return { ok: true, caller };
}
