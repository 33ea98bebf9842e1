/**
 * The category enums on the REST wire: Kaltura's numeric values (services/categories/model.ts)
 * as camelCase names of their Kaltura constants, like the other routes' `status: 'active'`, so a
 * REST client never has to know that MEMBERS_ONLY is 3 or that MANAGER is 0.
 */
import { Type, type TEnum } from 'typebox';
import { AppearInList, ContributionPolicy, InheritanceType, LinkStatus, MembershipStatus, PermissionLevel, Privacy, UserJoinPolicy } from '../../../../services/categories/model.js';

export interface WireEnum<K extends string> {
  schema: TEnum<K[]>;
  toWire(n: number): K;
  fromWire(k: K): number;
}

/** One enum: its schema (documented with the accepted names) and both directions. */
function wireEnum<K extends string>(values: Record<K, number>, description: string): WireEnum<K> {
  const names = Object.keys(values) as K[];
  const byNumber = new Map(names.map((k) => [values[k], k]));
  return {
    schema: Type.Enum(names, { description }),
    // A stored value outside the enum is a fault of the store, not a client error.
    toWire: (n) => {
      const k = byNumber.get(n);
      if (k === undefined) throw new Error(`unknown enum value ${n} (${description})`);
      return k;
    },
    fromWire: (k) => values[k],
  };
}

export const PrivacyWire = wireEnum({ all: Privacy.ALL, authenticatedUsers: Privacy.AUTHENTICATED_USERS, membersOnly: Privacy.MEMBERS_ONLY }, 'Who may see the entries of the category when entitlement is enforced.');
export const AppearInListWire = wireEnum({ partnerOnly: AppearInList.PARTNER_ONLY, categoryMembersOnly: AppearInList.CATEGORY_MEMBERS_ONLY }, 'Who sees the category itself in lists when entitlement is enforced.');
export const InheritanceWire = wireEnum({ inherit: InheritanceType.INHERIT, manual: InheritanceType.MANUAL }, "inherit: the members are the nearest manual ancestor's; manual: managed on this category.");
export const JoinPolicyWire = wireEnum({ autoJoin: UserJoinPolicy.AUTO_JOIN, requestToJoin: UserJoinPolicy.REQUEST_TO_JOIN, notAllowed: UserJoinPolicy.NOT_ALLOWED }, 'Whether users may add themselves.');
export const ContributionWire = wireEnum({ all: ContributionPolicy.ALL, membersWithContributionPermission: ContributionPolicy.MEMBERS_WITH_CONTRIBUTION_PERMISSION }, 'Who may add entries when entitlement is enforced.');
export const LevelWire = wireEnum({ manager: PermissionLevel.MANAGER, moderator: PermissionLevel.MODERATOR, contributor: PermissionLevel.CONTRIBUTOR, member: PermissionLevel.MEMBER, none: PermissionLevel.NONE }, "A member's permission level.");
export const MemberStatusWire = wireEnum({ active: MembershipStatus.ACTIVE, pending: MembershipStatus.PENDING, notActive: MembershipStatus.NOT_ACTIVE, deleted: MembershipStatus.DELETED }, "A membership's status.");
export const LinkStatusWire = wireEnum({ pending: LinkStatus.PENDING, active: LinkStatus.ACTIVE, deleted: LinkStatus.DELETED, rejected: LinkStatus.REJECTED }, "An entry's link to a category: pending awaits a moderator.");
