/**
 * The pipeline's session and access-profile steps (src/services/pipeline/steps), in isolation:
 * every refusal with its reason, the order of the checks, and the rule that a step answers at once
 * when what it reads is cached and returns a promise only when it must load.
 */
import { describe, expect, it } from 'vitest';
import type { ParsedKs } from '../../src/core/ks/index.js';
import type { RequestMeta } from '../../src/services/context.js';
import type { AccessControlProfileRecord, Entry, User } from '../../src/services/model.js';
import type { AccessProfiles, CompiledAccessProfile, Directory, DirectoryPeek, MetadataRepo, PartnerEntry } from '../../src/services/ports.js';
import { accessProfile } from '../../src/services/pipeline/steps/access-profile.js';
import { sessionUsable, type SessionUsableDeps } from '../../src/services/pipeline/steps/session-usable.js';
import type { KsCheck, KsUsability } from '../../src/services/sessions/authenticate.js';

const meta: RequestMeta = { clientIp: '10.0.0.1', uri: '/p/100/x' };
const ks = (over: Partial<ParsedKs> = {}): ParsedKs => Object.freeze({ partnerId: 100, userId: 'ana', type: 0, privileges: '', validUntil: 2e9, hash: 'h', version: 2, rand: 'r', masterPartnerId: null, additionalData: null, ...over }) as ParsedKs;
const check = (over: Partial<ParsedKs> = {}): KsCheck => ({ ks: ks(over), entry: {} as PartnerEntry, privileges: new Map(), raw: 'KS' });
const user = (status: number): User => ({ id: 'ana', partnerId: 100, status, roleIds: '', email: 'ana@uni.test' }) as User;

function sessionDeps(o: { check: KsCheck | null | Promise<KsCheck | null>; usable?: KsUsability; consume?: boolean; user?: User | null | undefined }): SessionUsableDeps & { consumed: number } {
  const d = {
    consumed: 0,
    authenticator: {
      check: () => o.check,
      usable: () => o.usable ?? { ok: true as const, limit: undefined },
      consume: async () => (d.consumed++, o.consume ?? true),
    },
    directory: { user: async () => o.user ?? undefined } as unknown as Directory,
    peek: { peekPartner: () => undefined, peekRole: () => undefined, peekUser: () => o.user } as DirectoryPeek,
  };
  return d;
}

describe('session usable', () => {
  it('a cached, usable KS of the partner with an active user answers at once', () => {
    const r = sessionUsable(sessionDeps({ check: check(), user: user(1) }), 'KS', 100, meta);
    expect(r).not.toBeInstanceOf(Promise);
    expect(r).toMatchObject({ ok: true, session: { type: 0, scope: { userId: 'ana' } } });
  });

  it('refusals carry Kaltura\u2019s reason: not a KS, not usable, another partner\u2019s, a blocked user', async () => {
    expect(sessionUsable(sessionDeps({ check: null }), 'junk', 100, meta)).toEqual({ ok: false, reason: 'invalid_session', detail: 'INVALID_STR' });
    expect(await sessionUsable(sessionDeps({ check: Promise.resolve(null) }), 'junk', 100, meta)).toEqual({ ok: false, reason: 'invalid_session', detail: 'INVALID_STR' });
    expect(sessionUsable(sessionDeps({ check: check(), usable: { ok: false, detail: 'EXPIRED' } }), 'KS', 100, meta)).toMatchObject({ ok: false, detail: 'EXPIRED' });
    // Expiry and revocation come before the partner: a dead KS of another partner reads as dead.
    expect(sessionUsable(sessionDeps({ check: check({ partnerId: 200 }), usable: { ok: false, detail: 'LOGOUT' } }), 'KS', 100, meta)).toMatchObject({ detail: 'LOGOUT' });
    expect(sessionUsable(sessionDeps({ check: check({ partnerId: 200 }) }), 'KS', 100, meta)).toMatchObject({ ok: false, detail: 'INVALID_PARTNER' });
    expect(sessionUsable(sessionDeps({ check: check(), user: user(2) }), 'KS', 100, meta)).toMatchObject({ ok: false, detail: 'USER_BLOCKED' });
  });

  it('an actionslimit session counts one action (a database write, so a promise); none left is EXCEEDED_ACTIONS_LIMIT', async () => {
    const d = sessionDeps({ check: check(), usable: { ok: true, limit: 3 }, user: user(1) });
    const r = sessionUsable(d, 'KS', 100, meta);
    expect(r).toBeInstanceOf(Promise);
    expect(await r).toMatchObject({ ok: true });
    expect(d.consumed).toBe(1);
    expect(await sessionUsable(sessionDeps({ check: check(), usable: { ok: true, limit: 3 }, consume: false }), 'KS', 100, meta)).toMatchObject({ ok: false, detail: 'EXCEEDED_ACTIONS_LIMIT' });
  });

  it('a user not cached is loaded (a promise); a KS without a user needs no lookup', async () => {
    const d = sessionDeps({ check: check(), user: undefined });
    (d.directory as unknown as { user: () => Promise<User> }).user = async () => user(1);
    const r = sessionUsable(d, 'KS', 100, meta);
    expect(r).toBeInstanceOf(Promise);
    expect(await r).toMatchObject({ ok: true });
    expect(sessionUsable(sessionDeps({ check: check({ userId: '' }) }), 'KS', 100, meta)).toMatchObject({ ok: true, session: { scope: { userId: '' } } });
  });
});

describe('access profile', () => {
  const record = (id: number, partnerId: number): AccessControlProfileRecord => ({ id, partnerId }) as AccessControlProfileRecord;
  const compiled = (id: number, partnerId: number, usesMetadata = false): CompiledAccessProfile => ({ profile: record(id, partnerId), compiled: {} as CompiledAccessProfile['compiled'], usesMetadata, clientOnly: !usesMetadata });
  const entry = (accessControlId: number | null): Entry => ({ id: '0_e', partnerId: 100, accessControlId }) as Entry;

  function deps(cached: Record<number, CompiledAccessProfile | null>, defaultId: number | null) {
    const forgotten: string[] = [];
    let metadataReads = 0;
    const partner = { partner: { id: 100, defaultAccessControlId: defaultId } } as PartnerEntry;
    return {
      forgotten,
      metadataReads: () => metadataReads,
      d: {
        profiles: { peek: (id: number) => cached[id], get: async (id: number) => cached[id] ?? undefined } as unknown as AccessProfiles,
        metadata: { fieldsOf: async () => (metadataReads++, []) } as unknown as MetadataRepo,
        directory: { partner: async () => partner } as unknown as Directory,
        peek: { peekPartner: () => partner, peekRole: () => undefined, peekUser: () => undefined } as DirectoryPeek,
        entries: { get: async () => undefined, forget: (id: string) => void forgotten.push(id) },
      },
    };
  }

  it("the entry's own profile, at once when cached", () => {
    const own = compiled(7, 100);
    const r = accessProfile(deps({ 7: own }, 9).d, entry(7));
    expect(r).not.toBeInstanceOf(Promise);
    expect(r).toMatchObject({ profile: own, metadata: [] });
  });

  it("no profile of its own: the partner default; another partner's or a deleted one: the default too, and the entry is re-read", () => {
    const def = compiled(9, 100);
    expect(accessProfile(deps({ 9: def }, 9).d, entry(null))).toMatchObject({ profile: def });
    const foreign = deps({ 7: compiled(7, 200), 9: def }, 9);
    expect(accessProfile(foreign.d, entry(7))).toMatchObject({ profile: def });
    expect(foreign.forgotten).toEqual(['0_e']);
    const deleted = deps({ 7: null, 9: def }, 9);
    expect(accessProfile(deleted.d, entry(7))).toMatchObject({ profile: def });
    expect(deleted.forgotten).toEqual(['0_e']);
    // No default either: no rules (allow), never another partner's.
    expect(accessProfile(deps({ 7: null }, null).d, entry(7))).toMatchObject({ profile: undefined });
    expect(accessProfile(deps({ 9: compiled(9, 200) }, 9).d, entry(null))).toMatchObject({ profile: undefined });
  });

  it('metadata is read only for a profile whose rules read it (then a promise)', async () => {
    const plain = deps({ 7: compiled(7, 100) }, null);
    accessProfile(plain.d, entry(7));
    expect(plain.metadataReads()).toBe(0);
    const meta = deps({ 7: compiled(7, 100, true) }, null);
    const r = accessProfile(meta.d, entry(7));
    expect(r).toBeInstanceOf(Promise);
    await r;
    expect(meta.metadataReads()).toBe(1);
  });
});
