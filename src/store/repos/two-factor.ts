/**
 * Two-factor enrolments and recovery codes (migration 0009). The TOTP secret is sealed here, bound
 * to its login in the sealing context, so a sealed value copied to another login does not open.
 * Every "use once" is a guarded update whose affected-row count says who won.
 */
import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../../core/crypto/secret-box.js';
import type { TwoFactorEnrolment, TwoFactorRepo } from '../../services/ports-two-factor.js';
import type { Database } from '../schema.js';
import type { TwoFactorTable } from '../schema-two-factor.js';

const secretCtx = (loginDataId: number) => `login_data:${loginDataId}:totp_secret`;

export class SqlTwoFactorRepo implements TwoFactorRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  /** Runs `fn` in a transaction of its own, or in the caller's when the repository is bound to one. */
  private atomically<T>(fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? fn(this.db) : this.db.transaction().execute(fn);
  }

  private toDomain(r: Selectable<TwoFactorTable>): TwoFactorEnrolment {
    return {
      loginDataId: r.login_data_id,
      enrolmentId: r.enrolment_id,
      secret: this.box.open(r.secret_enc, secretCtx(r.login_data_id)),
      status: r.status,
      lastStep: r.last_step === null ? null : Number(r.last_step),
      createdAt: Number(r.created_at),
      confirmedAt: r.confirmed_at === null ? null : Number(r.confirmed_at),
    };
  }

  async get(loginDataId: number): Promise<TwoFactorEnrolment | undefined> {
    const r = await this.db.selectFrom('two_factor').selectAll().where('login_data_id', '=', loginDataId).executeTakeFirst();
    return r && this.toDomain(r);
  }

  start(e: Omit<TwoFactorEnrolment, 'status' | 'lastStep' | 'confirmedAt'>): Promise<boolean> {
    return this.atomically(async (tx) => {
      // Only a pending enrolment is replaced: a confirmed one must be removed (with a code) first.
      await tx.deleteFrom('two_factor').where('login_data_id', '=', e.loginDataId).where('status', '=', 'pending').execute();
      const r = await tx
        .insertInto('two_factor')
        .values({ login_data_id: e.loginDataId, enrolment_id: e.enrolmentId, secret_enc: this.box.seal(e.secret, secretCtx(e.loginDataId)), status: 'pending', last_step: null, created_at: e.createdAt, confirmed_at: null })
        .onConflict((oc) => oc.column('login_data_id').doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
      await tx.deleteFrom('two_factor_recovery_codes').where('login_data_id', '=', e.loginDataId).execute();
      return true;
    });
  }

  confirm(loginDataId: number, enrolmentId: string, step: number, recoveryHashes: readonly string[], now: number): Promise<boolean> {
    return this.atomically(async (tx) => {
      const r = await tx
        .updateTable('two_factor')
        .set({ status: 'confirmed', last_step: step, confirmed_at: now })
        .where('login_data_id', '=', loginDataId)
        .where('enrolment_id', '=', enrolmentId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      await tx.deleteFrom('two_factor_recovery_codes').where('login_data_id', '=', loginDataId).execute();
      if (recoveryHashes.length) await tx.insertInto('two_factor_recovery_codes').values(recoveryHashes.map((h) => ({ login_data_id: loginDataId, code_hash: h, used_at: null }))).execute();
      return true;
    });
  }

  async acceptStep(loginDataId: number, step: number): Promise<boolean> {
    const r = await this.db
      .updateTable('two_factor')
      .set({ last_step: step })
      .where('login_data_id', '=', loginDataId)
      .where('status', '=', 'confirmed')
      .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async hasRecoveryCode(loginDataId: number, codeHash: string): Promise<boolean> {
    const r = await this.db.selectFrom('two_factor_recovery_codes').select('login_data_id').where('login_data_id', '=', loginDataId).where('code_hash', '=', codeHash).where('used_at', 'is', null).executeTakeFirst();
    return r !== undefined;
  }

  async useRecoveryCode(loginDataId: number, codeHash: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('two_factor_recovery_codes')
      .set({ used_at: now })
      .where('login_data_id', '=', loginDataId)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async recoveryCodesLeft(loginDataId: number): Promise<number> {
    const r = await this.db.selectFrom('two_factor_recovery_codes').select((eb) => eb.fn.countAll<number | string>().as('n')).where('login_data_id', '=', loginDataId).where('used_at', 'is', null).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  remove(loginDataId: number): Promise<boolean> {
    return this.atomically(async (tx) => {
      await tx.deleteFrom('two_factor_recovery_codes').where('login_data_id', '=', loginDataId).execute();
      const r = await tx.deleteFrom('two_factor').where('login_data_id', '=', loginDataId).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    });
  }
}
