/**
 * What the category pages share: the enums in words, who may do what (the REST routes' permissions,
 * so the console offers only what the server will do), the fields of a category and the parent
 * picker.
 */
import type { Category, CategoryInheritance, CategoryPrivacy, Me, PermissionLevel } from '../../api/types';
import { getPage } from '../../api/client';
import { Field, Select, useLoad } from '../../components/ui';

/** GET /api/categories: any of these (the Kaltura door's category.list permissions). */
export const CATEGORY_READ = ['CONTENT_MANAGE_EDIT_CATEGORIES', 'CONTENT_MANAGE_ASSIGN_CATEGORIES', 'CONTENT_MANAGE_BASE', 'KMC_READ_ONLY'];

export const PRIVACY: Array<[CategoryPrivacy, string]> = [
  ['all', 'All'],
  ['authenticatedUsers', 'Signed-in users'],
  ['membersOnly', 'Members only'],
];
export const INHERITANCE: Array<[CategoryInheritance, string]> = [
  ['manual', 'Managed here'],
  ['inherit', 'Inherited from the parent'],
];
export const LEVELS: Array<[PermissionLevel, string]> = [
  ['manager', 'Manager'],
  ['moderator', 'Moderator'],
  ['contributor', 'Contributor'],
  ['member', 'Member'],
  ['none', 'None'],
];
const labelIn = <K extends string>(list: Array<[K, string]>, k: K): string => list.find(([v]) => v === k)?.[1] ?? k;
export const privacyLabel = (p: CategoryPrivacy): string => labelIn(PRIVACY, p);
export const levelLabel = (l: PermissionLevel): string => labelIn(LEVELS, l);

/** What the signed-in caller may do with categories (each REST route's guard). */
export interface CategoryRights {
  /** Create, rename, move, delete (CONTENT_MANAGE_EDIT_CATEGORIES). */
  edit: boolean;
  /** Members and entries (CONTENT_MANAGE_ASSIGN_CATEGORIES). */
  assign: boolean;
  /** Reading members (CONTENT_MANAGE_ASSIGN_CATEGORIES or KMC_READ_ONLY). */
  readMembers: boolean;
  /**
   * Privacy, contexts and inheritance (CONTENT_MANAGE_CATEGORY_USERS): without it the server
   * ignores these fields, as Kaltura does, so the console does not offer them.
   */
  privacy: boolean;
}

export function rightsOf(me: Me): CategoryRights {
  const has = (name: string) => me.permissions.includes(name);
  const assign = has('CONTENT_MANAGE_ASSIGN_CATEGORIES');
  return { edit: has('CONTENT_MANAGE_EDIT_CATEGORIES'), assign, readMembers: assign || has('KMC_READ_ONLY'), privacy: has('CONTENT_MANAGE_CATEGORY_USERS') };
}

/** Own and inherited privacy contexts, from the category's comma-separated lists. */
export function contextsOf(c: Category): { own: string[]; inherited: string[] } {
  const split = (s: string | null) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []);
  const own = split(c.privacyContext);
  return { own, inherited: split(c.privacyContexts).filter((x) => !own.includes(x)) };
}

/** The full name of one of the category's ancestors (or itself): fullIds and fullName line up. */
export function ancestorName(c: Category, id: number | null): string {
  if (id === null) return '';
  const ids = c.fullIds.split('>');
  const names = c.fullName.split('>');
  const i = ids.indexOf(String(id));
  return i < 0 ? `category ${id}` : names.slice(0, i + 1).join('>');
}

/** Where the members come from, in words. */
export function membersSource(c: Category): string {
  return c.inheritanceType === 'inherit' ? `inherited from ${ancestorName(c, c.inheritedFromId)}` : 'managed here';
}

export interface CategoryDraft {
  name: string;
  /** '' for a root. */
  parentId: string;
  privacy: CategoryPrivacy;
  privacyContext: string;
  inheritanceType: CategoryInheritance;
}

export const EMPTY_DRAFT: CategoryDraft = { name: '', parentId: '', privacy: 'all', privacyContext: '', inheritanceType: 'manual' };

export function draftOf(c: Category): CategoryDraft {
  return { name: c.name, parentId: c.parentId === null ? '' : String(c.parentId), privacy: c.privacy, privacyContext: c.privacyContext ?? '', inheritanceType: c.inheritanceType };
}

/** The fields of a category; the privacy ones only for callers whose changes to them count. */
export function CategoryFields(p: { draft: CategoryDraft; onChange: (d: CategoryDraft) => void; rights: CategoryRights; exclude?: number; generation?: number }) {
  const d = p.draft;
  const set = <K extends keyof CategoryDraft>(k: K) => (v: string) => p.onChange({ ...d, [k]: v as CategoryDraft[K] });
  return (
    <>
      <div className="grid2">
        <Field label="Category name" value={d.name} onChange={set('name')} required hint="Unique among its siblings; <, > and , become _." />
        <ParentPicker value={d.parentId} onChange={set('parentId')} exclude={p.exclude} generation={p.generation ?? 0} />
      </div>
      {p.rights.privacy ? (
        <div className="grid3">
          <Select label="Privacy" value={d.privacy} onChange={set('privacy')} options={PRIVACY} hint="Who sees its entries when entitlement applies. Other than All needs a privacy context (its own or inherited)." />
          <Field label="Privacy context" value={d.privacyContext} onChange={set('privacyContext')} hint="e.g. MEDIASPACE: letters and digits, 4+ characters, comma-separated. Subcategories inherit it." />
          <Select label="Members" value={d.inheritanceType} onChange={set('inheritanceType')} options={INHERITANCE} hint="Inherited: the members of the nearest parent that manages its own." />
        </div>
      ) : (
        <p className="hint">Privacy, privacy context and members’ inheritance need the CONTENT_MANAGE_CATEGORY_USERS permission.</p>
      )}
    </>
  );
}

const PICKER_LIMIT = 500;

/**
 * The parent: a list of every category by full name when the partner has at most 500 of them,
 * otherwise the parent's id (the tree shows ids), so the page never loads a huge tree.
 */
function ParentPicker(p: { value: string; onChange: (v: string) => void; exclude?: number; generation: number }) {
  const all = useLoad(() => getPage<Category>('/categories', { pageSize: PICKER_LIMIT }), [p.generation]);
  if (all.data && all.data.totalCount <= PICKER_LIMIT) {
    // A category cannot move under itself or its descendants.
    const options = all.data.data.filter((c) => p.exclude === undefined || !c.fullIds.split('>').includes(String(p.exclude)));
    return <Select label="Parent category" value={p.value} onChange={p.onChange} options={[['', 'None (a root category)'], ...options.map((c): [string, string] => [String(c.id), c.fullName])]} />;
  }
  return <Field label="Parent category id" value={p.value} onChange={p.onChange} hint="Empty: a root category. The id is shown under each category in the tree." />;
}

/** The body of a create (everything set) or of a PATCH (only what changed from `before`). */
export function bodyOf(d: CategoryDraft, rights: CategoryRights, before?: CategoryDraft): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const changed = <K extends keyof CategoryDraft>(k: K) => (before ? before[k] !== d[k] : d[k] !== EMPTY_DRAFT[k]);
  if (!before || changed('name')) body.name = d.name.trim();
  if (changed('parentId')) {
    const id = d.parentId.trim();
    if (id !== '' && !/^\d+$/.test(id)) throw new Error('The parent category id is a number.');
    body.parentId = id === '' ? null : Number(id);
  }
  if (rights.privacy) {
    if (changed('privacyContext')) body.privacyContext = d.privacyContext.trim() === '' ? null : d.privacyContext.trim();
    if (changed('privacy')) body.privacy = d.privacy;
    if (changed('inheritanceType')) body.inheritanceType = d.inheritanceType;
  }
  return body;
}
