/**
 * `gatehouse app-token create|list|get|update|revoke` over appToken.* (protocol §3), and
 * `app-token session` (see app-token-session.ts). Token values are printed by `create` only.
 */
import type { Command } from 'commander';
import { adminClient } from '../client/connect.js';
import { listAll, type KalturaClient, type Param } from '../client/http.js';
import { UsageError } from '../errors.js';
import { formatRecord, formatTable } from '../output.js';
import { editPrivileges, hasEdits, type PrivilegeEdits } from '../privileges.js';
import { describeDuration, isoUtc, parseDuration, parseExpiry, relativeExpiry } from '../time.js';
import { registerAppTokenSession } from './app-token-session.js';
import { clientCommand, makeCtx, parseSessionType, sessionTypeName, type CliDeps, type CommonOptions, type Ctx } from './common.js';
import { resolveRoleId } from './role.js';

/** KalturaAppToken as the server returns it (null fields are omitted on the wire). */
interface KalturaAppToken {
  id: string;
  token?: string;
  partnerId: number;
  createdAt: number;
  updatedAt: number;
  status: number;
  expiry?: number;
  sessionType?: number;
  sessionUserId?: string;
  sessionDuration?: number;
  sessionPrivileges?: string;
  hashType?: string;
  description?: string;
}

const STATUS = { 1: 'DISABLED', 2: 'ACTIVE', 3: 'DELETED' } as Record<number, string>;
const HASH_TYPES = ['MD5', 'SHA1', 'SHA256', 'SHA512'] as const;

/** The token as `--json` prints it: always these keys, `null` where unset; `token` only after create. */
export function tokenJson(t: KalturaAppToken, withValue: boolean): Record<string, unknown> {
  return {
    id: t.id,
    ...(withValue ? { token: t.token ?? null } : {}),
    partnerId: Number(t.partnerId),
    status: t.status,
    hashType: t.hashType ?? null,
    sessionType: t.sessionType ?? null,
    sessionUserId: t.sessionUserId ?? null,
    sessionDuration: t.sessionDuration ?? null,
    sessionPrivileges: t.sessionPrivileges ?? null,
    expiry: t.expiry ?? null,
    description: t.description ?? null,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

function tokenRecord(t: KalturaAppToken, now: number, withValue: boolean): string {
  return formatRecord([
    ['id', t.id],
    ...(withValue ? ([['token', t.token]] as const) : []),
    ['status', STATUS[t.status] ?? t.status],
    ['hash type', t.hashType],
    ['session type', sessionTypeName(t.sessionType) || 'caller chooses (USER by default)'],
    ['session user', t.sessionUserId || 'caller chooses'],
    ['session duration', t.sessionDuration ? `${t.sessionDuration}s (${describeDuration(t.sessionDuration)})` : undefined],
    ['session privileges', t.sessionPrivileges],
    ['expiry', t.expiry ? `${isoUtc(t.expiry)} (${relativeExpiry(t.expiry, now)})` : 'never'],
    ['description', t.description],
    ['created', isoUtc(t.createdAt)],
    ['updated', isoUtc(t.updatedAt)],
  ]);
}

interface TokenOptions extends CommonOptions {
  hashType?: string;
  sessionType?: string;
  sessionUser?: string;
  duration?: string;
  privileges?: string;
  role?: string;
  widget?: boolean;
  entitlement?: boolean;
  uriRestrict?: string;
  privacyContext?: string;
  expiry?: string;
  description?: string;
}

function parseHashType(text: string): string {
  const h = text.trim().toUpperCase();
  if (!(HASH_TYPES as readonly string[]).includes(h)) throw new UsageError(`--hash-type must be one of ${HASH_TYPES.join(', ')} (got "${text}")`);
  return h;
}

/** The seed's options turned into privilege edits; `--role` is looked up on the server. */
async function privilegeEdits(o: TokenOptions, client: KalturaClient): Promise<PrivilegeEdits> {
  const edits: PrivilegeEdits = {};
  if (o.role !== undefined) edits.setrole = o.role.trim() === '' ? null : await resolveRoleId(client, o.role);
  if (o.widget !== undefined) edits.widget = o.widget;
  if (o.entitlement !== undefined) edits.entitlement = o.entitlement;
  if (o.uriRestrict !== undefined) edits.urirestrict = o.uriRestrict || null;
  if (o.privacyContext !== undefined) edits.privacycontext = o.privacyContext || null;
  return edits;
}

/**
 * The KalturaAppToken fields set by the flags shared by create and update. A relative `--expiry`
 * is converted to an absolute unix time here, so the token's end does not depend on the server's
 * notion of "relative" (protocol §1.5).
 */
function tokenFields(o: TokenOptions, now: number, forUpdate: boolean): Record<string, Param> {
  const f: Record<string, Param> = {};
  if (o.sessionType !== undefined) f.sessionType = parseSessionType(o.sessionType, '--session-type');
  if (o.sessionUser !== undefined) f.sessionUserId = o.sessionUser;
  if (o.duration !== undefined) f.sessionDuration = parseDuration(o.duration, '--duration');
  if (o.expiry !== undefined) {
    // `never` clears the expiry on update. 0 rather than Kaltura's -1 ("remove this date"):
    // both servers read an expiry of 0 as "none", while Gatehouse stores -1 as a date in the past.
    if (forUpdate && o.expiry.trim().toLowerCase() === 'never') f.expiry = 0;
    else f.expiry = parseExpiry(o.expiry, now);
  }
  if (o.description !== undefined) f.description = o.description;
  return f;
}

/** The options create and update share, in one place so their names cannot drift apart. */
function tokenOptions(cmd: Command, forUpdate: boolean): Command {
  const clear = forUpdate ? ' ("" removes it)' : '';
  cmd
    .option('--session-type <type>', 'type of every session started from the token: user or admin (unset: the caller chooses, USER by default)')
    .option('--session-user <id>', `user of every session started from the token${clear}`)
    .option('--duration <time>', 'longest session the token starts: seconds or 45m, 12h, 1d (default: the partner maximum, 1d)')
    .option('--privileges <list>', forUpdate ? 'replace the privilege string (the flags below then edit it)' : 'privileges added to every session, e.g. "iprestrict:10.0.0.1"')
    .option('--role <name|id>', `role of every session (setrole:<id>); a name is looked up with userRole.list${clear}`)
    .option('--widget', 'mark sessions as player (widget) sessions (widget:1)')
    .option('--entitlement', 'force entitlement checks (enableentitlement)')
    .option('--uri-restrict <path>', `only this API path, * as a trailing wildcard, e.g. /api_v3/service/media/* (urirestrict)${clear}`)
    .option('--privacy-context <ctx>', `entitlement privacy context (privacycontext)${clear}`)
    .option('--expiry <time>', `end of the token: unix time, ISO-8601 date, or relative like 30d, 12h, 45m${forUpdate ? ' ("never" removes it)' : ''}`)
    .option('--description <text>', 'free text, e.g. who uses the token');
  if (forUpdate) cmd.option('--no-widget', 'remove widget:1').option('--no-entitlement', 'remove enableentitlement');
  return cmd;
}

async function create(ctx: Ctx, o: TokenOptions): Promise<void> {
  const hashType = parseHashType(o.hashType ?? 'SHA256');
  const fields = tokenFields(o, ctx.now, false);
  const client = await adminClient(ctx.conn, ctx.secrets);
  const privileges = editPrivileges(o.privileges ?? '', await privilegeEdits(o, client));
  const t = await client.call<KalturaAppToken>('appToken', 'add', {
    appToken: { objectType: 'KalturaAppToken', hashType, ...fields, ...(privileges ? { sessionPrivileges: privileges } : {}) },
  });
  ctx.secrets.add(t.token);
  ctx.print.warn(`the token value is shown only this once; store it now (it is the credential of ${t.id})`);
  ctx.print.result(tokenJson(t, true), () => tokenRecord(t, ctx.now, true));
}

async function list(ctx: Ctx, o: CommonOptions & { status?: string; user?: string }): Promise<void> {
  const filter: Record<string, Param> = { objectType: 'KalturaAppTokenFilter', orderBy: '+createdAt' };
  if (o.status !== undefined) {
    const s = o.status.trim().toUpperCase();
    const code = s === 'ACTIVE' || s === '2' ? 2 : s === 'DISABLED' || s === '1' ? 1 : undefined;
    if (code === undefined) throw new UsageError(`--status must be active or disabled (got "${o.status}")`);
    filter.statusEqual = code;
  }
  if (o.user !== undefined) filter.sessionUserIdEqual = o.user;
  const client = await adminClient(ctx.conn, ctx.secrets);
  const tokens = await listAll<KalturaAppToken>(client, 'appToken', filter);
  ctx.print.result(
    tokens.map((t) => tokenJson(t, false)),
    () =>
      formatTable(tokens, [
        { header: 'id', value: (t) => t.id },
        { header: 'status', value: (t) => STATUS[t.status] ?? t.status },
        { header: 'hash', value: (t) => t.hashType },
        { header: 'type', value: (t) => sessionTypeName(t.sessionType) },
        { header: 'user', value: (t) => t.sessionUserId },
        { header: 'expiry', value: (t) => (t.expiry ? isoUtc(t.expiry) : 'never') },
        { header: 'description', value: (t) => t.description },
        { header: 'privileges', value: (t) => t.sessionPrivileges },
      ]),
  );
  if (tokens.length === 0) ctx.print.note('no app tokens');
}

async function get(ctx: Ctx, id: string): Promise<void> {
  const client = await adminClient(ctx.conn, ctx.secrets);
  const t = await client.call<KalturaAppToken>('appToken', 'get', { id });
  ctx.secrets.add(t.token);
  ctx.print.result(tokenJson(t, false), () => tokenRecord(t, ctx.now, false));
}

async function update(ctx: Ctx, id: string, o: TokenOptions): Promise<void> {
  const fields = tokenFields(o, ctx.now, true);
  const client = await adminClient(ctx.conn, ctx.secrets);
  const edits = await privilegeEdits(o, client);
  if (o.privileges !== undefined || hasEdits(edits)) {
    // Single flags edit the token's current privileges rather than replacing them all.
    const current = o.privileges ?? (await client.call<KalturaAppToken>('appToken', 'get', { id })).sessionPrivileges ?? '';
    fields.sessionPrivileges = editPrivileges(current, edits);
  }
  if (Object.keys(fields).length === 0) throw new UsageError('nothing to update: pass at least one option (see gatehouse app-token update --help)');
  const t = await client.call<KalturaAppToken>('appToken', 'update', { id, appToken: { objectType: 'KalturaAppToken', ...fields } });
  ctx.secrets.add(t.token);
  ctx.print.result(tokenJson(t, false), () => tokenRecord(t, ctx.now, false));
}

async function revoke(ctx: Ctx, id: string): Promise<void> {
  const client = await adminClient(ctx.conn, ctx.secrets);
  await client.call<null>('appToken', 'delete', { id });
  ctx.print.result({ id, revoked: true }, () => `revoked ${id}: the token is deleted and every session started from it has ended\n`);
}

export function registerAppTokenCommands(program: Command, deps: CliDeps): void {
  const at = program.command('app-token').description('create, inspect, revoke and use application tokens (appToken service)');

  tokenOptions(clientCommand(at, 'create', 'create an app token; prints its value once'), false)
    .option(
      '--hash-type <type>',
      'hash integrations compute over KS + token, fixed for the life of the token: SHA256 (default) or SHA512; SHA1 (the Kaltura server default) and MD5 are legacy, weak hashes kept for old integrations',
    )
    .action((o: TokenOptions) => create(makeCtx(deps, o), o));

  clientCommand(at, 'list', 'list the partner\'s app tokens (all pages)')
    .option('--status <status>', 'only active or disabled tokens')
    .option('--user <id>', 'only tokens whose session user is <id>')
    .action((o: CommonOptions & { status?: string; user?: string }) => list(makeCtx(deps, o), o));

  clientCommand(at, 'get', 'show one app token (without its value)')
    .argument('<id>', 'token id, e.g. 0_ab12cd34')
    .action((id: string, o: CommonOptions) => get(makeCtx(deps, o), id));

  tokenOptions(clientCommand(at, 'update', 'change an app token (the hash type is fixed)'), true)
    .argument('<id>', 'token id')
    .action((id: string, o: TokenOptions) => update(makeCtx(deps, o), id, o));

  clientCommand(at, 'revoke', 'delete an app token; every session started from it ends at once (appToken.delete)')
    .argument('<id>', 'token id')
    .action((id: string, o: CommonOptions) => revoke(makeCtx(deps, o), id));

  registerAppTokenSession(at, deps);
}
