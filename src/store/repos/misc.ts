/** Small repositories: widgets, system state, change feed. */
import type { Kysely } from 'kysely';
import { advanceCursor, type LogCursor } from '../../core/log-cursor.js';
import { afterCursor } from './log-read.js';
import type { Widget } from '../../services/model.js';
import type { ChangeFeed, SystemStateRepo, WidgetRepo } from '../../services/ports.js';
import { isUniqueViolation } from '../errors.js';
import type { Database } from '../schema.js';

export class SqlWidgetRepo implements WidgetRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: string): Promise<Widget | undefined> {
    const r = await this.db.selectFrom('widgets').selectAll().where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, partnerId: r.partner_id, roleId: r.role_id, privileges: r.privileges, entryId: r.entry_id, createdAt: r.created_at };
  }

  async insert(w: Widget): Promise<Widget> {
    await this.db
      .insertInto('widgets')
      .values({ id: w.id, partner_id: w.partnerId, role_id: w.roleId, privileges: w.privileges, entry_id: w.entryId, created_at: w.createdAt })
      .execute();
    return w;
  }
}

export class SqlSystemStateRepo implements SystemStateRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('system_state').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  }

  async setIfAbsent(key: string, value: string): Promise<boolean> {
    try {
      await this.db.insertInto('system_state').values({ key, value }).execute();
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }
}

export class SqlChangeFeed implements ChangeFeed {
  constructor(private readonly db: Kysely<Database>) {}

  async publish(topic: string, key: string, now: number): Promise<void> {
    await this.db.insertInto('change_log').values({ topic, key, at: now }).execute();
  }

  async since(cursor: LogCursor): Promise<{ cursor: LogCursor; changes: Array<{ topic: string; key: string }> }> {
    const rows = await this.db.selectFrom('change_log').select(['id', 'topic', 'key']).where(afterCursor(cursor)).orderBy('id').limit(5000).execute();
    return { cursor: advanceCursor(cursor, rows.map((r) => r.id), Date.now()), changes: rows.map((r) => ({ topic: r.topic, key: r.key })) };
  }
}
