/**
 * accessControlProfile.add / get / list / update / delete (protocol §5.1). Every save compiles the
 * rules first, so a profile the engine cannot evaluate (bad regex, bad CIDR) never reaches storage;
 * every change goes through `AccessProfiles.changed`, so each node recompiles within one poll.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { RuleCompileError } from '../../core/access/compile.js';
import type { RuleSpec } from '../../core/access/model.js';
import { E, fail } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import type { Principal, RequestMeta } from '../context.js';
import type { AccessControlProfileRecord, ListResult, Page } from '../model.js';
import { DuplicateKeyError, type AccessControlFilter, type AccessControlRepo, type AccessProfiles, type Directory, type PartnerRepo, type UnitOfWork } from '../ports.js';

export interface AccessControlProfileInput {
  name?: string | null;
  systemName?: string | null;
  description?: string | null;
  /** true makes the profile the partner default; false is ignored (a partner always keeps one). */
  isDefault?: boolean | null;
  /** Replaces the whole rule list when given. */
  rules?: RuleSpec[] | null;
}

export interface AccessControlServiceDeps {
  uow: UnitOfWork;
  profiles: AccessControlRepo;
  compiled: AccessProfiles;
  directory: Directory;
  audit: Auditor;
  clock: Clock;
  /** Kaltura's `access_controls` partner limit (GATEHOUSE_ACCESS_CONTROL_PROFILE_LIMIT). */
  maxProfiles?: number;
}

export const DEFAULT_MAX_PROFILES = 24;
/** Kaltura re-points at most this many entries when a profile is deleted. */
export const MAX_ENTRIES_TO_REPOINT = 1000;

const LIMITS = { name: 128, systemName: 128, description: 1024 } as const;

export class AccessControlService {
  constructor(private readonly d: AccessControlServiceDeps) {}

  /** The installation's limit, replaced by the partner's `accessControlProfileLimit` setting when it has a positive one. */
  private async profileLimit(partnerId: number): Promise<number> {
    const setting = Number((await this.d.directory.partner(partnerId))?.partner.settings.accessControlProfileLimit ?? 0);
    return Number.isInteger(setting) && setting > 0 ? setting : (this.d.maxProfiles ?? DEFAULT_MAX_PROFILES);
  }

  async add(p: Principal, input: AccessControlProfileInput, meta: RequestMeta): Promise<AccessControlProfileRecord> {
    if (!input.name) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'accessControlProfile::name' });
    checkLengths(input);
    const rules = input.rules ?? [];
    this.compile(rules);
    const max = await this.profileLimit(p.partnerId);
    const now = nowSeconds(this.d.clock);
    const created = await this.translateDuplicate(input.systemName, () =>
      this.d.uow.transaction(async (r) => {
        if ((await r.accessControl.countForInsert(p.partnerId)) >= max) throw fail(E.MAX_NUMBER_OF_ACCESS_CONTROLS_REACHED, { MAX_NUM: max });
        const profile = await r.accessControl.insert({
          partnerId: p.partnerId,
          name: input.name!,
          systemName: input.systemName ?? '',
          description: input.description ?? '',
          isDefault: false,
          rules,
          createdAt: now,
          updatedAt: now,
        });
        if (input.isDefault) await this.makeDefault(r.accessControl, r.partners, p.partnerId, profile.id, now);
        return { ...profile, isDefault: input.isDefault === true };
      }),
    );
    await this.afterChange(p, created.id, input.isDefault === true);
    await this.audit(p, 'accessControlProfile.add', created.id, meta, { rules: rules.length, isDefault: created.isDefault });
    return created;
  }

  /** ACCESS_CONTROL_ID_NOT_FOUND for unknown, deleted and other partners' profiles alike. */
  async get(p: Principal, id: number): Promise<AccessControlProfileRecord> {
    const profile = id ? await this.d.profiles.get(id) : undefined;
    if (!profile || profile.partnerId !== p.partnerId) throw fail(E.ACCESS_CONTROL_ID_NOT_FOUND, { ID: id });
    return profile;
  }

  list(p: Principal, filter: AccessControlFilter, page: Page): Promise<ListResult<AccessControlProfileRecord>> {
    return this.d.profiles.list(p.partnerId, filter, page);
  }

  async update(p: Principal, id: number, input: AccessControlProfileInput, meta: RequestMeta): Promise<AccessControlProfileRecord> {
    await this.get(p, id);
    if (input.name === '' || input.name === null) {
      throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'accessControlProfile::name' });
    }
    checkLengths(input);
    if (input.rules) this.compile(input.rules);
    const now = nowSeconds(this.d.clock);
    const updated = await this.translateDuplicate(input.systemName, () =>
      this.d.uow.transaction(async (r) => {
        const patch: Parameters<AccessControlRepo['update']>[1] = { updatedAt: now };
        if (input.name != null) patch.name = input.name;
        if (input.systemName !== undefined) patch.systemName = input.systemName ?? '';
        if (input.description !== undefined) patch.description = input.description ?? '';
        if (input.rules) patch.rules = input.rules;
        const saved = await r.accessControl.update(id, patch);
        if (input.isDefault && !saved.isDefault) {
          await this.makeDefault(r.accessControl, r.partners, p.partnerId, id, now);
          return { ...saved, isDefault: true };
        }
        return saved;
      }),
    );
    await this.afterChange(p, id, input.isDefault === true);
    const fields = Object.keys(input).filter((k) => input[k as keyof AccessControlProfileInput] !== undefined);
    await this.audit(p, 'accessControlProfile.update', id, meta, { fields });
    return updated;
  }

  /**
   * Soft-deletes the profile and, in the same transaction, re-points its entries to the partner
   * default, so no entry is ever left pointing at rules that no longer exist.
   */
  async delete(p: Principal, id: number, meta: RequestMeta): Promise<void> {
    const profile = await this.get(p, id);
    const partner = (await this.d.directory.partner(p.partnerId))?.partner;
    if (profile.isDefault || partner?.defaultAccessControlId === id) throw fail(E.CANNOT_DELETE_DEFAULT_ACCESS_CONTROL);
    const now = nowSeconds(this.d.clock);
    const moved = await this.d.uow.transaction(async (r) => {
      const count = await r.entries.countWithAccessControl(p.partnerId, id);
      if (count > MAX_ENTRIES_TO_REPOINT) throw fail(E.EXCEEDED_ENTRIES_PER_ACCESS_CONTROL_FOR_UPDATE, { id });
      const target = (await r.partners.get(p.partnerId))?.defaultAccessControlId ?? null;
      if (count > 0 && target === null) throw fail(E.CANNOT_TRANSFER_ENTRIES_TO_ANOTHER_ACCESS_CONTROL_OBJECT);
      const n = count > 0 ? await r.entries.repointAccessControl(p.partnerId, id, target, now) : 0;
      await r.accessControl.softDelete(id, now);
      return n;
    });
    await this.d.compiled.changed(id);
    await this.audit(p, 'accessControlProfile.delete', id, meta, { entriesMoved: moved });
  }

  private compile(rules: readonly RuleSpec[]): void {
    try {
      this.d.compiled.compile(rules);
    } catch (e) {
      if (e instanceof RuleCompileError) throw fail(E.INVALID_ACCESS_CONTROL_RULE, { PROP_NAME: e.path, REASON: e.reason });
      throw e;
    }
  }

  /** The partner row says which profile is the default; the profiles' flags mirror it. */
  private async makeDefault(profiles: AccessControlRepo, partners: PartnerRepo, partnerId: number, id: number, now: number): Promise<void> {
    await profiles.markDefault(partnerId, id);
    await partners.update(partnerId, { defaultAccessControlId: id, updatedAt: now });
  }

  private async afterChange(p: Principal, id: number, defaultChanged: boolean): Promise<void> {
    await this.d.compiled.changed(id);
    if (defaultChanged) await this.d.directory.changed('partner', String(p.partnerId));
  }

  /** The unique index is the real guard against two profiles with one system name; this names the error. */
  private async translateDuplicate<T>(systemName: string | null | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw fail(E.SYSTEM_NAME_ALREADY_EXISTS, { SYS_NAME: systemName ?? '' });
      throw e;
    }
  }

  private audit(p: Principal, action: string, id: number, meta: RequestMeta, detail: Record<string, unknown>): Promise<void> {
    return this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action, target: String(id), outcome: 'success', clientIp: meta.clientIp, detail });
  }
}

function checkLengths(input: AccessControlProfileInput): void {
  for (const [prop, max] of Object.entries(LIMITS) as Array<[keyof typeof LIMITS, number]>) {
    const v = input[prop];
    if (typeof v === 'string' && v.length > max) throw fail(E.PROPERTY_VALIDATION_MAX_LENGTH, { PROP_NAME: `accessControlProfile::${prop}`, MAX_LEN: max });
  }
}
