/**
 * The user a provider with `createUsers` makes for a verified e-mail of its domains: an admin of
 * the provider's partner with the provider's role and a login whose password is random and never
 * shown (they sign in through the provider). Created by UserService.add, so every rule of user
 * creation applies; the acting principal is the partner itself, because the power handed out was
 * checked when an administrator chose the role for the provider (IdentityProviderAdmin: only a
 * role whose permissions that administrator holds).
 */
import { E, fail } from '../../core/errors/index.js';
import type { Principal, RequestMeta } from '../context.js';
import { SessionType, type User } from '../model.js';
import type { Directory } from '../ports.js';
import type { UserService } from '../users/user-service.js';
import type { IdentityProvider } from './model.js';

const text = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined);

export async function createSsoUser(users: Pick<UserService, 'add'>, directory: Pick<Directory, 'partner'>, provider: IdentityProvider, email: string, claims: Readonly<Record<string, unknown>>, meta: RequestMeta): Promise<User> {
  const entry = await directory.partner(provider.partnerId);
  if (!entry || provider.roleId === null) throw fail(E.SSO_NOT_FOUND);
  const asPartner: Principal = {
    partnerId: provider.partnerId,
    partner: entry.partner,
    ksString: '',
    ks: null,
    userId: `identity-provider:${provider.id}`,
    user: undefined,
    sessionType: SessionType.ADMIN,
    privileges: new Map(),
    isWidget: false,
    permissions: '*',
  };
  return users.add(
    asPartner,
    {
      id: email,
      email,
      firstName: text(claims.given_name, 128) ?? null,
      lastName: text(claims.family_name, 128) ?? null,
      screenName: text(claims.name, 256) ?? null,
      isAdmin: true,
      roleIds: String(provider.roleId),
    },
    meta,
  );
}
