/**
 * `gatehouse category list|create|add-member|add-entry` over category.*, categoryUser.add and
 * categoryEntry.add: Kaltura's "How to Add Entitlements to Categories" (a category with a privacy
 * context, its members, its entries) as three commands. A category is named by id or by full name
 * (`"Courses>Course 101"`).
 */
import type { Command } from 'commander';
import { adminClient } from '../client/connect.js';
import { listAll, type KalturaClient, type Param } from '../client/http.js';
import { UsageError } from '../errors.js';
import { formatRecord, formatTable } from '../output.js';
import { clientCommand, makeCtx, type CliDeps, type CommonOptions, type Ctx } from './common.js';

/** KalturaCategory as the server returns it (null fields are omitted on the wire). */
interface KalturaCategory {
  id: number;
  parentId: number;
  name: string;
  fullName: string;
  fullIds: string;
  depth: number;
  privacy: number;
  privacyContext?: string;
  privacyContexts?: string;
  appearInList: number;
  inheritanceType: number;
  owner?: string;
  membersCount: number;
  entriesCount: number;
  directEntriesCount: number;
  createdAt: number;
  updatedAt: number;
}

interface KalturaCategoryUser {
  categoryId: number;
  userId: string;
  permissionLevel: number;
  status: number;
  createdAt: number;
}

interface KalturaCategoryEntry {
  categoryId: number;
  entryId: string;
  status: number;
  createdAt: number;
}

/** The flags' words for Kaltura's enum values (KalturaPrivacyType, KalturaCategoryUserPermissionLevel, …). */
const PRIVACY = { all: 1, authenticated: 2, members: 3 } as const;
const INHERITANCE = { inherit: 1, manual: 2 } as const;
const APPEAR_IN_LIST = { partner: 1, members: 3 } as const;
const LEVEL = { manager: 0, moderator: 1, contributor: 2, member: 3, none: 4 } as const;
const PRIVACY_NAME: Record<number, string> = { 1: 'ALL', 2: 'AUTHENTICATED_USERS', 3: 'MEMBERS_ONLY' };
const LEVEL_NAME: Record<number, string> = { 0: 'MANAGER', 1: 'MODERATOR', 2: 'CONTRIBUTOR', 3: 'MEMBER', 4: 'NONE' };
const MEMBER_STATUS: Record<number, string> = { 1: 'ACTIVE', 2: 'PENDING', 3: 'NOT_ACTIVE', 4: 'DELETED' };
const LINK_STATUS: Record<number, string> = { 1: 'PENDING', 2: 'ACTIVE', 3: 'DELETED', 4: 'REJECTED' };

/** One of a flag's words (case-insensitive) to its Kaltura value, or a usage error listing them. */
function choice<M extends Record<string, number>>(text: string, flag: string, words: M): number {
  const v = words[text.trim().toLowerCase()];
  if (v === undefined) throw new UsageError(`${flag} must be one of ${Object.keys(words).join(', ')} (got "${text}")`);
  return v;
}

/** The category as `--json` prints it: always these keys, Kaltura's values, `null` where unset. */
export function categoryJson(c: KalturaCategory): Record<string, unknown> {
  return {
    id: Number(c.id),
    parentId: Number(c.parentId) || null,
    name: c.name,
    fullName: c.fullName,
    fullIds: c.fullIds,
    depth: c.depth,
    privacy: c.privacy,
    privacyContext: c.privacyContext ?? null,
    privacyContexts: c.privacyContexts ?? null,
    appearInList: c.appearInList,
    inheritanceType: c.inheritanceType,
    owner: c.owner ?? null,
    membersCount: c.membersCount,
    entriesCount: c.entriesCount,
    directEntriesCount: c.directEntriesCount,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

function categoryRecord(c: KalturaCategory): string {
  return formatRecord([
    ['id', c.id],
    ['full name', c.fullName],
    ['privacy', PRIVACY_NAME[c.privacy] ?? c.privacy],
    ['privacy contexts', c.privacyContexts],
    ['members', c.inheritanceType === INHERITANCE.inherit ? `${c.membersCount} (inherited)` : c.membersCount],
    ['list to', c.appearInList === APPEAR_IN_LIST.members ? 'members only' : 'partner'],
    ['owner', c.owner],
  ]);
}

/**
 * A category's id: a number is taken as an id as is (the server checks it); otherwise the category
 * whose full name equals the text (case-insensitive, as the server stores names).
 */
export async function resolveCategoryId(client: KalturaClient, idOrFullName: string): Promise<number> {
  const text = idOrFullName.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const found = await client.call<{ objects?: KalturaCategory[] }>('category', 'list', { filter: { objectType: 'KalturaCategoryFilter', fullNameEqual: text } });
  const c = found.objects?.[0];
  if (!c) throw new UsageError(`no category named "${text}" (see: gatehouse category list)`, 'CATEGORY_NOT_FOUND');
  return Number(c.id);
}

/**
 * Categories are managed like in the KMC, whose sessions carry `disableentitlement`: a partner
 * whose default enforces entitlement would otherwise hide members-only categories from the CLI.
 */
const manage = (ctx: Ctx) => adminClient(ctx.conn, ctx.secrets, { privileges: 'disableentitlement' });

interface ListOptions extends CommonOptions {
  parent?: string;
  search?: string;
}

async function list(ctx: Ctx, o: ListOptions): Promise<void> {
  const client = await manage(ctx);
  const filter: Record<string, Param> = { objectType: 'KalturaCategoryFilter', orderBy: '+fullName' };
  if (o.parent !== undefined) filter.parentIdEqual = o.parent.trim() === '0' ? 0 : await resolveCategoryId(client, o.parent);
  if (o.search !== undefined) filter.freeText = o.search;
  const cats = await listAll<KalturaCategory>(client, 'category', filter);
  ctx.print.result(cats.map(categoryJson), () =>
    formatTable(cats, [
      { header: 'id', value: (c) => c.id },
      { header: 'full name', value: (c) => c.fullName },
      { header: 'privacy', value: (c) => PRIVACY_NAME[c.privacy] ?? c.privacy },
      { header: 'contexts', value: (c) => c.privacyContexts },
      { header: 'members', value: (c) => c.membersCount },
      { header: 'entries', value: (c) => c.entriesCount },
    ]),
  );
  if (cats.length === 0) ctx.print.note('no categories');
}

interface CreateOptions extends CommonOptions {
  parent?: string;
  privacy?: string;
  privacyContext?: string;
  inheritance?: string;
  owner?: string;
  appearInList?: string;
}

async function create(ctx: Ctx, name: string, o: CreateOptions): Promise<void> {
  // Flags are checked before anything is sent.
  const fields: Record<string, Param> = { name };
  if (o.privacy !== undefined) fields.privacy = choice(o.privacy, '--privacy', PRIVACY);
  if (o.inheritance !== undefined) fields.inheritanceType = choice(o.inheritance, '--inheritance', INHERITANCE);
  if (o.appearInList !== undefined) fields.appearInList = choice(o.appearInList, '--appear-in-list', APPEAR_IN_LIST);
  if (o.privacyContext !== undefined) fields.privacyContext = o.privacyContext;
  if (o.owner !== undefined) fields.owner = o.owner;
  const client = await manage(ctx);
  if (o.parent !== undefined) fields.parentId = await resolveCategoryId(client, o.parent);
  const c = await client.call<KalturaCategory>('category', 'add', { category: { objectType: 'KalturaCategory', ...fields } });
  ctx.print.result(categoryJson(c), () => categoryRecord(c));
}

async function addMember(ctx: Ctx, category: string, userId: string, o: CommonOptions & { level?: string }): Promise<void> {
  const level = o.level === undefined ? undefined : choice(o.level, '--level', LEVEL);
  const client = await manage(ctx);
  const categoryId = await resolveCategoryId(client, category);
  const m = await client.call<KalturaCategoryUser>('categoryUser', 'add', { categoryUser: { objectType: 'KalturaCategoryUser', categoryId, userId, permissionLevel: level } });
  const json = { categoryId: Number(m.categoryId), userId: m.userId, permissionLevel: m.permissionLevel, status: m.status, createdAt: m.createdAt };
  ctx.print.result(json, () => `${m.userId} is ${LEVEL_NAME[m.permissionLevel] ?? m.permissionLevel} of category ${m.categoryId} (${MEMBER_STATUS[m.status] ?? m.status})\n`);
}

async function addEntry(ctx: Ctx, category: string, entryId: string): Promise<void> {
  const client = await manage(ctx);
  const categoryId = await resolveCategoryId(client, category);
  const l = await client.call<KalturaCategoryEntry>('categoryEntry', 'add', { categoryEntry: { objectType: 'KalturaCategoryEntry', categoryId, entryId } });
  const json = { categoryId: Number(l.categoryId), entryId: l.entryId, status: l.status, createdAt: l.createdAt };
  ctx.print.result(json, () => `entry ${l.entryId} is in category ${l.categoryId} (${LINK_STATUS[l.status] ?? l.status})\n`);
}

export function registerCategoryCommands(program: Command, deps: CliDeps): void {
  const cat = program.command('category').description('categories, their members and entries: who may see what under entitlement');

  clientCommand(cat, 'list', "list the partner's categories in tree order (all pages)")
    .option('--parent <id|fullName>', 'only the direct children of this category (0: the roots)')
    .option('--search <text>', 'words in the name, description, tags or reference id')
    .action((o: ListOptions) => list(makeCtx(deps, o), o));

  clientCommand(cat, 'create', 'create a category')
    .argument('<name>', 'its name (unique among its siblings)')
    .option('--parent <id|fullName>', 'the parent category (default: a root category)')
    .option('--privacy <who>', 'who sees its entries under entitlement: all, authenticated or members (needs a privacy context)')
    .option('--privacy-context <ctx>', 'privacy context(s), comma-separated, e.g. MEDIASPACE; sessions with privacycontext:<ctx> are restricted by it')
    .option('--inheritance <type>', "members: inherit (the parent's) or manual (managed here)")
    .option('--owner <userId>', "the category's owner, who becomes its manager")
    .option('--appear-in-list <who>', 'who sees the category in lists under entitlement: partner or members')
    .action((name: string, o: CreateOptions) => create(makeCtx(deps, o), name, o));

  clientCommand(cat, 'add-member', 'add a user to a category (categoryUser.add)')
    .argument('<category>', 'category id or full name, e.g. "Courses>Course 101"')
    .argument('<userId>', 'the user (created when the partner has none of that id)')
    .option('--level <level>', "manager, moderator, contributor, member or none (default: the category's default level)")
    .action((category: string, userId: string, o: CommonOptions & { level?: string }) => addMember(makeCtx(deps, o), category, userId, o));

  clientCommand(cat, 'add-entry', 'put an entry into a category (categoryEntry.add)')
    .argument('<category>', 'category id or full name')
    .argument('<entryId>', 'entry id, e.g. 0_ab12cd34')
    .action((category: string, entryId: string, o: CommonOptions) => addEntry(makeCtx(deps, o), category, entryId));
}
