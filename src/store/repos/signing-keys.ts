/** Access-token signing keys. The private JWK is sealed under the master key, bound to its kid. */
import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../../core/crypto/secret-box.js';
import type { SigningKey } from '../../services/model.js';
import type { SigningKeyRepo } from '../../services/ports.js';
import { isUniqueViolation, parseJsonObject } from '../errors.js';
import type { Database, SigningKeysTable } from '../schema.js';

const privateCtx = (kid: string) => `signing_key:${kid}:private_jwk`;

export class SqlSigningKeyRepo implements SigningKeyRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  private toDomain(r: Selectable<SigningKeysTable>): SigningKey {
    return {
      kid: r.kid,
      alg: 'ES256',
      publicJwk: parseJsonObject(r.public_jwk),
      privateJwk: parseJsonObject(this.box.open(r.private_jwk_enc, privateCtx(r.kid))),
      activatesAt: r.activates_at,
      retiresAt: r.retires_at,
      createdAt: r.created_at,
    };
  }

  async list(retiredAfter: number): Promise<SigningKey[]> {
    const rows = await this.db.selectFrom('signing_keys').selectAll().where('retires_at', '>', retiredAfter).orderBy('activates_at').execute();
    return rows.map((r) => this.toDomain(r));
  }

  async insert(k: SigningKey): Promise<boolean> {
    try {
      await this.db
        .insertInto('signing_keys')
        .values({
          kid: k.kid,
          alg: k.alg,
          public_jwk: JSON.stringify(k.publicJwk),
          private_jwk_enc: this.box.seal(JSON.stringify(k.privateJwk), privateCtx(k.kid)),
          activates_at: k.activatesAt,
          retires_at: k.retiresAt,
          created_at: k.createdAt,
        })
        .execute();
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async purge(before: number): Promise<void> {
    await this.db.deleteFrom('signing_keys').where('retires_at', '<', before).execute();
  }
}
