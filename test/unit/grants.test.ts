/** services/grants.ts: the one place that says who may grant what (issue 15). */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/services/context.js';
import { appTokenPower, assertHolds, assertNoWideningPrivileges, mayReadAppTokenValue, missingPermissions } from '../../src/services/grants.js';
import type { Role } from '../../src/services/model.js';

function principal(permissions: Principal['permissions'], partnerId = 100): Principal {
  return { partnerId, partner: undefined, ksString: '', ks: null, userId: 'u', user: undefined, sessionType: 2, privileges: new Map(), isWidget: false, permissions };
}

const roles: Record<string, Role> = {
  '7': { id: 7, partnerId: 100, name: 'Moderators', systemName: '', description: '', status: 1, permissionNames: 'KMC_ACCESS,CONTENT_MANAGE_BASE', tags: '', createdAt: 0, updatedAt: 0 },
  '1': { id: 1, partnerId: 0, name: 'Publisher Administrator', systemName: 'PARTNER_ADMIN_ROLE', description: '', status: 1, permissionNames: '*', tags: '', createdAt: 0, updatedAt: 0 },
};
const findRole = (id: string): Promise<Role | undefined> => Promise.resolve(roles[id]);

describe('grants', () => {
  it('missingPermissions: the basic user permissions are no power; `*` is only covered by `*`', () => {
    const p = principal(new Set(['ADMIN_USER_ADD']));
    expect(missingPermissions(p, new Set(['BASE_USER_SESSION_PERMISSION', 'PLAYBACK_BASE_PERMISSION']))).toEqual([]);
    expect(missingPermissions(p, new Set(['ADMIN_USER_ADD', 'APP_TOKEN_ADD']))).toEqual(['APP_TOKEN_ADD']);
    expect(missingPermissions(p, '*')).toEqual(['*']);
    expect(missingPermissions(principal('*'), '*')).toEqual([]);
    expect(() => assertHolds(p, new Set(['ADMIN_ROLE_ADD']))).toThrow(expect.objectContaining({ code: 'PERMISSION_NOT_HELD' }));
  });

  it('operator permissions are never held by a publisher, whatever its role says', () => {
    expect(missingPermissions(principal('*'), new Set(['SYSTEM_ADMIN_PUBLISHER_ADD']))).toEqual(['SYSTEM_ADMIN_PUBLISHER_ADD']);
    expect(missingPermissions(principal('*', -2), new Set(['SYSTEM_ADMIN_PUBLISHER_ADD']))).toEqual([]);
  });

  it("appTokenPower: the setrole role; else USER = basic, ADMIN or unset = everything; unknown role = undefined", async () => {
    expect(await appTokenPower({ sessionType: 0, sessionPrivileges: 'setrole:7' }, 100, findRole)).toEqual(new Set(['KMC_ACCESS', 'CONTENT_MANAGE_BASE']));
    expect(await appTokenPower({ sessionType: 2, sessionPrivileges: null }, 100, findRole)).toBe('*');
    expect(await appTokenPower({ sessionType: null, sessionPrivileges: 'privacycontext:x' }, 100, findRole)).toBe('*');
    expect(await appTokenPower({ sessionType: 0, sessionPrivileges: null }, 100, findRole)).toEqual(expect.any(Set));
    expect(await appTokenPower({ sessionType: 0, sessionPrivileges: 'setrole:99' }, 100, findRole)).toBeUndefined();
  });

  it('a token value is readable only with APP_TOKEN_ADD and all of the token power', async () => {
    const reader = principal(new Set(['APP_TOKEN_BASE', 'KMC_READ_ONLY', 'KMC_ACCESS', 'CONTENT_MANAGE_BASE']));
    const maker = principal(new Set(['APP_TOKEN_ADD', 'KMC_ACCESS', 'CONTENT_MANAGE_BASE']));
    const moderatorToken = { sessionType: 2, sessionPrivileges: 'setrole:7' };
    expect(await mayReadAppTokenValue(reader, moderatorToken, findRole)).toBe(false);
    expect(await mayReadAppTokenValue(maker, moderatorToken, findRole)).toBe(true);
    expect(await mayReadAppTokenValue(maker, { sessionType: 2, sessionPrivileges: null }, findRole)).toBe(false);
    expect(await mayReadAppTokenValue(principal('*'), { sessionType: 2, sessionPrivileges: null }, findRole)).toBe(true);
  });

  it('setrole is a widening privilege wherever it sits in the string', () => {
    expect(() => assertNoWideningPrivileges('*')).not.toThrow();
    expect(() => assertNoWideningPrivileges('privacycontext:x,enableentitlement')).not.toThrow();
    expect(() => assertNoWideningPrivileges('sview:*, setrole:1')).toThrow(expect.objectContaining({ code: 'PRIVILEGE_NOT_ALLOWED' }));
  });
});
