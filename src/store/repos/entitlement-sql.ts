/**
 * SQL pieces of category entitlement (protocol kaltura-entitlements.md §10), shared by the category
 * repositories and, for entry lists, by whoever filters entries. Everything here is index-driven:
 *  - a subtree is one range of `full_ids` (`X` itself, or `X>` .. `X?`: '?' follows '>' in ASCII);
 *  - an entry's links are probed through category_entries(entry_id, status, category_id);
 *  - a membership through category_users(partner_id, user_id, status, category_id), matched against
 *    the category's `members_category_id` (inherited members need no recursion).
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { LinkStatus, MembershipStatus, PermissionLevel, Privacy, AppearInList } from '../../services/categories/model.js';
import type { EntitlementScope } from '../../services/ports-categories.js';
import { likeEscape } from '../errors.js';

/** The first string after every string that starts with `prefix` (its last character + 1). */
function upperBound(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** `column` starts with `prefix`, as an index range (both dialects compare these columns bytewise). */
export function startsWith(column: string, prefix: string): RawBuilder<SqlBool> {
  if (prefix === '') return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`(${sql.ref(column)} >= ${prefix} and ${sql.ref(column)} < ${upperBound(prefix)})`;
}

/** `column` is the path `path` or a path below it (whole '>' segments). */
export function inSubtree(column: string, path: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(column)} = ${path} or ${startsWith(column, `${path}>`)})`;
}

/**
 * The category row `alias` carries the scope's context among its effective contexts: no context is
 * the default one, which only categories without any context have; '*' matches every context.
 */
export function carriesContext(alias: string, context: string | null): RawBuilder<SqlBool> {
  const col = sql.ref(`${alias}.privacy_contexts`);
  if (context === null) return sql<SqlBool>`${col} = ''`;
  if (context === '*') return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`(',' || ${col} || ',') like ${`%,${likeEscape(context)},%`} escape '\\'`;
}

/**
 * An active membership of `userId` counts for the category row `alias` (its own members or the
 * inherited ones). A NONE-level member does not count in a members-only category listed to members
 * only (the server's shouldSkipMemberIndex).
 */
export function isMemberOf(alias: string, userId: string): RawBuilder<SqlBool> {
  if (userId === '') return sql<SqlBool>`1 = 0`;
  const c = (col: string) => sql.ref(`${alias}.${col}`);
  return sql<SqlBool>`exists (select 1 from category_users cu where cu.partner_id = ${c('partner_id')} and cu.user_id = ${userId}
    and cu.status = ${MembershipStatus.ACTIVE} and cu.category_id = ${c('members_category_id')}
    and (cu.permission_level <> ${PermissionLevel.NONE} or not (${c('privacy')} = ${Privacy.MEMBERS_ONLY} and ${c('appear_in_list')} = ${AppearInList.CATEGORY_MEMBERS_ONLY})))`;
}

/** The category row `alias` is open to the scope without membership (ALL; AUTHENTICATED_USERS for a known user). */
function isOpen(alias: string, scope: EntitlementScope): RawBuilder<SqlBool> {
  const privacy = sql.ref(`${alias}.privacy`);
  return scope.knownUser ? sql<SqlBool>`${privacy} in (${Privacy.ALL}, ${Privacy.AUTHENTICATED_USERS})` : sql<SqlBool>`${privacy} = ${Privacy.ALL}`;
}

/** The category row `alias` entitles the scope: live, in its context, and open or with the user as member. */
export function entitlesScope(alias: string, scope: EntitlementScope): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${alias}.status`)} < 3 and ${carriesContext(alias, scope.privacyContext)} and (${isOpen(alias, scope)} or ${isMemberOf(alias, scope.userId)}))`;
}

/**
 * The entry-list filter of entitlement, for a WHERE clause over an entries table: the entry is the
 * user's own, or has no ACTIVE category link (open), or has an ACTIVE or PENDING link to a category
 * that entitles the scope (§10 steps 5-7). `entryId` and `entryOwner` are column references of the
 * outer query (e.g. `entries.id`, `entries.user_id`). Per entry it costs one probe of
 * category_entries(entry_id, status, category_id) and, per link, a primary-key read of the category
 * and one probe of category_users: no scan of categories or memberships, whatever their number.
 *
 * Note (§12): for list/count the real server also hides entries without categories from a KS
 * with a privacy context; this fragment follows §10 (what `get` answers). Callers that want the
 * list behaviour add `hasActiveLink` for context-bearing scopes.
 */
export function entryEntitledSql(entryId: Expression<string> | string, entryOwner: Expression<string> | string, scope: EntitlementScope): RawBuilder<SqlBool> {
  const id = typeof entryId === 'string' ? sql.ref(entryId) : entryId;
  const owner = typeof entryOwner === 'string' ? sql.ref(entryOwner) : entryOwner;
  const owns = scope.userId === '' ? sql<SqlBool>`1 = 0` : sql<SqlBool>`${owner} = ${scope.userId}`;
  return sql<SqlBool>`(${owns}
    or not exists (select 1 from category_entries ce0 where ce0.entry_id = ${id} and ce0.status = ${LinkStatus.ACTIVE})
    or exists (select 1 from category_entries ce join categories c on c.id = ce.category_id
      where ce.entry_id = ${id} and ce.status in (${LinkStatus.PENDING}, ${LinkStatus.ACTIVE}) and ${entitlesScope('c', scope)}))`;
}

/** The entry has at least one ACTIVE category link (for the list variant of §12). */
export function hasActiveLink(entryId: Expression<string> | string): RawBuilder<SqlBool> {
  const id = typeof entryId === 'string' ? sql.ref(entryId) : entryId;
  return sql<SqlBool>`exists (select 1 from category_entries ce1 where ce1.entry_id = ${id} and ce1.status = ${LinkStatus.ACTIVE})`;
}
