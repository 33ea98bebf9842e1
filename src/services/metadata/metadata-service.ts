/**
 * metadataProfile.add / get / list / delete and metadata.add / get / list / update / delete, for
 * entries only: just enough custom metadata for the metadata access-control conditions. XSDs are
 * kept as sent with their field names extracted; metadata XML must be well-formed and its values
 * are extracted at save time, so a decision never parses XML. (Documents are not validated
 * against the XSD.)
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import type { Principal, RequestMeta } from '../context.js';
import { MetadataObjectType, MetadataProfileStatus, MetadataStatus, type ListResult, type Metadata, type MetadataProfile, type Page } from '../model.js';
import { DuplicateKeyError, type EntryRepo, type MetadataFilter, type MetadataProfileFilter, type MetadataProfileRepo, type MetadataRepo, type UnitOfWork } from '../ports.js';
import { mayEditEntry } from '../entries/ownership.js';
import { metadataFields, parseXml, xsdFieldNames } from './xml.js';

export interface MetadataProfileInput {
  name?: string | null;
  systemName?: string | null;
  description?: string | null;
  /** `KalturaMetadataObjectType`; only entries ('1') are supported. */
  objectType?: string | null;
}

export interface MetadataServiceDeps {
  uow: UnitOfWork;
  profiles: MetadataProfileRepo;
  metadata: MetadataRepo;
  entries: EntryRepo;
  audit: Auditor;
  clock: Clock;
}

export class MetadataService {
  constructor(private readonly d: MetadataServiceDeps) {}

  async addProfile(p: Principal, input: MetadataProfileInput, xsd: string, meta: RequestMeta): Promise<MetadataProfile> {
    if (!input.objectType) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'metadataProfile::metadataObjectType' });
    if (input.objectType !== String(MetadataObjectType.ENTRY)) throw fail(E.INVALID_METADATA_PROFILE_TYPE, { TYPE: input.objectType });
    if (!input.name) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'metadataProfile::name' });
    const parsed = parseXml(xsd);
    if (!parsed.ok) throw fail(E.INVALID_METADATA_PROFILE_SCHEMA, { ERR_MSG: parsed.error });
    const fieldNames = xsdFieldNames(parsed.root);
    if (!fieldNames) throw fail(E.INVALID_METADATA_PROFILE_SCHEMA, { ERR_MSG: 'the root element must be an XML Schema (xsd:schema)' });
    // Metadata conditions may name a profile by system name, so it must identify one profile.
    if (input.systemName && (await this.d.profiles.bySystemName(p.partnerId, input.systemName))) throw fail(E.SYSTEM_NAME_ALREADY_EXISTS, { SYS_NAME: input.systemName });
    const now = nowSeconds(this.d.clock);
    const profile = await this.d.profiles.insert({
      partnerId: p.partnerId,
      objectType: MetadataObjectType.ENTRY,
      name: input.name,
      systemName: input.systemName ?? '',
      description: input.description ?? '',
      xsd,
      fieldNames,
      status: MetadataProfileStatus.ACTIVE,
      createdAt: now,
      updatedAt: now,
    });
    await this.audit(p, 'metadataProfile.add', profile.id, meta, { fields: fieldNames.length });
    return profile;
  }

  async getProfile(p: Principal, id: number): Promise<MetadataProfile> {
    const profile = id ? await this.d.profiles.get(id) : undefined;
    if (!profile || profile.partnerId !== p.partnerId) throw fail(E.METADATA_PROFILE_NOT_FOUND, { ID: id });
    return profile;
  }

  listProfiles(p: Principal, filter: MetadataProfileFilter, page: Page): Promise<ListResult<MetadataProfile>> {
    return this.d.profiles.list(p.partnerId, filter, page);
  }

  /** Deletes the profile with every metadata object written against it, in one transaction. */
  async deleteProfile(p: Principal, id: number, meta: RequestMeta): Promise<void> {
    await this.getProfile(p, id);
    await this.d.uow.transaction((r) => r.metadataProfiles.delete(id));
    await this.audit(p, 'metadataProfile.delete', id, meta, {});
  }

  async add(p: Principal, profileId: number, objectType: string, objectId: string, xml: string, meta: RequestMeta): Promise<Metadata> {
    const profile = await this.d.profiles.get(profileId);
    if (!profile || profile.partnerId !== p.partnerId) throw fail(E.METADATA_PROFILE_NOT_FOUND, { ID: profileId });
    if (String(profile.objectType) !== objectType) throw fail(E.INCOMPATIBLE_METADATA_PROFILE_OBJECT_TYPE, { OBJ_TYPE: profile.objectType, META_OBJ_TYPE: objectType });
    await this.assertMayWrite(p, objectId);
    const existing = await this.d.metadata.byObject(profileId, profile.objectType, objectId);
    if (existing) throw fail(E.METADATA_ALREADY_EXISTS, { ID: existing.id });
    const fields = extract(xml);
    const now = nowSeconds(this.d.clock);
    let created: Metadata;
    try {
      created = await this.d.metadata.insert({ partnerId: p.partnerId, metadataProfileId: profileId, objectType: profile.objectType, objectId, xml, fields, version: 1, status: MetadataStatus.VALID, createdAt: now, updatedAt: now });
    } catch (e) {
      // A concurrent add won the race for this object: report it as Kaltura does.
      if (e instanceof DuplicateKeyError) {
        const winner = await this.d.metadata.byObject(profileId, profile.objectType, objectId);
        throw fail(E.METADATA_ALREADY_EXISTS, { ID: winner?.id ?? '' });
      }
      throw e;
    }
    await this.audit(p, 'metadata.add', created.id, meta, { objectId, metadataProfileId: profileId });
    return created;
  }

  async get(p: Principal, id: number): Promise<Metadata> {
    const m = id ? await this.d.metadata.get(id) : undefined;
    if (!m || m.partnerId !== p.partnerId) throw fail(E.METADATA_NOT_FOUND, { ID: id });
    return m;
  }

  list(p: Principal, filter: MetadataFilter, page: Page): Promise<ListResult<Metadata>> {
    if (filter.statusEqual === MetadataStatus.DELETED) return Promise.resolve({ objects: [], totalCount: 0 });
    return this.d.metadata.list(p.partnerId, filter, page);
  }

  /** Replaces the XML (when given) and bumps the version; `version`, when non-zero, must be the current one. */
  async update(p: Principal, id: number, xml: string, version: number, meta: RequestMeta): Promise<Metadata> {
    const m = await this.get(p, id);
    if (version && version !== m.version) throw fail(E.INVALID_METADATA_VERSION, { VERSION: m.version });
    await this.assertMayWrite(p, m.objectId);
    if (!xml) return m;
    const updated = await this.d.metadata.updateXml(id, m.version, xml, extract(xml), nowSeconds(this.d.clock));
    // Another writer changed it between our read and our write: the caller retries with fresh data.
    if (!updated) throw fail(E.INVALID_METADATA_VERSION, { VERSION: (await this.get(p, id)).version });
    await this.audit(p, 'metadata.update', id, meta, { version: updated.version });
    return updated;
  }

  async delete(p: Principal, id: number, meta: RequestMeta): Promise<void> {
    const m = await this.get(p, id);
    await this.assertMayWrite(p, m.objectId);
    await this.d.metadata.markDeleted(id, nowSeconds(this.d.clock));
    await this.audit(p, 'metadata.delete', id, meta, { objectId: m.objectId });
  }

  /** The entry must exist in the partner, and a USER session must be allowed to edit it. */
  private async assertMayWrite(p: Principal, entryId: string): Promise<void> {
    const entry = await this.d.entries.get(entryId);
    if (!entry || entry.partnerId !== p.partnerId) throw fail(E.INVALID_METADATA_OBJECT, { OBJECT: entryId });
    if (!mayEditEntry(p, entry)) throw fail(E.METADATA_NO_PERMISSION_ON_ENTRY, { ID: entryId });
  }

  private audit(p: Principal, action: string, id: number, meta: RequestMeta, detail: Record<string, unknown>): Promise<void> {
    return this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action, target: String(id), outcome: 'success', clientIp: meta.clientIp, detail });
  }
}

function extract(xml: string): Record<string, string[]> {
  const parsed = parseXml(xml);
  if (!parsed.ok) throw fail(E.INVALID_METADATA_DATA, { ERR_MSG: parsed.error });
  return metadataFields(parsed.root);
}
