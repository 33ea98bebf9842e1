/** API consumers and their JWT credentials. HS256 secrets are sealed, bound to their credential row. */
import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../../core/crypto/secret-box.js';
import type { Consumer, ConsumerCredential, CredentialAlgorithm, CredentialKind, ListResult, Page } from '../../services/model.js';
import { DuplicateKeyError, type ConsumerRepo, type ConsumerRegistrationSettings, type PoolSigningKey } from '../../services/ports.js';
import { isUniqueViolation, likeCi, pageOffset } from '../errors.js';
import type { ConsumerCredentialsTable, ConsumersTable, Database } from '../schema.js';
import { strings } from './api-keys.js';

/** The AAD binds a sealed secret to its own credential, so a value copied onto another row does not open. */
const secretCtx = (id: string) => `consumer_credential:${id}:secret`;

/** A pool key's private key is bound to its own credential row as well. */
const privateKeyCtx = (id: string) => `consumer_credential:${id}:private_key`;

function consumerOf(r: Selectable<ConsumersTable>): Consumer {
  return {
    id: r.id,
    partnerId: r.partner_id,
    username: r.username,
    groups: strings(r.groups),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    registrationGroup: r.registration_group ?? null,
    credentialLifetime: r.credential_lifetime === null || r.credential_lifetime === undefined ? null : Number(r.credential_lifetime),
    registrationRateLimit: r.registration_rate_limit ?? null,
  };
}

export class SqlConsumerRepo implements ConsumerRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  private credentialOf(r: Selectable<ConsumerCredentialsTable>): ConsumerCredential {
    return {
      id: r.id,
      partnerId: r.partner_id,
      consumerId: r.consumer_id,
      key: r.key,
      algorithm: r.algorithm as CredentialAlgorithm,
      secret: r.secret_enc === null ? null : this.box.open(r.secret_enc, secretCtx(r.id)),
      publicKey: r.public_key,
      createdAt: r.created_at,
      deprecatedAt: r.deprecated_at,
      expiresAt: r.expires_at,
      replacedBy: r.replaced_by,
      kind: r.kind as CredentialKind,
    };
  }

  async insert(c: Consumer): Promise<Consumer> {
    try {
      await this.db
        .insertInto('consumers')
        .values({ id: c.id, partner_id: c.partnerId, username: c.username, groups: JSON.stringify(c.groups), created_at: c.createdAt, updated_at: c.updatedAt })
        .execute();
      return c;
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('consumers.username');
      throw e;
    }
  }

  async byUsername(partnerId: number, username: string): Promise<Consumer | undefined> {
    const r = await this.db.selectFrom('consumers').selectAll().where('partner_id', '=', partnerId).where('username', '=', username).executeTakeFirst();
    return r && consumerOf(r);
  }

  async list(partnerId: number, page: Page, search?: string): Promise<ListResult<Consumer>> {
    let q = this.db.selectFrom('consumers').where('partner_id', '=', partnerId);
    if (search) q = q.where(likeCi('username', 'contains', search));
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll().orderBy('username').limit(limit).offset(offset).execute();
    return { objects: rows.map(consumerOf), totalCount: Number(total?.n ?? 0) };
  }

  async setGroups(partnerId: number, id: string, groups: readonly string[], now: number): Promise<Consumer | undefined> {
    await this.db.updateTable('consumers').set({ groups: JSON.stringify(groups), updated_at: now }).where('partner_id', '=', partnerId).where('id', '=', id).execute();
    const r = await this.db.selectFrom('consumers').selectAll().where('partner_id', '=', partnerId).where('id', '=', id).executeTakeFirst();
    return r && consumerOf(r);
  }

  async delete(partnerId: number, id: string): Promise<string[]> {
    const keys = await this.db.selectFrom('consumer_credentials').select('key').where('partner_id', '=', partnerId).where('consumer_id', '=', id).execute();
    // Credentials first (the foreign key cascades as well; this keeps it explicit on both dialects).
    await this.db.deleteFrom('consumer_credentials').where('partner_id', '=', partnerId).where('consumer_id', '=', id).execute();
    await this.db.deleteFrom('consumers').where('partner_id', '=', partnerId).where('id', '=', id).execute();
    return keys.map((k) => k.key);
  }

  insertCredential(c: ConsumerCredential): Promise<ConsumerCredential> {
    return this.insertCredentialRow(c, null);
  }

  private async insertCredentialRow(c: ConsumerCredential, privateKeyPem: string | null): Promise<ConsumerCredential> {
    try {
      await this.db
        .insertInto('consumer_credentials')
        .values({
          id: c.id,
          partner_id: c.partnerId,
          consumer_id: c.consumerId,
          key: c.key,
          algorithm: c.algorithm,
          secret_enc: c.secret === null ? null : this.box.seal(c.secret, secretCtx(c.id)),
          public_key: c.publicKey,
          created_at: c.createdAt,
          deprecated_at: c.deprecatedAt,
          expires_at: c.expiresAt,
          replaced_by: c.replacedBy,
          kind: c.kind ?? 'standard',
          private_key_enc: privateKeyPem === null ? null : this.box.seal(privateKeyPem, privateKeyCtx(c.id)),
        })
        .execute();
      return c;
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('consumer_credentials.key');
      throw e;
    }
  }

  async credentials(partnerId: number, consumerId: string, withDevices = true): Promise<ConsumerCredential[]> {
    let q = this.db.selectFrom('consumer_credentials').selectAll().where('partner_id', '=', partnerId).where('consumer_id', '=', consumerId);
    if (!withDevices) q = q.where('kind', '!=', 'device');
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => this.credentialOf(r));
  }

  async deviceCredentialCount(partnerId: number, consumerId: string): Promise<number> {
    const r = await this.db.selectFrom('consumer_credentials').select((eb) => eb.fn.countAll().as('n')).where('partner_id', '=', partnerId).where('consumer_id', '=', consumerId).where('kind', '=', 'device').executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async credentialKeys(partnerId: number, consumerId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('consumer_credentials').select('key').where('partner_id', '=', partnerId).where('consumer_id', '=', consumerId).execute();
    return rows.map((r) => r.key);
  }

  async credentialByKey(key: string): Promise<{ credential: ConsumerCredential; consumer: Consumer } | undefined> {
    return (await this.credentialsByKeys([key])).get(key);
  }

  async credentialsByKeys(keys: readonly string[]): Promise<Map<string, { credential: ConsumerCredential; consumer: Consumer }>> {
    const found = new Map<string, { credential: ConsumerCredential; consumer: Consumer }>();
    if (keys.length === 0) return found;
    const creds = await this.db.selectFrom('consumer_credentials').selectAll().where('key', 'in', keys).execute();
    if (creds.length === 0) return found;
    const ids = [...new Set(creds.map((c) => c.consumer_id))];
    const consumers = new Map((await this.db.selectFrom('consumers').selectAll().where('id', 'in', ids).execute()).map((c) => [c.id, c]));
    for (const cred of creds) {
      const consumer = consumers.get(cred.consumer_id);
      // The consumer must be the credential's partner's.
      if (consumer && consumer.partner_id === cred.partner_id) found.set(cred.key, { credential: this.credentialOf(cred), consumer: consumerOf(consumer) });
    }
    return found;
  }

  async deprecate(partnerId: number, key: string, now: number, expiresAt: number | null | undefined): Promise<ConsumerCredential | undefined> {
    const scope = () => this.db.updateTable('consumer_credentials').where('partner_id', '=', partnerId).where('key', '=', key);
    // Guarded: only the first deprecation sets the time, and a hard expiry can only move earlier,
    // so repeating the call cannot extend or revive anything.
    await scope().set({ deprecated_at: now }).where('deprecated_at', 'is', null).execute();
    if (typeof expiresAt === 'number') {
      await scope()
        .set({ expires_at: expiresAt })
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', expiresAt)]))
        .execute();
    }
    const r = await this.db.selectFrom('consumer_credentials').selectAll().where('partner_id', '=', partnerId).where('key', '=', key).executeTakeFirst();
    return r && this.credentialOf(r);
  }

  async setRegistration(partnerId: number, id: string, settings: ConsumerRegistrationSettings, now: number): Promise<Consumer | undefined> {
    await this.db
      .updateTable('consumers')
      .set({ registration_group: settings.registrationGroup, credential_lifetime: settings.credentialLifetime, registration_rate_limit: settings.registrationRateLimit, updated_at: now })
      .where('partner_id', '=', partnerId)
      .where('id', '=', id)
      .execute();
    const r = await this.db.selectFrom('consumers').selectAll().where('partner_id', '=', partnerId).where('id', '=', id).executeTakeFirst();
    return r && consumerOf(r);
  }

  async rotateDeviceSecret(consumer: Consumer, key: string, secret: string, expiresAt: number | null): Promise<ConsumerCredential | undefined> {
    const row = await this.db.selectFrom('consumer_credentials').select('id').where('consumer_id', '=', consumer.id).where('key', '=', key).where('kind', '=', 'device').where('algorithm', '=', 'HS256').executeTakeFirst();
    if (!row) return undefined;
    // One statement: the old secret stops opening the moment the new one is written.
    await this.db.updateTable('consumer_credentials').set({ secret_enc: this.box.seal(secret, secretCtx(row.id)), expires_at: expiresAt }).where('id', '=', row.id).execute();
    const r = await this.db.selectFrom('consumer_credentials').selectAll().where('id', '=', row.id).executeTakeFirst();
    return r && this.credentialOf(r);
  }

  async insertPoolKey(c: ConsumerCredential, privateKeyPem: string): Promise<void> {
    await this.insertCredentialRow({ ...c, kind: 'pool' }, privateKeyPem);
  }

  async poolKeys(partnerId: number, consumerId: string): Promise<ConsumerCredential[]> {
    const rows = await this.db.selectFrom('consumer_credentials').selectAll().where('partner_id', '=', partnerId).where('consumer_id', '=', consumerId).where('kind', '=', 'pool').orderBy('created_at').orderBy('key').execute();
    return rows.map((r) => this.credentialOf(r));
  }

  async poolSigningKeys(partnerId: number, consumerId: string, now: number): Promise<PoolSigningKey[]> {
    const rows = await this.db
      .selectFrom('consumer_credentials')
      .select(['id', 'key', 'private_key_enc'])
      .where('partner_id', '=', partnerId)
      .where('consumer_id', '=', consumerId)
      .where('kind', '=', 'pool')
      .where('private_key_enc', 'is not', null)
      .where('deprecated_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
    return rows.map((r) => ({ kid: r.key, privateKeyPem: this.box.open(r.private_key_enc!, privateKeyCtx(r.id)) }));
  }

  async retirePoolKey(partnerId: number, consumerId: string, key: string, now: number): Promise<ConsumerCredential | undefined> {
    // The private key goes (nothing signs with it again) and the credential is deprecated and
    // expires now, so every token it signed is refused (deprecation does not depend on the clocks
    // of the node that retires and the nodes that verify agreeing); the row stays, as the record.
    await this.db
      .updateTable('consumer_credentials')
      .set({ private_key_enc: null, deprecated_at: now, expires_at: now })
      .where('partner_id', '=', partnerId)
      .where('consumer_id', '=', consumerId)
      .where('kind', '=', 'pool')
      .where('key', '=', key)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
    const r = await this.db.selectFrom('consumer_credentials').selectAll().where('partner_id', '=', partnerId).where('consumer_id', '=', consumerId).where('kind', '=', 'pool').where('key', '=', key).executeTakeFirst();
    return r && this.credentialOf(r);
  }

  async markReplaced(partnerId: number, key: string, replacementId: string): Promise<boolean> {
    // Guarded write: of two rotations racing with the same credential exactly one sets the
    // replacement; the other updates no row and is refused.
    const r = await this.db
      .updateTable('consumer_credentials')
      .set({ replaced_by: replacementId })
      .where('partner_id', '=', partnerId)
      .where('key', '=', key)
      .where('replaced_by', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
