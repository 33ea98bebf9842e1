/**
 * What the custom-metadata services need from storage (profiles with their XSD, metadata objects
 * with the field values extracted when saved); re-exported by ports.ts.
 */
import type { ListResult, Metadata, MetadataProfile, Page, TimeRangeFilter } from './model.js';

export interface MetadataProfileFilter extends TimeRangeFilter {
  idEqual?: number;
  idIn?: number[];
  objectTypeEqual?: number;
  nameEqual?: string;
  systemNameEqual?: string;
  systemNameIn?: string[];
  statusEqual?: number;
  statusIn?: number[];
}

export interface MetadataProfileRepo {
  get(id: number): Promise<MetadataProfile | undefined>;
  bySystemName(partnerId: number, systemName: string): Promise<MetadataProfile | undefined>;
  list(partnerId: number, filter: MetadataProfileFilter, page: Page): Promise<ListResult<MetadataProfile>>;
  insert(p: Omit<MetadataProfile, 'id'>): Promise<MetadataProfile>;
  /** Removes the profile and every metadata object written against it. */
  delete(id: number): Promise<void>;
}

export interface MetadataFilter extends TimeRangeFilter {
  idEqual?: number;
  metadataProfileIdEqual?: number;
  metadataProfileIdIn?: number[];
  objectTypeEqual?: number;
  objectIdEqual?: string;
  objectIdIn?: string[];
  versionEqual?: number;
  statusEqual?: number;
  statusIn?: number[];
}

/** The extracted fields of one object's metadata, with the profile they were written against. */
export interface ObjectMetadataFields {
  profileId: number;
  profileSystemName: string;
  fields: Record<string, string[]>;
}

/** Metadata objects. Deleted ones (status DELETED) are invisible to every method. */
export interface MetadataRepo {
  get(id: number): Promise<Metadata | undefined>;
  byObject(profileId: number, objectType: number, objectId: string): Promise<Metadata | undefined>;
  list(partnerId: number, filter: MetadataFilter, page: Page): Promise<ListResult<Metadata>>;
  /** Throws DuplicateKeyError when the object already has live metadata of that profile. */
  insert(m: Omit<Metadata, 'id'>): Promise<Metadata>;
  /**
   * Replaces the XML and fields and increments the version, only while the stored version is
   * still `expectedVersion` (a guarded update); returns undefined when another writer won.
   */
  updateXml(id: number, expectedVersion: number, xml: string, fields: Record<string, string[]>, now: number): Promise<Metadata | undefined>;
  markDeleted(id: number, now: number): Promise<void>;
  /** Every live metadata object of one object, for access-control scopes. */
  fieldsOf(partnerId: number, objectType: number, objectId: string): Promise<ObjectMetadataFields[]>;
}
