/**
 * Tickets of sign-ins in progress: sealed payloads under the hash of a browser-held random value.
 * `take` is one DELETE … RETURNING (SQLite ≥ 3.35 and PostgreSQL alike), so a ticket is used at
 * most once even when two nodes race for it.
 */
import type { Kysely } from 'kysely';
import type { SecretBox } from '../../core/crypto/secret-box.js';
import type { SsoTicket, SsoTicketRepo, TicketKind } from '../../services/sso/model.js';
import { parseJsonObject } from '../errors.js';
import type { Database } from '../schema.js';

const payloadCtx = (kind: TicketKind, id: string) => `sso_ticket:${kind}:${id}`;

export class SqlSsoTicketRepo implements SsoTicketRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  async put(t: SsoTicket): Promise<void> {
    // Expired tickets are never taken; dropping them here keeps the table to the sign-ins of the last minutes.
    await this.db.deleteFrom('sso_tickets').where('expires_at', '<=', t.createdAt).execute();
    await this.db
      .insertInto('sso_tickets')
      .values({ id: t.id, kind: t.kind, binding: t.binding, payload_enc: this.box.seal(JSON.stringify(t.payload), payloadCtx(t.kind, t.id)), created_at: t.createdAt, expires_at: t.expiresAt })
      .execute();
  }

  async take(kind: TicketKind, id: string, now: number): Promise<SsoTicket | undefined> {
    const r = await this.db.deleteFrom('sso_tickets').where('id', '=', id).where('kind', '=', kind).returningAll().executeTakeFirst();
    if (!r || Number(r.expires_at) <= now) return undefined;
    return { kind, id: r.id, binding: r.binding, payload: parseJsonObject(this.box.open(r.payload_enc, payloadCtx(kind, r.id))), createdAt: Number(r.created_at), expiresAt: Number(r.expires_at) };
  }
}
