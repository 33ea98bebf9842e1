/** Table types of two-factor enrolments and recovery codes (migration 0009); part of schema.ts's Database. */

export interface TwoFactorTable {
  login_data_id: number;
  enrolment_id: string;
  /** AES-256-GCM sealed base32 TOTP secret. */
  secret_enc: string;
  status: 'pending' | 'confirmed';
  last_step: number | null;
  created_at: number;
  confirmed_at: number | null;
}

export interface TwoFactorRecoveryCodesTable {
  login_data_id: number;
  /** base64url HMAC-SHA-256 under the installation's pepper; never the code. */
  code_hash: string;
  used_at: number | null;
}
