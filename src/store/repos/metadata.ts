/** Custom-metadata profiles and metadata objects; field values are stored pre-extracted as JSON. */
import { sql, type Kysely, type Selectable } from 'kysely';
import { MetadataStatus, type ListResult, type Metadata, type MetadataProfile, type Page } from '../../services/model.js';
import { DuplicateKeyError, type MetadataFilter, type MetadataProfileFilter, type MetadataProfileRepo, type MetadataRepo, type ObjectMetadataFields } from '../../services/ports.js';
import { isUniqueViolation, pageOffset, parseJsonArray, parseJsonObject } from '../errors.js';
import { int4Only, isInt4 } from './int4.js';
import type { Database, MetadataProfilesTable, MetadataTable } from '../schema.js';

function profileOf(r: Selectable<MetadataProfilesTable>): MetadataProfile {
  return {
    id: r.id,
    partnerId: r.partner_id,
    objectType: r.object_type,
    name: r.name,
    systemName: r.system_name,
    description: r.description,
    xsd: r.xsd,
    fieldNames: parseJsonArray(r.field_names).map(String),
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The one codec of the `fields` column: name → list of strings, anything else dropped. */
function fieldsOf(text: string): Record<string, string[]> {
  // No prototype: element names are the document author's, `__proto__` included.
  const out = Object.create(null) as Record<string, string[]>;
  for (const [k, v] of Object.entries(parseJsonObject(text))) if (Array.isArray(v)) out[k] = v.map(String);
  return out;
}

function metadataOf(r: Selectable<MetadataTable>): Metadata {
  return {
    id: r.id,
    partnerId: r.partner_id,
    metadataProfileId: r.metadata_profile_id,
    objectType: r.object_type,
    objectId: r.object_id,
    xml: r.xml,
    fields: fieldsOf(r.fields),
    version: r.version,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

type TimeOrder = Record<string, ['created_at' | 'updated_at' | 'version', 'asc' | 'desc']>;
const ORDER: TimeOrder = {
  '+createdAt': ['created_at', 'asc'],
  '-createdAt': ['created_at', 'desc'],
  '+updatedAt': ['updated_at', 'asc'],
  '-updatedAt': ['updated_at', 'desc'],
  '+version': ['version', 'asc'],
  '-version': ['version', 'desc'],
};
const none = sql<boolean>`1 = 0`;

export class SqlMetadataProfileRepo implements MetadataProfileRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: number): Promise<MetadataProfile | undefined> {
    if (!isInt4(id)) return undefined;
    const r = await this.db.selectFrom('metadata_profiles').selectAll().where('id', '=', id).executeTakeFirst();
    return r && profileOf(r);
  }

  async bySystemName(partnerId: number, systemName: string): Promise<MetadataProfile | undefined> {
    const r = await this.db.selectFrom('metadata_profiles').selectAll().where('partner_id', '=', partnerId).where('system_name', '=', systemName).orderBy('id').executeTakeFirst();
    return r && profileOf(r);
  }

  async list(partnerId: number, f: MetadataProfileFilter, page: Page): Promise<ListResult<MetadataProfile>> {
    let q = this.db.selectFrom('metadata_profiles').where('partner_id', '=', partnerId);
    if (f.idEqual !== undefined) q = isInt4(f.idEqual) ? q.where('id', '=', f.idEqual) : q.where(none);
    if (f.idIn) q = int4Only(f.idIn).length ? q.where('id', 'in', int4Only(f.idIn)) : q.where(none);
    if (f.objectTypeEqual !== undefined) q = q.where('object_type', '=', f.objectTypeEqual);
    if (f.nameEqual !== undefined) q = q.where('name', '=', f.nameEqual);
    if (f.systemNameEqual !== undefined) q = q.where('system_name', '=', f.systemNameEqual);
    if (f.systemNameIn) q = f.systemNameIn.length ? q.where('system_name', 'in', f.systemNameIn) : q.where(none);
    if (f.statusEqual !== undefined) q = q.where('status', '=', f.statusEqual);
    if (f.statusIn) q = f.statusIn.length ? q.where('status', 'in', f.statusIn) : q.where(none);
    if (f.createdAtGreaterThanOrEqual) q = q.where('created_at', '>=', f.createdAtGreaterThanOrEqual);
    if (f.createdAtLessThanOrEqual) q = q.where('created_at', '<=', f.createdAtLessThanOrEqual);
    if (f.updatedAtGreaterThanOrEqual) q = q.where('updated_at', '>=', f.updatedAtGreaterThanOrEqual);
    if (f.updatedAtLessThanOrEqual) q = q.where('updated_at', '<=', f.updatedAtLessThanOrEqual);
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const [col, dir] = ORDER[f.orderBy ?? ''] ?? ['created_at', 'asc'];
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll().orderBy(col === 'version' ? 'created_at' : col, dir).orderBy('id', 'asc').limit(limit).offset(offset).execute();
    return { objects: rows.map(profileOf), totalCount: Number(total?.n ?? 0) };
  }

  async insert(p: Omit<MetadataProfile, 'id'>): Promise<MetadataProfile> {
    const r = await this.db
      .insertInto('metadata_profiles')
      .values({
        partner_id: p.partnerId,
        object_type: p.objectType,
        name: p.name,
        system_name: p.systemName,
        description: p.description,
        xsd: p.xsd,
        field_names: JSON.stringify(p.fieldNames),
        status: p.status,
        created_at: p.createdAt,
        updated_at: p.updatedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...p, id: r.id };
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('metadata').where('metadata_profile_id', '=', id).execute();
    await this.db.deleteFrom('metadata_profiles').where('id', '=', id).execute();
  }
}

export class SqlMetadataRepo implements MetadataRepo {
  constructor(private readonly db: Kysely<Database>) {}

  private live() {
    return this.db.selectFrom('metadata').where('status', '<>', MetadataStatus.DELETED);
  }

  async get(id: number): Promise<Metadata | undefined> {
    if (!isInt4(id)) return undefined;
    const r = await this.live().selectAll().where('id', '=', id).executeTakeFirst();
    return r && metadataOf(r);
  }

  async byObject(profileId: number, objectType: number, objectId: string): Promise<Metadata | undefined> {
    if (!isInt4(profileId)) return undefined;
    const r = await this.live().selectAll().where('metadata_profile_id', '=', profileId).where('object_type', '=', objectType).where('object_id', '=', objectId).executeTakeFirst();
    return r && metadataOf(r);
  }

  async list(partnerId: number, f: MetadataFilter, page: Page): Promise<ListResult<Metadata>> {
    let q = this.live().where('partner_id', '=', partnerId);
    if (f.idEqual !== undefined) q = isInt4(f.idEqual) ? q.where('id', '=', f.idEqual) : q.where(none);
    if (f.metadataProfileIdEqual !== undefined) q = isInt4(f.metadataProfileIdEqual) ? q.where('metadata_profile_id', '=', f.metadataProfileIdEqual) : q.where(none);
    if (f.metadataProfileIdIn) q = int4Only(f.metadataProfileIdIn).length ? q.where('metadata_profile_id', 'in', int4Only(f.metadataProfileIdIn)) : q.where(none);
    if (f.objectTypeEqual !== undefined) q = q.where('object_type', '=', f.objectTypeEqual);
    if (f.objectIdEqual !== undefined) q = q.where('object_id', '=', f.objectIdEqual);
    if (f.objectIdIn) q = f.objectIdIn.length ? q.where('object_id', 'in', f.objectIdIn) : q.where(none);
    if (f.versionEqual !== undefined) q = q.where('version', '=', f.versionEqual);
    if (f.statusEqual !== undefined) q = q.where('status', '=', f.statusEqual);
    if (f.statusIn) q = f.statusIn.length ? q.where('status', 'in', f.statusIn) : q.where(none);
    if (f.createdAtGreaterThanOrEqual) q = q.where('created_at', '>=', f.createdAtGreaterThanOrEqual);
    if (f.createdAtLessThanOrEqual) q = q.where('created_at', '<=', f.createdAtLessThanOrEqual);
    if (f.updatedAtGreaterThanOrEqual) q = q.where('updated_at', '>=', f.updatedAtGreaterThanOrEqual);
    if (f.updatedAtLessThanOrEqual) q = q.where('updated_at', '<=', f.updatedAtLessThanOrEqual);
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const [col, dir] = ORDER[f.orderBy ?? ''] ?? ['created_at', 'asc'];
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll().orderBy(col, dir).orderBy('id', 'asc').limit(limit).offset(offset).execute();
    return { objects: rows.map(metadataOf), totalCount: Number(total?.n ?? 0) };
  }

  async insert(m: Omit<Metadata, 'id'>): Promise<Metadata> {
    try {
      const r = await this.db
        .insertInto('metadata')
        .values({
          partner_id: m.partnerId,
          metadata_profile_id: m.metadataProfileId,
          object_type: m.objectType,
          object_id: m.objectId,
          xml: m.xml,
          fields: JSON.stringify(m.fields),
          version: m.version,
          status: m.status,
          created_at: m.createdAt,
          updated_at: m.updatedAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...m, id: r.id };
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('metadata.object');
      throw e;
    }
  }

  async updateXml(id: number, expectedVersion: number, xml: string, fields: Record<string, string[]>, now: number): Promise<Metadata | undefined> {
    // Guarded on the version read by the caller: a concurrent writer makes this a no-op, never a lost update.
    const r = await this.db
      .updateTable('metadata')
      .set({ xml, fields: JSON.stringify(fields), version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .where('status', '<>', MetadataStatus.DELETED)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1 ? this.get(id) : undefined;
  }

  async markDeleted(id: number, now: number): Promise<void> {
    await this.db.updateTable('metadata').set({ status: MetadataStatus.DELETED, updated_at: now }).where('id', '=', id).execute();
  }

  async fieldsOf(partnerId: number, objectType: number, objectId: string): Promise<ObjectMetadataFields[]> {
    const rows = await this.db
      .selectFrom('metadata as m')
      .innerJoin('metadata_profiles as p', 'p.id', 'm.metadata_profile_id')
      .select(['m.metadata_profile_id as profileId', 'p.system_name as profileSystemName', 'm.fields as fields'])
      .where('m.partner_id', '=', partnerId)
      .where('m.object_type', '=', objectType)
      .where('m.object_id', '=', objectId)
      .where('m.status', '=', MetadataStatus.VALID)
      .orderBy('m.id')
      .execute();
    return rows.map((r) => ({ profileId: r.profileId, profileSystemName: r.profileSystemName, fields: fieldsOf(r.fields) }));
  }
}
