import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** Dialect-specific constraint errors, translated in one place. */

export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  // SQLite (better-sqlite3) and PostgreSQL (SQLSTATE 23505).
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

export function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function parseJsonArray(text: string): unknown[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** Escapes LIKE wildcards so user text matches literally. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Case-insensitive LIKE that behaves the same on SQLite and PostgreSQL: both sides lower-cased
 * and an explicit escape character (SQLite has none by default).
 */
export function likeCi(column: string, kind: 'contains' | 'startsWith', text: string): RawBuilder<SqlBool> {
  const esc = likeEscape(text.toLowerCase());
  const pattern = kind === 'contains' ? `%${esc}%` : `${esc}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

export function pageOffset(page: { pageSize: number; pageIndex: number }): { limit: number; offset: number } {
  return { limit: page.pageSize, offset: (page.pageIndex - 1) * page.pageSize };
}
