/**
 * Shared TypeBox schemas of the REST door. Schemas are types, docs and output filters (STYLE
 * rule 7): request bodies refuse unknown properties, and responses are serialised through their
 * schema, so a field that is not listed here (a hash, a sealed secret) can never reach the wire.
 */
import { Type, type TSchema } from 'typebox';
import { E, fail } from '../../../core/errors/index.js';
import { PROBLEM_TYPE } from './problem.js';

export const Uuid = Type.String({ format: 'uuid', description: 'A UUID.' });
export const Timestamp = Type.String({ format: 'date-time', description: 'RFC 3339 date-time, e.g. 2026-01-01T00:00:00Z.' });

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: '`urn:gatehouse:error:<code>`' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'The error catalogue code; branch on this, not on the text.' }),
  },
  { description: 'RFC 9457 problem details.' },
);

/** Response entries for the error statuses a route can answer with, documented as problem+json. */
export function problems(...statuses: number[]): Record<number, { description: string; content: Record<string, { schema: TSchema }> }> {
  const out: Record<number, { description: string; content: Record<string, { schema: TSchema }> }> = {};
  for (const s of statuses) out[s] = { description: 'Problem details (RFC 9457).', content: { [PROBLEM_TYPE]: { schema: ProblemSchema } } };
  return out;
}

/** Query of every list route. Unknown query parameters (such as `key`) are ignored, not refused. */
export const PageQuery = Type.Object({
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Default 100.' })),
  pageIndex: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Default 1.' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Another name for `pageIndex` (the console sends `page`).' })),
});

export function pageOf(q: { pageSize?: number | undefined; pageIndex?: number | undefined; page?: number | undefined }): { pageSize: number; pageIndex: number } {
  return { pageSize: q.pageSize ?? 100, pageIndex: q.pageIndex ?? q.page ?? 1 };
}

/** The `page` object of every list answer: where this page is and how many items there are in all. */
export const PageInfo = Type.Object({
  pageIndex: Type.Integer(),
  pageSize: Type.Integer(),
  totalCount: Type.Integer(),
});

/** A list answer: `{data, totalCount, page}` (`totalCount` as the first resources had it, `page` for the console). */
export const ListOf = <T extends TSchema>(item: T) => Type.Object({ data: Type.Array(item), totalCount: Type.Integer(), page: PageInfo });

export function listAnswer<T, W>(r: { objects: T[]; totalCount: number }, page: { pageSize: number; pageIndex: number }, toWire: (t: T) => W): { data: W[]; totalCount: number; page: { pageIndex: number; pageSize: number; totalCount: number } } {
  return { data: r.objects.map(toWire), totalCount: r.totalCount, page: { ...page, totalCount: r.totalCount } };
}

/** A date-time text to unix seconds, or a 400 naming the field. */
export function secondsOf(text: string, field: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw fail(E.INVALID_REQUEST, { DETAIL: `${field} is not a valid date-time` });
  return Math.floor(ms / 1000);
}

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 320 }) });
export const UuidParams = Type.Object({ id: Uuid });

export const iso = (sec: number): string => new Date(sec * 1000).toISOString();
export const isoOrNull = (sec: number | null): string | null => (sec === null ? null : iso(sec));
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Security requirements for OpenAPI: a user's access token, or an API key in the header or query. */
type Security = Array<{ [scheme: string]: string[] }>;
export const ANY_CREDENTIAL: Security = [{ bearer: [] }, { apiKeyHeader: [] }, { apiKeyQuery: [] }];
export const ACCESS_TOKEN_ONLY: Security = [{ bearer: [] }];
