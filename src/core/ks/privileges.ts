/**
 * The KS privilege string (protocol/kaltura.md §2.5–2.6): `name[:v1[/v2…]]` items joined by `,`.
 * The raw string travels inside the KS; the parsed map is what most checks read. Some Kaltura checks
 * work on the raw string with substring tests, and we keep those quirks because clients rely on them.
 */

/** Privilege name → its values. A bare `name` (no `:`) maps to an empty list. */
export type PrivilegeMap = Map<string, string[]>;

/** Privilege names referenced from code. Keys equal the wire names so call sites read like the KS. */
export const PRIV = {
  /** The whole-session wildcard. */
  wildcard: '*',
  /** v2 KS bodies store `*` as `all=*`. */
  v2Wildcard: 'all',
  edit: 'edit',
  sview: 'sview',
  list: 'list',
  download: 'download',
  downloadasset: 'downloadasset',
  editplaylist: 'editplaylist',
  sviewplaylist: 'sviewplaylist',
  actionslimit: 'actionslimit',
  setrole: 'setrole',
  restrictingrole: 'restrictingrole',
  limitentry: 'limitentry',
  iprestrict: 'iprestrict',
  urirestrict: 'urirestrict',
  enableentitlement: 'enableentitlement',
  disableentitlement: 'disableentitlement',
  disableentitlementforentry: 'disableentitlementforentry',
  disableentitlementforplaylist: 'disableentitlementforplaylist',
  privacycontext: 'privacycontext',
  enablecategorymoderation: 'enablecategorymoderation',
  enablecaptionmoderation: 'enablecaptionmoderation',
  reftime: 'reftime',
  sessionkey: 'sessionkey',
  preview: 'preview',
  sessionid: 'sessionid',
  jobtype: 'jobtype',
  apptoken: 'apptoken',
  enablechangeaccount: 'enablechangeaccount',
  edituser: 'edituser',
  editadmintags: 'editadmintags',
  restrictexplicitliveview: 'restrictexplicitliveview',
  virtualeventid: 'virtualeventid',
  searchcontext: 'searchcontext',
  disablesessiontypecheck: 'disablesessiontypecheck',
  /** Not a server constant: marks widget sessions (`widget:1`). */
  widget: 'widget',
  /** Not a server constant: legacy `view:*` added by startWidgetSession. */
  view: 'view',
} as const;

/**
 * Every privilege the server reserves for itself (the `PRIVILEGE_*` constants of §2.6).
 * appToken.startSession drops these from caller-supplied `sessionPrivileges` (as the real server does), so an integration
 * cannot widen what its token grants (e.g. add `setrole` or drop its `sessionid`).
 */
export const RESERVED_PRIVILEGES: ReadonlySet<string> = new Set<string>([
  PRIV.edit,
  PRIV.sview,
  PRIV.list,
  PRIV.download,
  PRIV.downloadasset,
  PRIV.editplaylist,
  PRIV.sviewplaylist,
  PRIV.actionslimit,
  PRIV.setrole,
  PRIV.restrictingrole,
  PRIV.limitentry,
  PRIV.iprestrict,
  PRIV.urirestrict,
  PRIV.enableentitlement,
  PRIV.disableentitlement,
  PRIV.disableentitlementforentry,
  PRIV.disableentitlementforplaylist,
  PRIV.privacycontext,
  PRIV.enablecategorymoderation,
  PRIV.enablecaptionmoderation,
  PRIV.reftime,
  PRIV.sessionkey,
  PRIV.preview,
  PRIV.sessionid,
  PRIV.jobtype,
  PRIV.apptoken,
  PRIV.enablechangeaccount,
  PRIV.edituser,
  PRIV.editadmintags,
  PRIV.restrictexplicitliveview,
  PRIV.virtualeventid,
  PRIV.searchcontext,
  PRIV.disablesessiontypecheck,
]);

/**
 * Parses a privilege string into a map. Items are split on `,`, trimmed, empties skipped; the name
 * ends at the first `:` (so IPv6 values survive) and the value is split on `/`. A name seen twice
 * keeps its first position and collects the values of both. A bare `*` becomes the key `*`.
 */
export function parsePrivileges(s: string): PrivilegeMap {
  const map: PrivilegeMap = new Map();
  if (s === '') return map;
  for (const rawItem of s.split(',')) {
    const item = rawItem.trim();
    if (item === '') continue;
    const colon = item.indexOf(':');
    const name = colon < 0 ? item : item.slice(0, colon);
    const values = colon < 0 ? [] : item.slice(colon + 1).split('/');
    const existing = map.get(name);
    if (existing) existing.push(...values);
    else map.set(name, values);
  }
  return map;
}

/** Rebuilds a privilege string: `name:v1/v2` (or bare `name` with no values), joined by `,`. */
export function buildPrivileges(m: PrivilegeMap): string {
  const items: string[] = [];
  for (const [name, values] of m) items.push(values.length === 0 ? name : `${name}:${values.join('/')}`);
  return items.join(',');
}

/**
 * Kaltura's `ks::verifyPrivileges(name, value)` without the playlist indirections.
 *
 * Deliberately faithful to the server's loose matching, because existing integrations depend on it:
 * with no value it is a plain substring test of `name` in the raw string; with a value it accepts
 * the whole-session wildcard `*`, the substrings `name:*` or `name:value` anywhere in the raw string
 * (so `sview:0_ab` is granted by `sview:0_abc`), or an exact value in the parsed list.
 */
export function verifyPrivilege(raw: string, parsed: PrivilegeMap, name: string, value?: string): boolean {
  if (value === undefined || value === '') return raw.includes(name);
  if (raw === PRIV.wildcard) return true;
  if (raw.includes(`${name}:*`) || raw.includes(`${name}:${value}`)) return true;
  return parsed.get(name)?.includes(value) ?? false;
}

/**
 * The value of one privilege with its parts re-joined by `/` (URI values such as
 * `urirestrict:/api_v3/*` were split on `/` by the parser). `undefined` when absent, `''` when bare.
 */
export function privilegeValue(parsed: PrivilegeMap, name: string): string | undefined {
  return parsed.get(name)?.join('/');
}
