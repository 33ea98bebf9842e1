/**
 * A partner's OpenID Connect identity providers (`/api/identity-providers`): register, read,
 * change and remove them. The issuer's discovery document is read and checked on every save, so a
 * provider that cannot work is refused with its reason instead of failing at someone's sign-in.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import { parsePermissionNames } from '../../core/permissions/catalogue.js';
import type { Auditor } from '../audit.js';
import type { Principal, RequestMeta } from '../context.js';
import { assertHolds, type FindRole } from '../grants.js';
import { discover } from './oidc.js';
import { DomainTakenError, type IdentityProvider, type IdentityProviderRepo } from './model.js';

export interface IdentityProviderInput {
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  emailDomains: readonly string[];
  scopes?: readonly string[] | undefined;
  enabled?: boolean | undefined;
  createUsers?: boolean | undefined;
  roleId?: number | null | undefined;
  trustProviderMfa?: boolean | undefined;
}

export type IdentityProviderPatch = Partial<IdentityProviderInput>;

export interface IdentityProviderDeps {
  providers: IdentityProviderRepo;
  findRole: FindRole;
  audit: Auditor;
  clock: Clock;
  /** Called after every change, so cached discovery of that provider is dropped. */
  changed: (id: number) => void;
}

const DEFAULT_SCOPES = ['openid', 'email', 'profile'];
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,64}$/;

/** Lower-cased, unique domains; a leading `@` is forgiven. */
export function normaliseDomains(domains: readonly string[]): string[] {
  const out = [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, '')))];
  const bad = out.find((d) => !DOMAIN.test(d));
  if (bad !== undefined) throw fail(E.IDENTITY_PROVIDER_INVALID, { REASON: `"${bad.slice(0, 100)}" is not an e-mail domain such as example.edu` });
  return out.sort();
}

function normaliseScopes(scopes: readonly string[] | undefined): string[] {
  const list = [...new Set(scopes ?? DEFAULT_SCOPES)];
  const bad = list.find((s) => !SCOPE.test(s));
  if (bad !== undefined) throw fail(E.IDENTITY_PROVIDER_INVALID, { REASON: `"${bad.slice(0, 64)}" is not a scope` });
  // The sign-in needs an ID token (openid) carrying the e-mail (email).
  return ['openid', 'email', ...list.filter((s) => s !== 'openid' && s !== 'email')];
}

export class IdentityProviderAdmin {
  constructor(private readonly d: IdentityProviderDeps) {}

  list(p: Principal): Promise<IdentityProvider[]> {
    return this.d.providers.list(p.partnerId);
  }

  /** Another partner's provider reads as not found (no hint that the id exists). */
  async get(p: Principal, id: number): Promise<IdentityProvider> {
    const found = await this.d.providers.get(id);
    if (!found || found.partnerId !== p.partnerId) throw fail(E.IDENTITY_PROVIDER_NOT_FOUND, { ID: id });
    return found;
  }

  async create(p: Principal, input: IdentityProviderInput, meta: RequestMeta): Promise<IdentityProvider> {
    const now = nowSeconds(this.d.clock);
    const draft = await this.checked(p, {
      id: 0,
      partnerId: p.partnerId,
      name: input.name.trim(),
      issuer: input.issuer.trim(),
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      emailDomains: normaliseDomains(input.emailDomains),
      scopes: normaliseScopes(input.scopes),
      tokenAuthMethod: 'client_secret_basic',
      enabled: input.enabled ?? true,
      createUsers: input.createUsers ?? false,
      roleId: input.roleId ?? null,
      trustProviderMfa: input.trustProviderMfa ?? false,
      createdAt: now,
      updatedAt: now,
    });
    const { id: _unused, ...fields } = draft;
    void _unused;
    const saved = await this.write(() => this.d.providers.insert(fields));
    await this.audited(p, 'identityProvider.add', saved, meta);
    return saved;
  }

  async update(p: Principal, id: number, patch: IdentityProviderPatch, meta: RequestMeta): Promise<IdentityProvider> {
    const current = await this.get(p, id);
    const next = await this.checked(p, {
      ...current,
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.issuer !== undefined ? { issuer: patch.issuer.trim() } : {}),
      ...(patch.clientId !== undefined ? { clientId: patch.clientId } : {}),
      ...(patch.clientSecret !== undefined ? { clientSecret: patch.clientSecret } : {}),
      ...(patch.emailDomains !== undefined ? { emailDomains: normaliseDomains(patch.emailDomains) } : {}),
      ...(patch.scopes !== undefined ? { scopes: normaliseScopes(patch.scopes) } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(patch.createUsers !== undefined ? { createUsers: patch.createUsers } : {}),
      ...(patch.roleId !== undefined ? { roleId: patch.roleId } : {}),
      ...(patch.trustProviderMfa !== undefined ? { trustProviderMfa: patch.trustProviderMfa } : {}),
      updatedAt: nowSeconds(this.d.clock),
    });
    await this.write(() => this.d.providers.update(next));
    this.d.changed(id);
    await this.audited(p, 'identityProvider.update', next, meta);
    return next;
  }

  async delete(p: Principal, id: number, meta: RequestMeta): Promise<void> {
    const current = await this.get(p, id);
    if (!(await this.d.providers.delete(p.partnerId, id))) throw fail(E.IDENTITY_PROVIDER_NOT_FOUND, { ID: id });
    this.d.changed(id);
    await this.audited(p, 'identityProvider.delete', current, meta);
  }

  /**
   * The rules of a provider about to be saved: a role for created users that the caller may grant
   * (no one hands out power it does not hold), and an issuer whose discovery document works with
   * this client (the token endpoint method it allows is kept).
   */
  private async checked(p: Principal, draft: IdentityProvider): Promise<IdentityProvider> {
    if (!draft.name) throw fail(E.IDENTITY_PROVIDER_INVALID, { REASON: 'the name is empty' });
    if (draft.emailDomains.length === 0) throw fail(E.IDENTITY_PROVIDER_INVALID, { REASON: 'name at least one e-mail domain' });
    if (draft.createUsers && draft.roleId === null) throw fail(E.IDENTITY_PROVIDER_INVALID, { REASON: 'creating users needs a roleId for them' });
    if (draft.roleId !== null) {
      const role = await this.d.findRole(String(draft.roleId), p.partnerId);
      if (!role) throw fail(E.IDENTITY_PROVIDER_INVALID, { REASON: `role ${draft.roleId} is not a role of this partner` });
      assertHolds(p, parsePermissionNames(role.permissionNames));
    }
    const found = await discover({ issuer: draft.issuer, clientId: draft.clientId, clientSecret: draft.clientSecret });
    if (!found.ok) throw fail(E.IDENTITY_PROVIDER_INVALID, { REASON: found.reason });
    return { ...draft, issuer: found.issuer, tokenAuthMethod: found.tokenAuthMethod };
  }

  private async write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof DomainTakenError) throw fail(E.EMAIL_DOMAIN_TAKEN, { DOMAIN: e.domain });
      throw e;
    }
  }

  /** Ids, names and the issuer only: the client secret never reaches the audit log. */
  private audited(p: Principal, action: string, v: IdentityProvider, meta: RequestMeta): Promise<void> {
    return this.d.audit.record({
      partnerId: p.partnerId,
      actor: p.userId || String(p.partnerId),
      action,
      target: String(v.id),
      outcome: 'success',
      clientIp: meta.clientIp,
      detail: { name: v.name, issuer: v.issuer, emailDomains: v.emailDomains, enabled: v.enabled, trustProviderMfa: v.trustProviderMfa },
    });
  }
}
