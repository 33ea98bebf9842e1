/**
 * Shared TypeBox schemas of the REST door. Schemas are types, docs and output filters (STYLE
 * rule 7): request bodies refuse unknown properties, and responses are serialised through their
 * schema, so a field that is not listed here (a hash, a sealed secret) can never reach the wire.
 */
import { Type, type TSchema } from 'typebox';
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
});

export function pageOf(q: { pageSize?: number | undefined; pageIndex?: number | undefined }): { pageSize: number; pageIndex: number } {
  return { pageSize: q.pageSize ?? 100, pageIndex: q.pageIndex ?? 1 };
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
