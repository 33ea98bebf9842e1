/**
 * baseEntry / media add, get, list, update, delete (entries hold metadata only: Gatehouse stores no
 * media). Owner rules are the Kaltura server's: a USER session creates entries for itself, changes
 * only what it owns (or what `edit` privileges grant) and may not set admin-only properties.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { randomBase36 } from '../../core/crypto/random.js';
import { E, fail } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import { isAdminSession, type Principal, type RequestMeta } from '../context.js';
import { EntryStatus, type Entry, type ListResult, type Page } from '../model.js';
import { askerOf, entitled, entitlementScope, type EntitlementReads } from '../pipeline/steps/entitlement.js';
import { DuplicateKeyError, type AccessControlRepo, type Directory, type EntryFilter, type EntryRepo } from '../ports.js';
import { ENTRY_PERMISSION, mayChangeEntry, mayListAll, notEntryOwner, type EntryChange } from './ownership.js';

export interface EntryInput {
  name?: string | null;
  description?: string | null;
  userId?: string | null;
  tags?: string | null;
  /** undefined/null: partner default on add, unchanged on update; 0 or -1: no profile of its own. */
  accessControlId?: number | null;
  /** Unix seconds; 0 or -1 clears the date. */
  startDate?: number | null;
  endDate?: number | null;
  flavorParamsIds?: string | null;
  mediaType?: number | null;
}

/** Which entries an action may see: every entry (baseEntry) or media entries only (media). */
export type EntryKind = 'any' | 'media';

export interface EntryServiceDeps {
  entries: EntryRepo;
  profiles: AccessControlRepo;
  directory: Directory;
  audit: Auditor;
  clock: Clock;
  /**
   * The entry cache's invalidation point (cache/entries.ts), called after every write so cached
   * copies (delivery decisions) are dropped on every node; absent where nothing caches entries.
   */
  cache?: { changed(id: string): Promise<void> };
  /** Category links and memberships, for entitlement (cache/categories.ts). */
  entitlements: EntitlementReads;
  /** Removes a deleted entry's category links and fixes its categories' counters (issue 17). */
  categoryLinks?: { entryDeleted(partnerId: number, entryId: string): Promise<void> };
}

/** Kaltura's single data centre prefix: ids look like `0_ab12cd34`. */
const ID_PREFIX = '0_';
/** Properties a USER session may not set (Kaltura's checkAdminOnly*Properties). */
const ADMIN_ONLY = ['startDate', 'endDate', 'accessControlId'] as const;

export class EntryService {
  constructor(private readonly d: EntryServiceDeps) {}

  async add(p: Principal, input: EntryInput, kind: EntryKind, meta: RequestMeta): Promise<Entry> {
    const admin = isAdminSession(p);
    if (input.userId && !admin && input.userId.toLowerCase() !== p.userId.toLowerCase()) throw notEntryOwner();
    assertAdminOnly(p, input);
    // Setting an entry's profile or dates takes their permissions on add as on update (ownership.ts).
    const fields = changesOf(input).filter((c) => c !== 'edit');
    if (fields.length) assertMayChange(p, { id: '', userId: '' }, fields);
    const partner = (await this.d.directory.partner(p.partnerId))?.partner;
    const accessControlId = input.accessControlId == null ? (partner?.defaultAccessControlId ?? null) : await this.profileId(p, input.accessControlId);
    const startDate = dateOf(input.startDate);
    const endDate = dateOf(input.endDate);
    assertSchedule(startDate, endDate);
    const now = nowSeconds(this.d.clock);
    const owner = input.userId || p.userId;
    for (let attempt = 0; ; attempt++) {
      const entry: Entry = {
        id: ID_PREFIX + randomBase36(8),
        partnerId: p.partnerId,
        name: input.name ?? '',
        description: input.description ?? '',
        userId: owner,
        creatorId: p.userId || owner,
        tags: input.tags ?? '',
        accessControlId,
        startDate,
        endDate,
        flavorParamsIds: input.flavorParamsIds ?? '',
        status: EntryStatus.READY,
        mediaType: kind === 'media' ? (input.mediaType ?? 1) : (input.mediaType ?? null),
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.d.entries.insert(entry);
      } catch (e) {
        if (e instanceof DuplicateKeyError && attempt < 5) continue;
        throw e;
      }
      // A cached miss for this id (someone asked for it before it existed) must not outlive the insert.
      await this.d.cache?.changed(entry.id);
      await this.audit(p, 'entry.add', entry.id, meta, { accessControlId, userId: owner });
      return entry;
    }
  }

  /**
   * ENTRY_ID_NOT_FOUND for unknown, deleted and other partners' entries alike, and for entries the
   * session is not entitled to when entitlement applies (the server's entry peer filters them out).
   */
  async get(p: Principal, id: string, kind: EntryKind = 'any'): Promise<Entry> {
    const entry = id ? await this.d.entries.get(id) : undefined;
    if (!entry || entry.partnerId !== p.partnerId || (kind === 'media' && entry.mediaType === null)) throw fail(E.ENTRY_ID_NOT_FOUND, { ENTRY_ID: id });
    if (p.partner && !(await entitled(this.d.entitlements, askerOf(p), entry)).ok) throw fail(E.ENTRY_ID_NOT_FOUND, { ENTRY_ID: id });
    return entry;
  }

  /** A USER session without `list:*` sees its own entries only, whatever the filter asks. */
  list(p: Principal, filter: EntryFilter, page: Page, kind: EntryKind = 'any'): Promise<ListResult<Entry>> {
    const f: EntryFilter = { ...filter, ...(kind === 'media' ? { mediaOnly: true } : {}) };
    if (!mayListAll(p)) {
      delete f.userIdIn;
      f.userIdEqual = p.userId;
    }
    // Deleted entries are gone: asking for them by status finds nothing.
    if (f.statusEqual === EntryStatus.DELETED) return Promise.resolve({ objects: [], totalCount: 0 });
    // Entitlement filters in SQL, so paging and totalCount stay exact.
    const asker = p.partner ? askerOf(p) : undefined;
    const scope = asker ? entitlementScope(asker) : null;
    if (!scope) return this.d.entries.list(p.partnerId, f, page);
    return this.d.entitlements.entitledCategoryIds(p.partnerId, scope).then((categoryIds) => {
      f.entitledTo = { scope, categoryIds, liftedEntryIds: asker?.privileges?.get('disableentitlementforentry') ?? [] };
      return this.d.entries.list(p.partnerId, f, page);
    });
  }

  async update(p: Principal, id: string, input: EntryInput, kind: EntryKind, meta: RequestMeta): Promise<Entry> {
    const entry = await this.get(p, id, kind);
    assertMayChange(p, entry, changesOf(input));
    // Only an ADMIN session may hand an entry to another owner.
    if (input.userId && input.userId !== entry.userId && !isAdminSession(p)) throw notEntryOwner();
    assertAdminOnly(p, input);
    const patch: Partial<Entry> = { updatedAt: nowSeconds(this.d.clock) };
    if (input.accessControlId != null) patch.accessControlId = await this.profileId(p, input.accessControlId);
    if (input.startDate !== undefined) patch.startDate = dateOf(input.startDate);
    if (input.endDate !== undefined) patch.endDate = dateOf(input.endDate);
    assertSchedule(patch.startDate !== undefined ? patch.startDate : entry.startDate, patch.endDate !== undefined ? patch.endDate : entry.endDate);
    if (input.name != null) patch.name = input.name;
    if (input.description !== undefined) patch.description = input.description ?? '';
    if (input.userId) patch.userId = input.userId;
    if (input.tags !== undefined) patch.tags = input.tags ?? '';
    if (input.flavorParamsIds !== undefined) patch.flavorParamsIds = input.flavorParamsIds ?? '';
    if (input.mediaType != null && entry.mediaType !== null) patch.mediaType = input.mediaType;
    const updated = await this.d.entries.update(id, patch);
    await this.d.cache?.changed(id);
    await this.audit(p, 'entry.update', id, meta, { fields: Object.keys(patch).filter((k) => k !== 'updatedAt') });
    return updated;
  }

  async delete(p: Principal, id: string, kind: EntryKind, meta: RequestMeta): Promise<void> {
    const entry = await this.get(p, id, kind);
    assertMayChange(p, entry, ['delete']);
    await this.d.entries.softDelete(id, nowSeconds(this.d.clock));
    await this.d.categoryLinks?.entryDeleted(p.partnerId, id);
    await this.d.cache?.changed(id);
    await this.audit(p, 'entry.delete', id, meta, {});
  }

  /** 0 and -1 mean "no profile of its own"; any other id must be a live profile of the partner. */
  private async profileId(p: Principal, id: number): Promise<number | null> {
    if (id === 0 || id === -1) return null;
    const profile = await this.d.profiles.get(id);
    if (!profile || profile.partnerId !== p.partnerId) throw fail(E.ACCESS_CONTROL_ID_NOT_FOUND, { ID: id });
    return id;
  }

  private audit(p: Principal, action: string, id: string, meta: RequestMeta, detail: Record<string, unknown>): Promise<void> {
    return this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action, target: id, outcome: 'success', clientIp: meta.clientIp, detail });
  }
}

/** What an update touches, for the catalogue's permissions (ownership.ts). */
function changesOf(input: EntryInput): EntryChange[] {
  const changes: EntryChange[] = [];
  if (input.accessControlId != null) changes.push('accessControl');
  if (input.startDate !== undefined || input.endDate !== undefined) changes.push('schedule');
  const edits = (['name', 'description', 'userId', 'tags', 'flavorParamsIds', 'mediaType'] as const).some((k) => input[k] !== undefined);
  if (edits || changes.length === 0) changes.push('edit');
  return changes;
}

/**
 * A USER session touching an entry it may not change gets the server's INVALID_KS answer; an
 * ADMIN-typed session (which owner rules do not limit) gets the permission it lacks.
 */
function assertMayChange(p: Principal, entry: Pick<Entry, 'id' | 'userId'>, changes: EntryChange[]): void {
  if (mayChangeEntry(p, entry, changes)) return;
  if (!isAdminSession(p)) throw notEntryOwner();
  throw fail(E.PERMISSION_REQUIRED, { PERMISSIONS: changes.map((c) => ENTRY_PERMISSION[c]).join(', ') });
}

function assertAdminOnly(p: Principal, input: EntryInput): void {
  if (isAdminSession(p)) return;
  for (const prop of ADMIN_ONLY) if (input[prop] !== undefined) throw fail(E.PROPERTY_VALIDATION_ADMIN_PROPERTY, { PROP_NAME: prop });
}

/** Kaltura time fields: 0, -1 ("remove this date") and null all mean no date. */
function dateOf(v: number | null | undefined): number | null {
  return v && v > 0 ? v : null;
}

function assertSchedule(start: number | null, end: number | null): void {
  if (start !== null && end !== null && start >= end) throw fail(E.INVALID_ENTRY_SCHEDULE_DATES);
}
