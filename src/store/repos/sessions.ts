import { sql, type Kysely } from 'kysely';
import type { SessionStateRepo } from '../../services/ports.js';
import type { Database } from '../schema.js';

export class SqlSessionStateRepo implements SessionStateRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async revoke(hash: string, expiresAt: number, now: number): Promise<void> {
    // Revoking twice keeps the later expiry; the row id changes so every node's poller sees it again.
    await this.db
      .insertInto('invalid_sessions')
      .values({ hash, expires_at: expiresAt, created_at: now })
      .onConflict((oc) => oc.column('hash').doUpdateSet({ expires_at: sql<number>`case when invalid_sessions.expires_at > excluded.expires_at then invalid_sessions.expires_at else excluded.expires_at end` }))
      .execute();
  }

  async revokedSince(cursor: number, now: number): Promise<{ cursor: number; hashes: Array<{ hash: string; expiresAt: number }> }> {
    const rows = await this.db
      .selectFrom('invalid_sessions')
      .select(['id', 'hash', 'expires_at'])
      .where('id', '>', cursor)
      .orderBy('id')
      .limit(10000)
      .execute();
    const last = rows.at(-1);
    return { cursor: last ? last.id : cursor, hashes: rows.filter((r) => r.expires_at > now).map((r) => ({ hash: r.hash, expiresAt: r.expires_at })) };
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
