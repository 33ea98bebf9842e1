/**
 * "Who is calling, and may they do this?" — the pipeline's table for every API call: Kaltura
 * actions (a KS, or none), REST routes and the consumer door's admin routes (a user's access token
 * or an API key). One table, one runner (run.ts), the rules in steps/ (each once):
 *
 *   credential valid → partner usable → acting partner → user usable → permissions → permission held
 *
 * The answer is a Caller (the protocol-neutral Principal every service takes) or a Refusal with a
 * neutral reason (reasons.ts); only faults (a broken database) are exceptions. Each door words a
 * refusal its own way (Kaltura exception, problem+json, Sunbird envelope).
 */
import { isWidgetSession, type PrivilegeMap } from '../../core/ks/index.js';
import { isPromise, type Maybe } from '../../core/maybe.js';
import type { ApiKeyVerifier } from '../api-keys/verify-api-key.js';
import type { AccessTokenService } from '../auth/access-tokens.js';
import type { Principal, RequestMeta } from '../context.js';
import { SessionType, SystemPartner, type ApiKey, type Partner, type User } from '../model.js';
import { peekable, type Directory, type DirectoryPeek } from '../ports.js';
import type { Authenticator, KsCheck } from '../sessions/authenticate.js';
import { partnerOf, roleOf, userOf } from './lookups.js';
import { PASS, refuse, type Refusal, type StepOutcome } from './reasons.js';
import { runSteps, type Step } from './run.js';
import { mayNameOtherPartner, namesOtherPartner } from './steps/acting-partner.js';
import { partnerUsable } from './steps/partner-usable.js';
import { permissionHeld } from './steps/permission-held.js';
import { builtinPermissions, sessionPermissions, userRolePermissions, type Permissions, type SessionPermissionDeps } from './steps/session-permissions.js';
import { ksUsable } from './steps/session-usable.js';
import { userUsable } from './steps/user-usable.js';

/** What the caller presented: a KS (already found genuine: Authenticator.check), a REST credential, or nothing. */
export type CallerCredential = { kind: 'none' } | { kind: 'ks'; check: KsCheck } | { kind: 'accessToken'; token: string } | { kind: 'apiKey'; key: string };

export interface CallerRequest {
  credential: CallerCredential;
  /** The partner the request names (Kaltura's `partnerId` parameter); 0 when none. */
  requestedPartnerId: number;
  meta: RequestMeta;
  /** Any one of these suffices (ALWAYS_ALLOWED_ACTIONS: anyone); empty: refused (fail closed). */
  required: readonly string[];
}

export interface Caller {
  principal: Principal;
  via: CallerCredential['kind'];
  /** The key used, for API-key callers (its services limit the gateway, not the REST door). */
  apiKey?: ApiKey;
}

export type CallerOutcome = { ok: true; caller: Caller } | Refusal;

export interface CallerPipelineDeps {
  authenticator: Pick<Authenticator, 'usable' | 'consume' | 'findRole'>;
  tokens: Pick<AccessTokenService, 'verify'>;
  apiKeys: Pick<ApiKeyVerifier, 'verify'>;
  directory: Directory;
}

/** One request's context: what the steps found so far. */
interface Ctx {
  readonly r: CallerRequest;
  partnerId: number;
  userId: string;
  apiKey: ApiKey | undefined;
  own: Partner | undefined;
  acting: Partner | undefined;
  user: User | undefined;
  permissions: Permissions;
}

/** An anonymous call's privileges: none, one shared empty map (nothing writes to it). */
const NO_PRIVILEGES: PrivilegeMap = new Map();
const NO_SESSION = builtinPermissions('NO_SESSION_ROLE');

export class CallerPipeline {
  private readonly peek: DirectoryPeek | undefined;
  private readonly roles: SessionPermissionDeps;
  /** The table. Its order is the server's (protocol §1.7, §2.7, §2.8). */
  readonly steps: readonly Step<Ctx>[];

  constructor(private readonly d: CallerPipelineDeps) {
    this.peek = peekable(d.directory);
    this.roles = { role: (id) => roleOf(d.directory, this.peek, id), findRole: (id, partnerId) => d.authenticator.findRole(id, partnerId) };
    this.steps = [
      { name: 'credential valid', run: (c) => this.credential(c) },
      { name: 'partner usable', run: (c) => this.partner(c) },
      { name: 'acting partner', run: (c) => this.acting(c) },
      { name: 'user usable', run: (c) => this.user(c) },
      { name: 'permissions', run: (c) => this.permissions(c) },
      { name: 'permission held', run: (c) => permissionHeld(principalOf(c), c.r.required) },
    ];
  }

  async run(r: CallerRequest): Promise<CallerOutcome> {
    const ctx: Ctx = { r, partnerId: 0, userId: '', apiKey: undefined, own: undefined, acting: undefined, user: undefined, permissions: NO_SESSION };
    const out = await runSteps(this.steps, ctx);
    return out.ok ? { ok: true, caller: { principal: principalOf(ctx), via: r.credential.kind, ...(ctx.apiKey ? { apiKey: ctx.apiKey } : {}) } } : out;
  }

  private credential(c: Ctx): Maybe<StepOutcome> {
    const cred = c.r.credential;
    switch (cred.kind) {
      case 'none':
        c.partnerId = c.r.requestedPartnerId;
        return PASS;
      case 'ks': {
        c.partnerId = cred.check.ks.partnerId;
        c.userId = cred.check.ks.userId;
        const u = ksUsable(this.d.authenticator, cred.check, c.r.meta);
        return isPromise(u) ? u.then((x) => x ?? PASS) : (u ?? PASS);
      }
      case 'accessToken':
        return this.d.tokens.verify(cred.token).then((check) => {
          if (!check.ok) return invalid(check.reason);
          c.partnerId = check.claims.partnerId;
          c.userId = check.claims.sub;
          return PASS;
        });
      case 'apiKey':
        return this.d.apiKeys.verify(cred.key).then((check) => {
          if (!check.ok) return refuse('invalid_credential', check.reason);
          c.partnerId = check.key.partnerId;
          c.userId = `apikey:${check.key.id}`;
          c.apiKey = check.key;
          return PASS;
        });
    }
  }

  private partner(c: Ctx): Maybe<StepOutcome> {
    const cred = c.r.credential;
    // No session and no partner named: the global partner's anonymous call.
    if (cred.kind === 'none' && c.partnerId === 0) return PASS;
    // A KS was checked against its partner's current record (Authenticator.check): that one decides.
    if (cred.kind === 'ks') return this.found(c, cred.check.entry.partner);
    const entry = partnerOf(this.d.directory, this.peek, c.partnerId);
    return isPromise(entry) ? entry.then((e) => this.found(c, e?.partner)) : this.found(c, entry?.partner);
  }

  private found(c: Ctx, partner: Partner | undefined): StepOutcome {
    c.own = partner;
    c.acting = partner;
    return partnerUsable(partner);
  }

  private acting(c: Ctx): Maybe<StepOutcome> {
    const cred = c.r.credential;
    if (cred.kind !== 'ks' || !c.own) return PASS;
    const input = { own: c.own, sessionType: cred.check.ks.type, requestedPartnerId: c.r.requestedPartnerId };
    if (!namesOtherPartner(input)) return PASS;
    const allowed = mayNameOtherPartner(input);
    if (!allowed.ok) return allowed;
    const target = partnerOf(this.d.directory, this.peek, c.r.requestedPartnerId);
    const decide = (p: Partner | undefined): StepOutcome => {
      c.acting = p;
      return partnerUsable(p);
    };
    return isPromise(target) ? target.then((e) => decide(e?.partner)) : decide(target?.partner);
  }

  private user(c: Ctx): Maybe<StepOutcome> {
    const kind = c.r.credential.kind;
    if ((kind !== 'ks' && kind !== 'accessToken') || !c.userId) return PASS;
    const user = userOf(this.d.directory, this.peek, c.partnerId, c.userId);
    const decide = (u: User | undefined): StepOutcome => {
      c.user = u;
      // An access token always names a user of ours; a KS may name any user id (an integration's).
      if (!u && kind === 'accessToken') return refuse('user_blocked');
      return userUsable(u);
    };
    return isPromise(user) ? user.then(decide) : decide(user);
  }

  private permissions(c: Ctx): Maybe<StepOutcome> {
    const cred = c.r.credential;
    const set = (p: Permissions): StepOutcome => {
      c.permissions = p;
      return PASS;
    };
    switch (cred.kind) {
      case 'none':
        return set(NO_SESSION);
      case 'apiKey':
        return set(new Set(c.apiKey?.permissions ?? []));
      case 'accessToken': {
        const p = userRolePermissions(this.roles, c.user as User);
        return isPromise(p) ? p.then(set) : set(p);
      }
      case 'ks':
        return sessionPermissions(this.roles, cred.check.ks, cred.check.privileges, c.user).then((o) => (o.ok ? set(o.permissions) : o));
    }
  }
}

function invalid(detail: string): Refusal {
  return { ok: false, reason: 'invalid_credential', detail };
}

/**
 * The Principal of what the steps found. REST principals (access token, API key) are ADMIN-typed:
 * the REST door has no USER/ADMIN session distinction, every route is guarded by permissions
 * instead, and services that ask "is this an admin session" are only reached after that guard.
 */
function principalOf(c: Ctx): Principal {
  const cred = c.r.credential;
  if (cred.kind === 'ks') {
    const { ks, privileges, raw } = cred.check;
    return { partnerId: (c.acting as Partner).id, partner: c.acting, ksString: raw, ks, userId: ks.userId, user: c.user, sessionType: ks.type, privileges, isWidget: isWidgetSession(ks), permissions: c.permissions };
  }
  if (cred.kind === 'none') {
    return { partnerId: c.acting?.id ?? SystemPartner.GLOBAL, partner: c.acting, ksString: '', ks: null, userId: '', user: undefined, sessionType: -1, privileges: NO_PRIVILEGES, isWidget: false, permissions: c.permissions };
  }
  return { partnerId: (c.acting as Partner).id, partner: c.acting, ksString: '', ks: null, userId: c.userId, user: c.user, sessionType: SessionType.ADMIN, privileges: NO_PRIVILEGES, isWidget: false, permissions: c.permissions };
}
