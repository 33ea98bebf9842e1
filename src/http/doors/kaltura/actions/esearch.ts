/**
 * elasticsearch_esearch.searchUser over the partner's users (issue 20). Gatehouse has no
 * Elasticsearch: an item is answered when it is one of the user filter's own questions (an
 * external id, user id, e-mail, name), items joined with AND; anything else is refused with
 * INVALID_FIELD_VALUE instead of being answered wrongly.
 */
import { E, fail } from '../../../../core/errors/index.js';
import type { UserFilter } from '../../../../services/ports.js';
import { csv, pageOf } from '../classes/common.js';
import type { ActionDef } from '../registry.js';
import { kobj, T, type KObject } from '../wire/types.js';
import type { KalturaServices } from './deps.js';
import { withRoleNames } from './user.js';

/** KalturaESearchItemType and KalturaSearchOperatorType values. */
const EXACT = 1;
const PARTIAL = 2;
const STARTS_WITH = 3;
const AND = 1;

/** (field, item type) → the user filter property answering it. */
const FIELDS: Record<string, Partial<Record<number, keyof UserFilter>>> = {
  external_id: { [EXACT]: 'externalIdEqual' },
  user_id: { [EXACT]: 'idEqual' },
  email: { [PARTIAL]: 'emailLike', [STARTS_WITH]: 'emailStartsWith' },
  screen_name: { [PARTIAL]: 'screenNameLike', [STARTS_WITH]: 'screenNameStartsWith' },
  first_name: { [STARTS_WITH]: 'firstNameStartsWith' },
  last_name: { [STARTS_WITH]: 'lastNameStartsWith' },
};

function filterOf(params: KObject): UserFilter {
  const out: Record<string, unknown> = {};
  const statuses = csv(params.objectStatuses);
  if (statuses) out.statusIn = statuses.map(Number);
  const op = params.searchOperator as KObject | null | undefined;
  const items = (op?.searchItems as KObject[] | undefined) ?? [];
  // One item answers the same under OR as under AND.
  if (!op || (op.operator !== AND && items.length > 1) || !items.length) throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: 'searchOperator' });
  for (const item of items) {
    const key = FIELDS[String(item.fieldName)]?.[Number(item.itemType)];
    if (item.objectType !== 'KalturaESearchUserItem' || !key || typeof item.searchTerm !== 'string' || !item.searchTerm) throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: 'searchItems' });
    out[key] = item.searchTerm;
  }
  return out as UserFilter;
}

export function esearchActions(s: Pick<KalturaServices, 'users' | 'roles'>): ActionDef[] {
  return [
    {
      service: 'elasticsearch_esearch',
      action: 'searchUser',
      params: [
        { name: 'searchParams', type: T.object('KalturaESearchUserParams') },
        { name: 'pager', type: T.object('KalturaPager'), optional: true, default: null },
      ],
      permissions: ['ADMIN_BASE', 'KMC_READ_ONLY', 'ACCOUNT_BASE'],
      handler: async ({ args, principal }) => {
        const r = await s.users.list(principal, filterOf(args.searchParams as KObject), pageOf(args.pager));
        const users = await withRoleNames(s, principal, r.objects);
        return kobj('KalturaESearchUserResponse', { objects: users.map((object) => kobj('KalturaESearchUserResult', { object })), totalCount: r.totalCount });
      },
    },
  ];
}
