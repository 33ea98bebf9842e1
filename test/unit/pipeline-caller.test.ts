/**
 * The caller table (src/services/pipeline/caller.ts) and its runner (run.ts) in isolation: the
 * order of the steps, each refusal with its neutral reason (and the values a door words it with),
 * and the permissions each kind of credential ends up with. The doors' wording of these reasons is
 * covered by their own suites (Kaltura conformance, REST, consumer).
 */
import { describe, expect, it } from 'vitest';
import type { ParsedKs, PrivilegeMap } from '../../src/core/ks/index.js';
import { parsePrivileges } from '../../src/core/ks/index.js';
import type { RequestMeta } from '../../src/services/context.js';
import type { ApiKey, Partner, Role, User } from '../../src/services/model.js';
import { PartnerStatus, SessionType, UserStatus } from '../../src/services/model.js';
import type { Directory, PartnerEntry } from '../../src/services/ports.js';
import { CallerPipeline, type CallerCredential, type CallerPipelineDeps } from '../../src/services/pipeline/caller.js';
import { PASS, refuse, type StepOutcome } from '../../src/services/pipeline/reasons.js';
import { runSteps, type Step } from '../../src/services/pipeline/run.js';
import { mayNameOtherPartner } from '../../src/services/pipeline/steps/acting-partner.js';
import { sessionPermissions } from '../../src/services/pipeline/steps/session-permissions.js';
import type { KsCheck, KsUsability } from '../../src/services/sessions/authenticate.js';

const meta: RequestMeta = { clientIp: '10.0.0.1', uri: '/api_v3/service/x/action/y' };
const partner = (id: number, status: number = PartnerStatus.ACTIVE): Partner => ({ id, status }) as Partner;
const user = (o: Partial<User> = {}): User => ({ id: 'ana', partnerId: 100, status: UserStatus.ACTIVE, roleIds: '', isAdmin: false, email: 'ana@uni.test', ...o }) as User;
const role = (id: number, permissionNames: string, partnerId = 100): Role => ({ id, partnerId, status: 1, permissionNames, systemName: `R${id}` }) as Role;
const ks = (o: Partial<ParsedKs> = {}): ParsedKs => ({ partnerId: 100, userId: 'ana', type: SessionType.ADMIN, privileges: '', validUntil: 2e9, hash: 'h', version: 2, rand: 'r', masterPartnerId: null, additionalData: null, ...o }) as ParsedKs;

interface World {
  partners?: Partner[];
  users?: User[];
  roles?: Role[];
  usable?: KsUsability;
  token?: { ok: true; claims: { partnerId: number; sub: string } } | { ok: false; reason: string };
  key?: { ok: true; key: ApiKey } | { ok: false; reason: 'unknown' };
}

function pipeline(w: World): CallerPipeline {
  const partners = new Map((w.partners ?? [partner(100), partner(-2), partner(200)]).map((p) => [p.id, p]));
  const directory = {
    partner: async (id: number) => (partners.has(id) ? ({ partner: partners.get(id) } as PartnerEntry) : undefined),
    user: async (pid: number, id: string) => (w.users ?? []).find((u) => u.partnerId === pid && u.id === id),
    role: async (id: number) => (w.roles ?? []).find((r) => r.id === id),
    changed: async () => undefined,
  } satisfies Directory;
  const d: CallerPipelineDeps = {
    authenticator: {
      usable: () => w.usable ?? { ok: true, limit: undefined },
      consume: async () => true,
      findRole: async (id: string, pid: number) => (w.roles ?? []).find((r) => String(r.id) === id && r.partnerId === pid),
    },
    tokens: { verify: async () => w.token ?? { ok: false, reason: 'no token' } } as unknown as CallerPipelineDeps['tokens'],
    apiKeys: { verify: async () => w.key ?? { ok: false, reason: 'unknown' } } as unknown as CallerPipelineDeps['apiKeys'],
    directory,
  };
  return new CallerPipeline(d);
}

function ksCredential(k: ParsedKs, ownPartner = partner(k.partnerId)): CallerCredential {
  const privileges: PrivilegeMap = parsePrivileges(k.privileges);
  const check: KsCheck = { ks: k, entry: { partner: ownPartner } as PartnerEntry, privileges, raw: 'KS' };
  return { kind: 'ks', check };
}

const run = (p: CallerPipeline, credential: CallerCredential, required: readonly string[] = ['CONTENT_MANAGE_BASE'], requestedPartnerId = 0) => p.run({ credential, requestedPartnerId, meta, required });

describe('the runner', () => {
  const step = (name: string, out: StepOutcome | Promise<StepOutcome>, seen: string[]): Step<unknown> => ({ name, run: () => (seen.push(name), out) });

  it('runs in order, stops at the first refusal, and stays synchronous while every step is', async () => {
    const seen: string[] = [];
    expect(runSteps([step('a', PASS, seen), step('b', refuse('user_blocked'), seen), step('c', PASS, seen)], {})).toEqual({ ok: false, reason: 'user_blocked' });
    expect(seen).toEqual(['a', 'b']);
    const all: string[] = [];
    expect(runSteps([step('a', PASS, all), step('b', PASS, all)], {})).toBe(PASS);
    const later: string[] = [];
    const out = runSteps([step('a', Promise.resolve(PASS), later), step('b', PASS, later), step('c', refuse('permission_missing'), later), step('d', PASS, later)], {});
    expect(out).toBeInstanceOf(Promise);
    expect(await out).toEqual({ ok: false, reason: 'permission_missing' });
    expect(later).toEqual(['a', 'b', 'c']);
  });
});

describe('the caller table', () => {
  it('names its steps in the server order', () => {
    expect(pipeline({}).steps.map((s) => s.name)).toEqual(['credential valid', 'partner usable', 'acting partner', 'user usable', 'permissions', 'permission held']);
  });

  it('a KS: unusable is invalid_session with Kaltura\u2019s reason, before its partner or user is looked at', async () => {
    const p = pipeline({ usable: { ok: false, detail: 'EXPIRED' }, partners: [partner(100, PartnerStatus.FULL_BLOCK)] });
    expect(await run(p, ksCredential(ks(), partner(100, PartnerStatus.FULL_BLOCK)))).toMatchObject({ ok: false, reason: 'invalid_session', detail: 'EXPIRED' });
  });

  it('a KS of a blocked partner, or naming a blocked user, is refused in that order', async () => {
    expect(await run(pipeline({}), ksCredential(ks(), partner(100, PartnerStatus.CONTENT_BLOCK)))).toMatchObject({ reason: 'partner_blocked' });
    const blocked = pipeline({ users: [user({ status: UserStatus.BLOCKED })] });
    expect(await run(blocked, ksCredential(ks()))).toMatchObject({ reason: 'user_blocked' });
    // A KS may name a user Gatehouse has no record of (an integration's id): that passes.
    expect(await run(pipeline({}), ksCredential(ks({ userId: 'someone-else' })))).toMatchObject({ ok: true });
  });

  it('naming another partner: only an admin-console ADMIN KS, and only a usable partner', async () => {
    const p = pipeline({ partners: [partner(100), partner(-2), partner(300, PartnerStatus.FULL_BLOCK)] });
    expect(await run(p, ksCredential(ks()), ['CONTENT_MANAGE_BASE'], 300)).toEqual({ ok: false, reason: 'partner_mismatch', args: { ACCESSING_PID: 100, ACCESSED_PID: 300 } });
    expect(await run(p, ksCredential(ks({ partnerId: -2, userId: '' })), ['CONTENT_MANAGE_BASE'], 300)).toMatchObject({ reason: 'partner_blocked' });
    const ok = await run(p, ksCredential(ks({ partnerId: -2, userId: '' })), ['CONTENT_MANAGE_BASE'], 100);
    expect(ok).toMatchObject({ ok: true, caller: { principal: { partnerId: 100 } } });
    expect(mayNameOtherPartner({ own: { id: -2 }, sessionType: SessionType.USER, requestedPartnerId: 100 })).toMatchObject({ reason: 'partner_mismatch' });
    expect(mayNameOtherPartner({ own: { id: 100 }, sessionType: SessionType.ADMIN, requestedPartnerId: 100 }).ok).toBe(true);
  });

  it('setrole: a negative id and an unknown role are invalid_role; a known one replaces the user\u2019s roles', async () => {
    const roles = [role(7, 'CONTENT_MANAGE_BASE'), role(8, 'PLAYLIST_BASE')];
    const p = pipeline({ roles, users: [user({ roleIds: '8' })] });
    expect(await run(p, ksCredential(ks({ privileges: 'setrole:-3' })))).toMatchObject({ reason: 'invalid_role', detail: 'negative' });
    expect(await run(p, ksCredential(ks({ privileges: 'setrole:99' })))).toEqual({ ok: false, reason: 'invalid_role', detail: 'unknown', args: { ID: '99' } });
    expect(await run(p, ksCredential(ks({ privileges: 'setrole:7' })))).toMatchObject({ ok: true });
    // Without setrole the user's own role (8) lacks the permission.
    expect(await run(p, ksCredential(ks()))).toEqual({ ok: false, reason: 'permission_missing' });
  });

  it('the basic user role for a USER session naming an admin user, or minted from an app token', async () => {
    const d = { role: async () => undefined, findRole: async () => undefined };
    const admin = user({ isAdmin: true });
    const userKs = ks({ type: SessionType.USER });
    const viaUser = await sessionPermissions(d, userKs, new Map(), admin);
    expect(viaUser.ok && viaUser.permissions !== '*').toBe(true);
    const adminKs = await sessionPermissions(d, ks(), new Map(), admin);
    expect(adminKs).toEqual({ ok: true, permissions: '*' });
    const token = await sessionPermissions(d, userKs, parsePrivileges('apptoken:abc'), undefined);
    expect(token.ok && token.permissions !== '*').toBe(true);
  });

  it('no credential: the named partner must be usable; the anonymous role holds ALWAYS_ALLOWED_ACTIONS only', async () => {
    const p = pipeline({ partners: [partner(100), partner(300, PartnerStatus.FULL_BLOCK)] });
    expect(await run(p, { kind: 'none' }, ['ALWAYS_ALLOWED_ACTIONS'], 300)).toMatchObject({ reason: 'partner_blocked' });
    expect(await run(p, { kind: 'none' }, ['ALWAYS_ALLOWED_ACTIONS'], 0)).toMatchObject({ ok: true, caller: { principal: { partnerId: 0, sessionType: -1 } } });
    expect(await run(p, { kind: 'none' }, ['CONTENT_MANAGE_BASE'], 100)).toEqual({ ok: false, reason: 'permission_missing' });
    // Fail closed: a call that names no permission at all is refused.
    expect(await run(p, { kind: 'none' }, [], 100)).toEqual({ ok: false, reason: 'permission_missing' });
  });

  it('an access token: invalid with its reason; its user must still exist and be active; permissions from the user\u2019s role', async () => {
    expect(await run(pipeline({ token: { ok: false, reason: 'expired' } }), { kind: 'accessToken', token: 't' })).toEqual({ ok: false, reason: 'invalid_credential', detail: 'expired' });
    const claims = { partnerId: 100, sub: 'ana' };
    expect(await run(pipeline({ token: { ok: true, claims } }), { kind: 'accessToken', token: 't' })).toMatchObject({ reason: 'user_blocked' });
    expect(await run(pipeline({ token: { ok: true, claims }, users: [user({ status: UserStatus.DELETED })] }), { kind: 'accessToken', token: 't' })).toMatchObject({ reason: 'user_blocked' });
    const withRole = pipeline({ token: { ok: true, claims }, users: [user({ roleIds: '7' })], roles: [role(7, 'CONTENT_MANAGE_BASE')] });
    const ok = await run(withRole, { kind: 'accessToken', token: 't' });
    expect(ok).toMatchObject({ ok: true, caller: { via: 'accessToken', principal: { partnerId: 100, userId: 'ana', sessionType: SessionType.ADMIN } } });
    expect(await run(withRole, { kind: 'accessToken', token: 't' }, ['USER_ADD'])).toEqual({ ok: false, reason: 'permission_missing' });
  });

  it('an API key: its own permissions, its partner usable', async () => {
    const key = { id: 'k1', partnerId: 100, permissions: ['CONTENT_MANAGE_BASE'] } as unknown as ApiKey;
    expect(await run(pipeline({}), { kind: 'apiKey', key: 'x' })).toEqual({ ok: false, reason: 'invalid_credential', detail: 'unknown' });
    const ok = await run(pipeline({ key: { ok: true, key } }), { kind: 'apiKey', key: 'x' });
    expect(ok).toMatchObject({ ok: true, caller: { via: 'apiKey', apiKey: key, principal: { userId: 'apikey:k1' } } });
    expect(await run(pipeline({ key: { ok: true, key } }), { kind: 'apiKey', key: 'x' }, ['USER_ADD'])).toEqual({ ok: false, reason: 'permission_missing' });
    expect(await run(pipeline({ key: { ok: true, key }, partners: [partner(100, PartnerStatus.DELETED)] }), { kind: 'apiKey', key: 'x' })).toMatchObject({ reason: 'partner_blocked' });
  });
});
