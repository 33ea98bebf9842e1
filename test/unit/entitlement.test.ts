/** The pure entitlement rule (core/access/entitlement.ts), branch by branch in the order of protocol §10. */
import { describe, expect, it } from 'vitest';
import { carriesContext, entitlementEnforced, entitlementLiftedFor, isAnonymousUserId, isEntryEntitled, sessionPrivacyContext, type EntitlementCategory, type EntitlementQuestion } from '../../src/core/access/entitlement.js';
import { parsePrivileges } from '../../src/core/ks/privileges.js';

const cat = (id: number, privacy: number, contexts: string, extra: Partial<EntitlementCategory> = {}): EntitlementCategory => ({ id, privacy, privacyContexts: contexts, member: false, ...extra });
const ask = (q: Partial<EntitlementQuestion>): ReturnType<typeof isEntryEntitled> =>
  isEntryEntitled({ entryOwner: 'owner', links: [], userId: 'alice', knownUser: true, privacyContext: null, ...q });
const active = (category: EntitlementCategory) => ({ status: 'active' as const, category });
const pending = (category: EntitlementCategory) => ({ status: 'pending' as const, category });

describe('isEntryEntitled', () => {
  it('the owner is always entitled, whatever the categories and the context', () => {
    expect(ask({ userId: 'owner', links: [active(cat(1, 3, 'MEDIASPACE'))], privacyContext: 'OTHERCTX' })).toEqual({ entitled: true, via: 'owner' });
    // An anonymous session owns nothing, even an entry without owner.
    expect(ask({ userId: '', entryOwner: '', links: [active(cat(1, 3, 'MEDIASPACE'))] })).toMatchObject({ entitled: false });
  });

  it('an entry with no ACTIVE category link is open (PENDING links do not count), with or without a context', () => {
    expect(ask({ links: [] })).toEqual({ entitled: true, via: 'no_category' });
    expect(ask({ links: [], privacyContext: 'MEDIASPACE' })).toEqual({ entitled: true, via: 'no_category' });
    expect(ask({ links: [pending(cat(1, 3, 'MEDIASPACE'))], privacyContext: 'MEDIASPACE' })).toEqual({ entitled: true, via: 'no_category' });
  });

  it('ALL in the session context entitles anyone, anonymous included', () => {
    expect(ask({ userId: '', knownUser: false, links: [active(cat(7, 1, 'MEDIASPACE', { name: 'Open' }))], privacyContext: 'MEDIASPACE' })).toEqual({
      entitled: true,
      via: 'privacy_all',
      category: { id: 7, name: 'Open' },
    });
  });

  it('AUTHENTICATED_USERS entitles a known user only', () => {
    const links = [active(cat(2, 2, 'MEDIASPACE'))];
    expect(ask({ links, privacyContext: 'MEDIASPACE' })).toMatchObject({ entitled: true, via: 'authenticated', category: { id: 2 } });
    expect(ask({ links, privacyContext: 'MEDIASPACE', userId: '', knownUser: false })).toEqual({ entitled: false, reason: 'not_entitled', categories: [2] });
  });

  it('MEMBERS_ONLY entitles active members, inherited members named with the category they come from', () => {
    const direct = [active(cat(3, 3, 'MEDIASPACE', { member: true, name: 'Course 101' }))];
    expect(ask({ links: direct, privacyContext: 'MEDIASPACE' })).toEqual({ entitled: true, via: 'member', category: { id: 3, name: 'Course 101' } });
    const inherited = [active(cat(4, 3, 'MEDIASPACE', { member: true, name: 'Courses>Course 101', inheritedFrom: { id: 1, name: 'Courses' } }))];
    expect(ask({ links: inherited, privacyContext: 'MEDIASPACE' })).toEqual({ entitled: true, via: 'member', category: { id: 4, name: 'Courses>Course 101' }, inheritedFrom: { id: 1, name: 'Courses' } });
    expect(ask({ links: [active(cat(3, 3, 'MEDIASPACE'))], privacyContext: 'MEDIASPACE' })).toEqual({ entitled: false, reason: 'not_entitled', categories: [3] });
  });

  it('an entry only in another context\'s categories is refused to a session with a context, even ALL ones', () => {
    expect(ask({ links: [active(cat(5, 1, 'OTHERCTX'))], privacyContext: 'MEDIASPACE' })).toEqual({ entitled: false, reason: 'outside_context', categories: [5] });
    // ... and an entry only in context-less categories too.
    expect(ask({ links: [active(cat(6, 1, ''))], privacyContext: 'MEDIASPACE' })).toEqual({ entitled: false, reason: 'outside_context', categories: [6] });
  });

  it('a member whose session lacks the context is refused; a session without context sees context-less categories only', () => {
    const links = [active(cat(3, 3, 'MEDIASPACE', { member: true }))];
    expect(ask({ links, privacyContext: null })).toEqual({ entitled: false, reason: 'outside_context', categories: [3] });
    expect(ask({ links, privacyContext: 'OTHERCTX' })).toMatchObject({ entitled: false, reason: 'outside_context' });
    expect(ask({ links: [active(cat(8, 1, ''))], privacyContext: null })).toMatchObject({ entitled: true, via: 'privacy_all', category: { id: 8 } });
  });

  it('any one category of the context suffices, PENDING ones included once the entry is categorised', () => {
    const links = [active(cat(1, 3, 'MEDIASPACE')), pending(cat(2, 3, 'MEDIASPACE', { member: true }))];
    expect(ask({ links, privacyContext: 'MEDIASPACE' })).toMatchObject({ entitled: true, via: 'member', category: { id: 2 } });
  });

  it("'*' as context counts every context, the default one included", () => {
    expect(ask({ links: [active(cat(1, 1, 'OTHERCTX'))], privacyContext: '*' })).toMatchObject({ entitled: true });
    expect(ask({ links: [active(cat(1, 1, ''))], privacyContext: '*' })).toMatchObject({ entitled: true });
  });
});

describe('entitlement helpers', () => {
  it('carriesContext matches whole items of the stored list', () => {
    expect(carriesContext('MEDIASPACE,CANVAS', 'CANVAS')).toBe(true);
    expect(carriesContext('MEDIASPACE2', 'MEDIASPACE')).toBe(false);
    expect(carriesContext(['A1234'], 'A1234')).toBe(true);
    expect(carriesContext('', null)).toBe(true);
    expect(carriesContext('X1234', null)).toBe(false);
  });

  it('entitlementEnforced: the partner default, turned off by disableentitlement and on by enableentitlement (enable wins)', () => {
    const p = (s: string) => parsePrivileges(s);
    expect(entitlementEnforced(null, false)).toBe(false);
    expect(entitlementEnforced(null, true)).toBe(true);
    expect(entitlementEnforced(p(''), true)).toBe(true);
    expect(entitlementEnforced(p('*,disableentitlement'), true)).toBe(false);
    expect(entitlementEnforced(p('enableentitlement'), false)).toBe(true);
    expect(entitlementEnforced(p('disableentitlement,enableentitlement'), false)).toBe(true);
    // Whole items only.
    expect(entitlementEnforced(p('xenableentitlement'), false)).toBe(false);
  });

  it('the session context is the first privacycontext item; entries can be lifted one by one', () => {
    expect(sessionPrivacyContext(parsePrivileges('privacycontext:MEDIASPACE,privacycontext:OTHER'))).toBe('MEDIASPACE');
    expect(sessionPrivacyContext(parsePrivileges('enableentitlement'))).toBeNull();
    expect(sessionPrivacyContext(null)).toBeNull();
    expect(entitlementLiftedFor(parsePrivileges('disableentitlementforentry:0_abc'), '0_abc')).toBe(true);
    expect(entitlementLiftedFor(parsePrivileges('disableentitlementforentry:0_abc'), '0_abd')).toBe(false);
    expect(isAnonymousUserId('0')).toBe(true);
    expect(isAnonymousUserId('')).toBe(true);
    expect(isAnonymousUserId('alice')).toBe(false);
  });
});
