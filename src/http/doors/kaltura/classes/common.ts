/** Shared classes: pager, base filter, string wrapper, list responses. */
import { defineClass, T } from '../wire/types.js';

defineClass({ name: 'KalturaObjectBase', abstract: true, props: [] });
defineClass({ name: 'KalturaFilterPager', parent: 'KalturaObjectBase', props: [{ name: 'pageSize', type: T.int }, { name: 'pageIndex', type: T.int }] });
defineClass({ name: 'KalturaFilter', parent: 'KalturaObjectBase', props: [{ name: 'orderBy', type: T.string }] });
defineClass({ name: 'KalturaRelatedFilter', parent: 'KalturaFilter', props: [] });
defineClass({ name: 'KalturaString', parent: 'KalturaObjectBase', props: [{ name: 'value', type: T.string }] });
defineClass({ name: 'KalturaListResponse', parent: 'KalturaObjectBase', props: [{ name: 'totalCount', type: T.int, readonly: true }] });

/** Declares `Kaltura<X>ListResponse` with `objects` of class `itemClass`. */
export function defineListResponse(name: string, itemClass: string): void {
  defineClass({ name, parent: 'KalturaListResponse', props: [{ name: 'objects', type: T.array(itemClass), readonly: true }] });
}

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 30;

/** Kaltura's pager rules: size defaults to 30 and is capped at 500; index starts at 1. */
export function pageOf(pager: unknown): { pageSize: number; pageIndex: number } {
  const p = (pager ?? {}) as { pageSize?: number; pageIndex?: number };
  const size = p.pageSize && p.pageSize > 0 ? Math.min(p.pageSize, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const index = p.pageIndex && p.pageIndex > 0 ? p.pageIndex : 1;
  return { pageSize: size, pageIndex: index };
}

/** Splits a comma-separated `…In` filter value. */
export function csv(v: unknown): string[] | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

export function csvInts(v: unknown): number[] | undefined {
  return csv(v)?.map((s) => Number.parseInt(s, 10)).filter((n) => Number.isFinite(n));
}

/** A filter/input value that was sent (not absent, not cleared). */
export function given<T>(v: T | null | undefined): v is T {
  return v !== undefined && v !== null && v !== '';
}
