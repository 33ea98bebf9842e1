/** The access pipeline's shared steps (src/services/pipeline/steps): each rule once, tested here. */
import { describe, expect, it } from 'vitest';
import type { ParsedKs } from '../../src/core/ks/index.js';
import { PartnerStatus, UserStatus } from '../../src/services/model.js';
import { isPartnerUsable, partnerUsable } from '../../src/services/pipeline/steps/partner-usable.js';
import { isOperator, permissionHeld } from '../../src/services/pipeline/steps/permission-held.js';
import { userUsable } from '../../src/services/pipeline/steps/user-usable.js';

const ks = (partnerId: number) => ({ partnerId }) as ParsedKs;

describe('partner usable', () => {
  it('ACTIVE and READ_ONLY pass; blocked, deleted and unknown partners are partner_blocked', () => {
    expect(partnerUsable({ status: PartnerStatus.ACTIVE })).toEqual({ ok: true });
    expect(partnerUsable({ status: PartnerStatus.READ_ONLY })).toEqual({ ok: true });
    for (const status of [PartnerStatus.CONTENT_BLOCK, PartnerStatus.FULL_BLOCK, PartnerStatus.DELETED]) {
      expect(partnerUsable({ status })).toEqual({ ok: false, reason: 'partner_blocked' });
      expect(isPartnerUsable(status)).toBe(false);
    }
    expect(partnerUsable(undefined)).toEqual({ ok: false, reason: 'partner_blocked' });
    expect(partnerUsable(null)).toEqual({ ok: false, reason: 'partner_blocked' });
  });
});

describe('user usable', () => {
  it('no user record passes; an active user passes; blocked and deleted users are user_blocked', () => {
    expect(userUsable(undefined)).toEqual({ ok: true });
    expect(userUsable({ status: UserStatus.ACTIVE })).toEqual({ ok: true });
    expect(userUsable({ status: UserStatus.BLOCKED })).toEqual({ ok: false, reason: 'user_blocked' });
    expect(userUsable({ status: UserStatus.DELETED })).toEqual({ ok: false, reason: 'user_blocked' });
  });
});

describe('permission held', () => {
  it('any one of the required names; ALWAYS_ALLOWED_ACTIONS for everyone', () => {
    const p = { ks: null, partnerId: 100, permissions: new Set(['CONTENT_MANAGE_BASE']) };
    expect(permissionHeld(p, ['ADMIN_BASE', 'CONTENT_MANAGE_BASE']).ok).toBe(true);
    expect(permissionHeld(p, ['ADMIN_BASE'])).toEqual({ ok: false, reason: 'permission_missing' });
    expect(permissionHeld({ ...p, permissions: new Set<string>() }, ['ALWAYS_ALLOWED_ACTIONS']).ok).toBe(true);
  });

  it("operator permissions: only for a KS of partner -2 (whichever partner it acts on) or a caller of partner -2, never a publisher's `*`", () => {
    expect(permissionHeld({ ks: null, partnerId: 100, permissions: '*' }, ['SYSTEM_ADMIN_PUBLISHER_ADD']).ok).toBe(false);
    expect(permissionHeld({ ks: ks(100), partnerId: 100, permissions: '*' }, ['SYSTEM_ADMIN_PUBLISHER_ADD']).ok).toBe(false);
    expect(permissionHeld({ ks: ks(-2), partnerId: 100, permissions: '*' }, ['SYSTEM_ADMIN_PUBLISHER_ADD']).ok).toBe(true);
    expect(permissionHeld({ ks: null, partnerId: -2, permissions: new Set(['SYSTEM_ADMIN_PUBLISHER_ADD']) }, ['SYSTEM_ADMIN_PUBLISHER_ADD']).ok).toBe(true);
    expect(isOperator({ ks: ks(-2), partnerId: 100 })).toBe(true);
    expect(isOperator({ ks: ks(100), partnerId: 100 })).toBe(false);
  });
});
