/**
 * The seed's app-token options as first-class flags, written into a privilege string (protocol
 * §2.5–§2.6): `--role` → `setrole:<id>`, `--widget` → `widget:1`, `--entitlement` →
 * `enableentitlement`, `--uri-restrict` → `urirestrict:<path>`, `--privacy-context` → `privacycontext:<ctx>`.
 */

/** A change to one privilege: a value sets it (replacing any earlier one), `null` removes it. */
export interface PrivilegeEdits {
  setrole?: number | null;
  widget?: boolean;
  entitlement?: boolean;
  urirestrict?: string | null;
  privacycontext?: string | null;
}

interface Item {
  name: string;
  text: string;
}

function parse(privileges: string): Item[] {
  return privileges
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((text) => ({ name: text.split(':', 1)[0]!.toLowerCase(), text }));
}

/** Replaces every item named `name` by `text` (at the first one's place), or removes them when `text` is null. */
function put(items: Item[], name: string, text: string | null): Item[] {
  const at = items.findIndex((i) => i.name === name);
  const rest = items.filter((i) => i.name !== name);
  if (text === null) return rest;
  const item = { name, text };
  if (at < 0) return [...rest, item];
  rest.splice(at, 0, item);
  return rest;
}

/** Applies `edits` to `base` (a comma-separated privilege string) and returns the new string. */
export function editPrivileges(base: string, edits: PrivilegeEdits): string {
  let items = parse(base);
  if (edits.setrole !== undefined) items = put(items, 'setrole', edits.setrole === null ? null : `setrole:${edits.setrole}`);
  if (edits.widget !== undefined) items = put(items, 'widget', edits.widget ? 'widget:1' : null);
  if (edits.entitlement !== undefined) {
    items = put(items, 'enableentitlement', edits.entitlement ? 'enableentitlement' : null);
    // Forcing entitlement on and off at once would leave the server to pick; the flag wins.
    if (edits.entitlement) items = put(items, 'disableentitlement', null);
  }
  if (edits.urirestrict !== undefined) items = put(items, 'urirestrict', edits.urirestrict ? `urirestrict:${edits.urirestrict}` : null);
  if (edits.privacycontext !== undefined) items = put(items, 'privacycontext', edits.privacycontext ? `privacycontext:${edits.privacycontext}` : null);
  return items.map((i) => i.text).join(',');
}

export function hasEdits(edits: PrivilegeEdits): boolean {
  return Object.values(edits).some((v) => v !== undefined);
}
