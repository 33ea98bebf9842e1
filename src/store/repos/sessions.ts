import { sql, type Kysely } from 'kysely';
import { advanceCursor, type LogCursor } from '../../core/log-cursor.js';
import { afterCursor } from './log-read.js';
import type { SessionStateRepo } from '../../services/ports.js';
import type { Database } from '../schema.js';

export class SqlSessionStateRepo implements SessionStateRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async revoke(hash: string, expiresAt: number, now: number): Promise<void> {
    // Revoking twice keeps the later expiry. A later expiry is written as a new row (a new id), so
    // every node's poller reads it again: an update in place would leave other nodes with the
    // earlier expiry, after which they would accept the session again.
    await this.db.transaction().execute(async (trx) => {
      const prev = await trx.selectFrom('invalid_sessions').select('expires_at').where('hash', '=', hash).executeTakeFirst();
      if (prev && prev.expires_at >= expiresAt) return;
      if (prev) await trx.deleteFrom('invalid_sessions').where('hash', '=', hash).execute();
      await trx
        .insertInto('invalid_sessions')
        .values({ hash, expires_at: expiresAt, created_at: now })
        // Two nodes revoking the same hash at once: the later expiry wins either way.
        .onConflict((oc) => oc.column('hash').doUpdateSet({ expires_at: sql<number>`case when invalid_sessions.expires_at > excluded.expires_at then invalid_sessions.expires_at else excluded.expires_at end` }))
        .execute();
    });
  }

  async revokedSince(cursor: LogCursor, now: number): Promise<{ cursor: LogCursor; hashes: Array<{ hash: string; expiresAt: number }> }> {
    const rows = await this.db.selectFrom('invalid_sessions').select(['id', 'hash', 'expires_at']).where(afterCursor(cursor)).orderBy('id').limit(10000).execute();
    return {
      cursor: advanceCursor(cursor, rows.map((r) => r.id), Date.now()),
      hashes: rows.filter((r) => r.expires_at > now).map((r) => ({ hash: r.hash, expiresAt: r.expires_at })),
    };
  }

  async consumeAction(hash: string, limit: number, expiresAt: number): Promise<boolean> {
    // First use creates the counter; every use (the first included) is one guarded decrement.
    await this.db.insertInto('ks_usage').values({ hash, remaining: limit, expires_at: expiresAt }).onConflict((oc) => oc.column('hash').doNothing()).execute();
    const r = await this.db
      .updateTable('ks_usage')
      .set({ remaining: sql<number>`remaining - 1` })
      .where('hash', '=', hash)
      .where('remaining', '>', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async purgeExpired(now: number): Promise<void> {
    await this.db.deleteFrom('invalid_sessions').where('expires_at', '<=', now).execute();
    await this.db.deleteFrom('ks_usage').where('expires_at', '<=', now).execute();
  }
}
