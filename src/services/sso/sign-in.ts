/**
 * Single sign-on with OpenID Connect: start (a 302 to the provider), callback (the code exchanged,
 * the ID token verified, its verified e-mail mapped to a user of the provider's partner) and the
 * console's handover (a one-time code for the access token).
 *
 * Security choices:
 * - state, nonce and the PKCE verifier stay on the server (sso_tickets), found by the SHA-256 of
 *   `state` and taken once; the ticket is bound to a random HttpOnly cookie set at start, so a
 *   callback URL replayed or planted in another browser (login CSRF) is refused.
 * - the console gets no token in a URL: the callback sends it to `/console/sso#code=…` (a fragment
 *   never reaches a server or a Referer), a 256-bit code valid 60 s, once, in the same browser,
 *   which the console exchanges for the access token.
 * - the e-mail must be `email_verified` and of a domain the provider was registered for, and only
 *   users of that provider's partner are looked at: a provider cannot sign anyone into another
 *   partner, nor vouch for addresses outside its domains.
 * - the provider proves who signs in, not a second factor: a login that set up two-factor codes, or
 *   whose partner requires them, is asked for its code at the exchange (or taken to enrolment),
 *   unless the provider is marked trustProviderMfa and its ID token asserts MFA (core/two-factor/
 *   provider-mfa.ts). The handover code then stays valid for the code step (5 minutes, 5 codes).
 */
import { createHash } from 'node:crypto';
import { nowSeconds, type Clock } from '../../core/clock.js';
import { safeEqual } from '../../core/crypto/compare.js';
import { randomHex } from '../../core/crypto/random.js';
import { E, fail, isGatehouseError } from '../../core/errors/index.js';
import { assertsMfa } from '../../core/two-factor/provider-mfa.js';
import { BoundedCache } from '../../cache/lru.js';
import type { Auditor } from '../audit.js';
import type { RequestMeta } from '../context.js';
import type { User } from '../model.js';
import type { ProviderSignIn, SignIn } from '../auth/access-tokens.js';
import type { Directory, LoginDataRepo, UserRepo } from '../ports.js';
import { partnerUsable } from '../pipeline/steps/partner-usable.js';
import { userUsable } from '../pipeline/steps/user-usable.js';
import type { IdentityProvider, IdentityProviderRepo, SsoTicketRepo } from './model.js';
import { authorizationRequest, discover, exchangeCode, type Discovered } from './oidc.js';

/** How long a sign-in may stay at the provider. */
export const FLOW_TTL = 600;
/** How long the console has to exchange its handover code. */
export const HANDOVER_TTL = 60;
/** How long the console has to type a two-factor code once asked for one, and how many it may try. */
export const CODE_STEP_TTL = 300;
export const CODE_STEP_TRIES = 5;
export const CALLBACK_PATH = '/api/auth/sso/callback';
const ACTION = 'auth.sso';

export interface SsoSignInDeps {
  providers: IdentityProviderRepo;
  tickets: SsoTicketRepo;
  logins: LoginDataRepo;
  users: UserRepo;
  directory: Directory;
  audit: Auditor;
  clock: Clock;
  /** GATEHOUSE_PUBLIC_URL, else the listen address (known once listening). */
  publicUrl: () => string;
  /** Creates the user of a provider with `createUsers` (its role was checked when the provider was saved). */
  createUser: (provider: IdentityProvider, email: string, claims: Readonly<Record<string, unknown>>, meta: RequestMeta) => Promise<User>;
  /** Whether the partner refuses password sign-ins (blockDirectLogin). */
  directLoginBlocked: (partnerId: number) => Promise<boolean>;
  /** The console's sign-in for the user (AccessTokenService.afterProvider): a token once the second factor it owes is given. */
  signIn: (user: User, o: { providerMfa: boolean; otp?: string | undefined }, meta: RequestMeta) => Promise<ProviderSignIn>;
}

/** A refusal: `reason` goes to the audit log, `message` to the person signing in. */
export interface Refusal {
  readonly ok: false;
  readonly reason: string;
  readonly message: string;
}

export type Started = { readonly ok: true; readonly location: string; readonly cookie: string };
export type Completed = { readonly ok: true; readonly code: string; readonly user: User } | Refusal;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const GENERIC = 'The sign-in could not be completed. Start again from the sign-in page.';

/** The domain of an e-mail address, lower-cased; undefined when it is not one. */
export function domainOf(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1 || email.length > 320) return undefined;
  return email.slice(at + 1).trim().toLowerCase();
}

export class SsoSignIn {
  /** Discovery per provider (keyed by id, checked against its updatedAt): one fetch per 10 minutes, not per sign-in. */
  private readonly configs = new BoundedCache<number, { updatedAt: number; found: Discovered }>(1000, 600_000);

  constructor(private readonly d: SsoSignInDeps) {}

  redirectUri(): string {
    return `${this.d.publicUrl()}${CALLBACK_PATH}`;
  }

  /** Drops a provider's cached discovery (called by every change to it). */
  forget(id: number): void {
    this.configs.delete(id);
  }

  /**
   * The provider an e-mail's domain picks: an enabled one, of `partnerId` when given. Ambiguous
   * (two partners registered the domain, no partner named) reads as none. Says nothing about users.
   */
  async providerForEmail(email: string, partnerId?: number): Promise<IdentityProvider | undefined> {
    const domain = domainOf(email);
    if (!domain) return undefined;
    const found = await this.d.providers.enabledByDomain(domain, partnerId);
    return found.length === 1 ? found[0] : undefined;
  }

  /** The console's sign-in page: the e-mail's provider (id and name only) and whether its partner still allows passwords. */
  async lookup(email: string, partnerId?: number): Promise<{ provider: { id: number; name: string } | null; passwordSignIn: boolean }> {
    const p = await this.providerForEmail(email, partnerId);
    if (!p) return { provider: null, passwordSignIn: true };
    return { provider: { id: p.id, name: p.name }, passwordSignIn: !(await this.d.directLoginBlocked(p.partnerId)) };
  }

  /** An enabled provider by id (SSO_NOT_FOUND otherwise, its partner's status included). */
  async enabledProvider(id: number): Promise<IdentityProvider> {
    const p = await this.d.providers.get(id);
    const entry = p && (await this.d.directory.partner(p.partnerId));
    if (!p || !p.enabled || !entry || !partnerUsable(entry.partner).ok) throw fail(E.SSO_NOT_FOUND);
    return p;
  }

  /**
   * Kaltura's sso.login: where a user's browser starts signing in — this server's start URL for the
   * provider that the user id's (an e-mail's) domain picks, else the partner's only enabled one.
   */
  async loginUrl(userId: string | null, partnerId: number | null): Promise<string> {
    let provider: IdentityProvider | undefined;
    if (userId) provider = await this.providerForEmail(userId, partnerId ?? undefined);
    else if (partnerId !== null) {
      const enabled = (await this.d.providers.list(partnerId)).filter((p) => p.enabled);
      provider = enabled.length === 1 ? enabled[0] : undefined;
    }
    if (!provider) throw fail(E.SSO_NOT_FOUND);
    const url = new URL(`${this.d.publicUrl()}/api/auth/sso/start`);
    url.searchParams.set('provider', String(provider.id));
    if (userId) url.searchParams.set('email', userId);
    return url.href;
  }

  async start(input: { providerId?: number | undefined; email?: string | undefined }, meta: RequestMeta): Promise<Started> {
    const provider = input.providerId !== undefined ? await this.enabledProvider(input.providerId) : await this.providerForEmail(input.email ?? '');
    if (!provider) throw fail(E.SSO_NOT_FOUND);
    const found = await this.discovered(provider);
    if (!found.ok) {
      await this.audit('failure', provider, input.email ?? '', meta, `discovery: ${found.reason}`);
      throw fail(E.IDENTITY_PROVIDER_INVALID, { REASON: 'the identity provider cannot be reached now; try again later' });
    }
    const req = await authorizationRequest(found.config, { redirectUri: this.redirectUri(), scopes: provider.scopes, loginHint: input.email });
    const cookie = randomHex(32);
    const now = nowSeconds(this.d.clock);
    await this.d.tickets.put({
      kind: 'flow',
      id: sha256(req.state),
      binding: sha256(cookie),
      payload: { providerId: provider.id, nonce: req.nonce, codeVerifier: req.codeVerifier },
      createdAt: now,
      expiresAt: now + FLOW_TTL,
    });
    return { ok: true, location: req.url, cookie };
  }

  /** The provider's answer: `query` as received on the callback, `cookie` the browser's sign-in cookie. */
  async callback(query: Record<string, string>, cookie: string | undefined, meta: RequestMeta): Promise<Completed> {
    const now = nowSeconds(this.d.clock);
    const state = query.state ?? '';
    const ticket = state ? await this.d.tickets.take('flow', sha256(state), now) : undefined;
    if (!ticket) return this.refuse(undefined, '', meta, state ? 'unknown, expired or used state' : 'no state', GENERIC);
    const provider = await this.d.providers.get(Number(ticket.payload.providerId));
    if (!cookie || !safeEqual(sha256(cookie), ticket.binding)) return this.refuse(provider, '', meta, 'state from another browser', GENERIC);
    if (!provider || !provider.enabled) return this.refuse(provider, '', meta, 'provider removed or disabled', GENERIC);
    const entry = await this.d.directory.partner(provider.partnerId);
    if (!entry || !partnerUsable(entry.partner).ok) return this.refuse(provider, '', meta, 'partner blocked', 'This account is blocked. Ask the platform operator.');
    if (query.error) return this.refuse(provider, '', meta, `provider answered ${query.error.slice(0, 64)}`, `${provider.name} did not sign you in.`);
    const found = await this.discovered(provider);
    if (!found.ok) return this.refuse(provider, '', meta, `discovery: ${found.reason}`, GENERIC);

    const callbackUrl = new URL(this.redirectUri());
    for (const [k, v] of Object.entries(query)) callbackUrl.searchParams.set(k, v);
    const exchanged = await exchangeCode(found.config, callbackUrl, { state, nonce: String(ticket.payload.nonce), codeVerifier: String(ticket.payload.codeVerifier) });
    if (!exchanged.ok) return this.refuse(provider, '', meta, `token refused: ${exchanged.reason}`, GENERIC);

    const claims = exchanged.claims;
    const email = typeof claims.email === 'string' ? claims.email.trim() : '';
    if (!email) return this.refuse(provider, '', meta, 'no e-mail in the ID token', `${provider.name} did not share your e-mail address, which Gatehouse needs to find your account.`);
    if (claims.email_verified !== true) return this.refuse(provider, email, meta, 'e-mail not verified', `${provider.name} has not verified the e-mail address ${email}.`);
    const domain = domainOf(email);
    if (!domain || !provider.emailDomains.includes(domain)) return this.refuse(provider, email, meta, 'e-mail domain not served by this provider', `${provider.name} is not set up to sign in addresses like ${email}.`);

    const user = await this.userFor(provider, email, claims, meta);
    if (!user) return this.refuse(provider, email, meta, 'no user', `There is no account for ${email} here. Ask an administrator of your organisation to add you; nothing was created.`);
    if (!userUsable(user).ok) return this.refuse(provider, email, meta, 'user blocked', 'This account is blocked. Ask an administrator of your organisation.');

    // Read only from providers the partner trusts for it: an untrusted claim is worth nothing.
    const providerMfa = provider.trustProviderMfa && assertsMfa(claims);
    const code = randomHex(32);
    await this.d.tickets.put({ kind: 'handover', id: sha256(code), binding: ticket.binding, payload: { kuserId: user.kuserId, providerMfa }, createdAt: now, expiresAt: now + HANDOVER_TTL });
    // The sign-in is recorded (last partner, last sign-in) when the console's token is issued, after any second factor.
    await this.audit('success', provider, email, meta, undefined, providerMfa);
    return { ok: true, code, user };
  }

  /**
   * The console's half: the one-time code (and the same browser's cookie) for an access token, or
   * an enrolment token. When the login owes a two-factor code the answer is OTP_REQUIRED (then
   * INVALID_OTP for a wrong one) and the same code stays valid for the code step, sent again with
   * `otp`; a wrong code is counted on the login's lockout, and the step ends after 5 of them.
   */
  async exchange(code: string, cookie: string | undefined, otp: string | undefined, meta: RequestMeta): Promise<SignIn> {
    const now = nowSeconds(this.d.clock);
    const ticket = await this.d.tickets.take('handover', sha256(code), now);
    const user = ticket && cookie && safeEqual(sha256(cookie), ticket.binding) ? await this.d.users.byKuserId(Number(ticket.payload.kuserId)) : undefined;
    const entry = user && (await this.d.directory.partner(user.partnerId));
    if (!ticket || !user || !userUsable(user).ok || !entry || !partnerUsable(entry.partner).ok) {
      await this.d.audit.record({ partnerId: user?.partnerId ?? null, actor: user?.email ?? '', action: `${ACTION}.exchange`, target: '', outcome: 'failure', clientIp: meta.clientIp, detail: { reason: ticket ? 'browser mismatch or user unusable' : 'unknown, expired or used code' } });
      throw fail(E.SSO_CODE_INVALID);
    }
    const signedIn = await this.d.signIn(user, { providerMfa: ticket.payload.providerMfa === true, otp: otp || undefined }, meta);
    if (signedIn.kind !== 'code') return signedIn;
    // The code is still owed: the same handover code stays good for the code step, a bounded number of tries.
    const tries = Number(ticket.payload.tries ?? 0) + (otp ? 1 : 0);
    const until = Number(ticket.payload.codeStepUntil ?? now + CODE_STEP_TTL);
    if (signedIn.error !== 'LOGIN_BLOCKED' && tries < CODE_STEP_TRIES && until > now) {
      await this.d.tickets.put({ ...ticket, payload: { ...ticket.payload, tries, codeStepUntil: until }, expiresAt: until });
    }
    throw fail(E[signedIn.error]);
  }

  /** The user of the provider's partner whose login is this e-mail; created only when the provider says so. */
  private async userFor(provider: IdentityProvider, email: string, claims: Readonly<Record<string, unknown>>, meta: RequestMeta): Promise<User | undefined> {
    const login = await this.d.logins.byEmail(email);
    const existing = login ? (await this.d.users.byLoginData(login.id)).find((u) => u.partnerId === provider.partnerId) : undefined;
    if (existing) return existing;
    if (!provider.createUsers || provider.roleId === null) return undefined;
    try {
      return await this.d.createUser(provider, email, claims, meta);
    } catch (e) {
      // The provider's role was deleted since, the partner's admin quota is full, …: no user, said
      // as such (a fault still propagates).
      if (isGatehouseError(e) && e.def.category !== 'internal' && e.def.category !== 'unavailable') return undefined;
      throw e;
    }
  }

  private async discovered(p: IdentityProvider): Promise<Discovered> {
    const hit = this.configs.get(p.id);
    if (hit && hit.updatedAt === p.updatedAt) return hit.found;
    const found = await discover(p);
    // A failed discovery is not kept: the next sign-in tries again.
    if (found.ok) this.configs.set(p.id, { updatedAt: p.updatedAt, found });
    return found;
  }

  private async refuse(provider: IdentityProvider | undefined, email: string, meta: RequestMeta, reason: string, message: string): Promise<Refusal> {
    await this.audit('failure', provider, email, meta, reason);
    return { ok: false, reason, message };
  }

  /** One event per sign-in or refusal: provider id and e-mail, never a code, token or claim set. */
  private audit(outcome: 'success' | 'failure', provider: IdentityProvider | undefined, email: string, meta: RequestMeta, reason?: string, providerMfa?: boolean): Promise<void> {
    return this.d.audit.record({
      partnerId: provider?.partnerId ?? null,
      actor: email,
      action: ACTION,
      target: provider ? String(provider.id) : '',
      outcome,
      clientIp: meta.clientIp,
      detail: reason ? { reason } : providerMfa ? { providerMfa } : {},
    });
  }
}
