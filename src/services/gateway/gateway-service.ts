/**
 * The gateway's question, "may this credential call this path?", answered as a value: the proxy
 * pipeline without the proxy (oathkeeper's decision API), in Kong ≥ 1.1's order:
 *   authenticate (consumer JWT or API key: invalid_credential)
 *   → partner (from the credential; an optional pin from the proxy must agree: partner_mismatch;
 *     partner usable: partner_blocked)
 *   → service (longest routePrefix of that partner's services: no_service)
 *   → authorize (consumer: a shared ACL group; API key: its services and every required
 *     permission: not_allowed)
 *   → rate limit (per credential: rate_limited, with the seconds until the window reopens).
 * Refusals are neutral reasons; the door (http/doors/gateway/answers.ts) picks Kong's statuses.
 * Everything comes from bounded caches; a steady-state decision reads no database.
 */
import type { Clock } from '../../core/clock.js';
import type { RouteTable } from '../../core/gateway/routes.js';
import { satisfiesAny } from '../../core/permissions/catalogue.js';
import type { ApiKeyCheck, ApiKeyFailure } from '../api-keys/verify-api-key.js';
import type { ConsumerTokenVerifier, TokenCheck, TokenFailure } from '../consumers/verify-consumer-token.js';
import type { ApiKey, ApiService } from '../model.js';
import { isPromise, type Maybe } from '../../core/maybe.js';
import { partnerOf } from '../pipeline/lookups.js';
import { peekable, type CredentialEntry, type Directory, type DirectoryPeek, type PartnerEntry } from '../ports.js';
import { partnerUsable } from '../pipeline/steps/partner-usable.js';

export type GatewayCredential = { kind: 'jwt'; token: string } | { kind: 'apiKey'; key: string };

export interface GatewayRequest {
  method: string;
  /** Normalised path (core/gateway/target.ts). */
  path: string;
  credential: GatewayCredential;
  /** A partner id the proxy pinned this location to (X-Gatehouse-Partner); the credential must belong to it. */
  partnerPin?: number | undefined;
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
  | { reason: 'rate_limited'; retryAfterSec: number; limit: number };
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
  | { granted: true; identity: GatewayIdentity; service: ApiService; rateLimit: number; remaining: number }
  | ({ granted: false; identity?: GatewayIdentity; service?: ApiService } & Refusal);

export interface RouteTableSource {
  get(partnerId: number): Promise<RouteTable<ApiService>>;
  /** The cached table without loading; undefined when not cached. */
  peek?(partnerId: number): RouteTable<ApiService> | undefined;
}

export interface RateLimiter {
  hit(credentialId: string, limit: number, nowMs: number): { ok: true; limit: number; remaining: number } | { ok: false; limit: number; retryAfterSec: number };
}

export interface GatewayServiceDeps {
  tokens: ConsumerTokenVerifier;
  /** GatewayApiKeys: a key verified before answers at once. */
  apiKeys: { check(presented: string): Maybe<ApiKeyCheck> };
  directory: Directory;
  routes: RouteTableSource;
  limiter: RateLimiter;
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

export class GatewayService {
  private readonly peek: DirectoryPeek | undefined;

  constructor(private readonly d: GatewayServiceDeps) {
    this.peek = peekable(d.directory);
  }

  /**
   * Decides at once when the credential was verified before and it, its partner and the partner's
   * route table are cached (the steady state), else after the reads it needs — one
   * implementation (core/maybe.ts).
   */
  decide(req: GatewayRequest): Maybe<Decision> {
    if (req.credential.kind === 'jwt') {
      const check = this.d.tokens.check(req.credential.token, 'gateway');
      return isPromise(check) ? check.then((c) => this.authorized(req, byToken(c))) : this.authorized(req, byToken(check));
    }
    const check = this.d.apiKeys.check(req.credential.key);
    return isPromise(check) ? check.then((c) => this.authorized(req, byApiKey(c))) : this.authorized(req, byApiKey(check));
  }

  private authorized(req: GatewayRequest, auth: Authenticated): Maybe<Decision> {
    if (!auth.ok) return { granted: false, ...auth.refusal };
    const partnerId = auth.caller.identity.partnerId;
    if (req.partnerPin !== undefined && req.partnerPin !== partnerId) return this.conclude(req, auth.caller, undefined, undefined);
    const partner = partnerOf(this.d.directory, this.peek, partnerId);
    const table = this.d.routes.peek?.(partnerId) ?? this.d.routes.get(partnerId);
    if (!isPromise(partner) && !isPromise(table)) return this.conclude(req, auth.caller, partner, table);
    return Promise.all([partner, table]).then(([p, t]) => this.conclude(req, auth.caller, p, t));
  }

  /** Partner pin → partner status → service → authorization → rate limit. */
  private conclude(req: GatewayRequest, caller: Caller, entry: PartnerEntry | undefined, table: RouteTable<ApiService> | undefined): Decision {
    const identity = caller.identity;
    // A pinned location answers "unknown credential" for other partners' credentials, as if they did not exist.
    if (req.partnerPin !== undefined && req.partnerPin !== identity.partnerId) return { granted: false, ...PARTNER_MISMATCH };
    if (!partnerUsable(entry?.partner).ok) return { granted: false, identity, ...PARTNER_BLOCKED };
    const service = table?.match(req.path);
    if (!service) return { granted: false, identity, ...NO_SERVICE };
    const denied = caller.allow(service);
    if (denied) return { granted: false, identity, service, ...denied };
    const limit = this.rateLimit(entry!.partner.settings.gatewayRateLimit);
    const rate = this.d.limiter.hit(caller.bucket, limit, this.d.clock.nowMs());
    if (!rate.ok) return { granted: false, identity, service, reason: 'rate_limited', retryAfterSec: rate.retryAfterSec, limit: rate.limit };
    return { granted: true, identity, service, rateLimit: rate.limit, remaining: rate.remaining };
  }

  private rateLimit(setting: unknown): number {
    const n = Number(setting ?? Number.NaN);
    return Number.isSafeInteger(n) && n >= 0 ? n : this.d.rateLimit;
  }
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
      // Kong's acl `allow`: one shared group suffices. A service without groups admits no consumer
      // (fail closed: an empty allow-list is not "everyone").
      allow: (s) => (s.allowedGroups.some((g) => groups.includes(g)) ? undefined : NOT_ALLOWED.groups),
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
