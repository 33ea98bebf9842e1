/**
 * Reading a serial-id log from a LogCursor (core/log-cursor.ts): the rows above its last id plus
 * the ids it skipped, which may have committed since.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { gapIds, type LogCursor } from '../../core/log-cursor.js';

/** The `where` of a log read (one table, column `id`): above the last id read, or one of the gaps. */
export function afterCursor(cursor: LogCursor): RawBuilder<SqlBool> {
  const gaps = gapIds(cursor);
  return gaps.length === 0 ? sql<SqlBool>`id > ${cursor.last}` : sql<SqlBool>`(id > ${cursor.last} or id in (${sql.join(gaps)}))`;
}
