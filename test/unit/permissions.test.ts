import { describe, expect, it } from 'vitest';
import { GLOBAL_ROLES, OPERATOR_ROLES, TEMPLATE_ROLES } from '../../src/core/permissions/builtin-roles.js';
import { parsePermissionNames, PERMISSIONS, satisfiesAny, unknownPermissions } from '../../src/core/permissions/catalogue.js';
import { UNSERVED_KALTURA_PERMISSIONS } from '../../src/core/permissions/unserved.js';

describe('permission catalogue', () => {
  it('has unique names and stable ids', () => {
    expect(new Set(PERMISSIONS.map((p) => p.name)).size).toBe(PERMISSIONS.length);
    expect(PERMISSIONS.map((p) => p.id)).toEqual(PERMISSIONS.map((_, i) => i + 1));
  });

  it('every built-in role names only catalogue permissions', () => {
    for (const r of [...GLOBAL_ROLES, ...TEMPLATE_ROLES, ...OPERATOR_ROLES]) expect(unknownPermissions(r.permissionNames), r.name).toEqual([]);
  });

  it('parses role permission lists, with * meaning all', () => {
    expect(parsePermissionNames(' A , B,,')).toEqual(new Set(['A', 'B']));
    expect(parsePermissionNames('A,*')).toBe('*');
    expect(unknownPermissions('ADMIN_BASE,NOPE')).toEqual(['NOPE']);
  });

  it('any one required permission suffices; ALWAYS_ALLOWED_ACTIONS needs none', () => {
    expect(satisfiesAny(new Set(['KMC_ACCESS']), ['SESSION_READ_PERMISSION', 'KMC_ACCESS'])).toBe(true);
    expect(satisfiesAny(new Set(['KMC_ACCESS']), ['SESSION_READ_PERMISSION'])).toBe(false);
    expect(satisfiesAny(new Set(), ['ALWAYS_ALLOWED_ACTIONS'])).toBe(true);
  });

  it('a publisher * role never grants operator permissions; an operator session does', () => {
    expect(satisfiesAny('*', ['SYSTEM_ADMIN_PUBLISHER_KMC_ACCESS'])).toBe(false);
    expect(satisfiesAny('*', ['SYSTEM_ADMIN_PUBLISHER_KMC_ACCESS'], true)).toBe(true);
    expect(satisfiesAny(new Set(['SYSTEM_ADMIN_PUBLISHER_BASE']), ['SYSTEM_ADMIN_PUBLISHER_BASE'])).toBe(false);
    expect(satisfiesAny('*', ['SYSTEM_ADMIN_PUBLISHER_BASE', 'ADMIN_BASE'])).toBe(true);
  });

  it('SSO_MANAGE is a catalogue permission held by the partner administrator role, not by the Manager template', () => {
    const admin = GLOBAL_ROLES.find((r) => r.systemName === 'PARTNER_ADMIN_ROLE');
    const manager = TEMPLATE_ROLES.find((r) => r.systemName === 'MANAGER');
    expect(unknownPermissions('SSO_MANAGE')).toEqual([]);
    expect(satisfiesAny(parsePermissionNames(admin?.permissionNames ?? ''), ['SSO_MANAGE'])).toBe(true);
    expect(satisfiesAny(parsePermissionNames(manager?.permissionNames ?? ''), ['SSO_MANAGE'])).toBe(false);
  });

  it('INTEGRATION_UPDATE_SETTINGS is served (no longer among the unserved names): the partner administrator holds it, the Manager template does not, as on Kaltura', () => {
    const admin = GLOBAL_ROLES.find((r) => r.systemName === 'PARTNER_ADMIN_ROLE');
    const manager = TEMPLATE_ROLES.find((r) => r.systemName === 'MANAGER');
    expect(PERMISSIONS.find((p) => p.name === 'INTEGRATION_UPDATE_SETTINGS')).toMatchObject({ type: 1 });
    expect(UNSERVED_KALTURA_PERMISSIONS.has('INTEGRATION_UPDATE_SETTINGS')).toBe(false);
    expect(PERMISSIONS.filter((p) => UNSERVED_KALTURA_PERMISSIONS.has(p.name))).toEqual([]);
    expect(satisfiesAny(parsePermissionNames(admin?.permissionNames ?? ''), ['INTEGRATION_UPDATE_SETTINGS'])).toBe(true);
    expect(satisfiesAny(parsePermissionNames(manager?.permissionNames ?? ''), ['INTEGRATION_UPDATE_SETTINGS'])).toBe(false);
  });
});
