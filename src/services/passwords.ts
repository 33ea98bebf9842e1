/**
 * Password hashing and rules. argon2id with OWASP's first parameter row (19 MiB, t=2, p=1).
 * Rules follow ASVS rather than Kaltura's composition rules: length 8..256, verified exactly as
 * entered, not one of the most common passwords, and not containing the user's names or email
 * (the part Kaltura and the seed insist on). See README "Compatibility notes".
 */
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { E, fail } from '../core/errors/index.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

const ARGON = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const MIN_PASSWORD = 8;
export const MAX_PASSWORD = 256;

export const PASSWORD_RULES =
  `- Between ${MIN_PASSWORD} and ${MAX_PASSWORD} characters.\n- Not one of the most common passwords.\n- Must not contain your name or email.`;

export class PasswordService {
  private dummy: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return argonHash(password, ARGON);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    if (password.length > MAX_PASSWORD * 4) return false;
    try {
      return await argonVerify(hash, password);
    } catch {
      return false;
    }
  }

  /**
   * Burns the same time as a real verification, so "no such login" and "wrong password" cannot be
   * told apart by timing (ASVS 6.3.8).
   */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(16).toString('hex'));
    await this.verify(await this.dummy, password);
    return false;
  }

  /** Throws PASSWORD_STRUCTURE_INVALID / COMMON_PASSWORD when the password breaks a rule. */
  check(password: string, who: { firstName?: string; lastName?: string; email?: string }): void {
    const bad = () => fail(E.PASSWORD_STRUCTURE_INVALID, { RULES: PASSWORD_RULES });
    const len = [...password].length;
    if (len < MIN_PASSWORD || len > MAX_PASSWORD) throw bad();
    const lower = password.toLowerCase();
    for (const name of [who.firstName, who.lastName]) {
      if (name && name.length > 2 && lower.includes(name.toLowerCase())) throw bad();
    }
    const full = `${who.firstName ?? ''}${who.lastName ?? ''}`.toLowerCase();
    // Like the single names, only a full name longer than two characters is a meaningful fragment.
    if (who.firstName && who.lastName && full.length > 2 && lower.includes(full)) throw bad();
    if (who.email) {
      const email = who.email.toLowerCase();
      const local = email.split('@')[0] ?? '';
      if (lower === email || (local.length > 2 && lower.includes(local))) throw bad();
    }
    if (COMMON_PASSWORDS.has(lower)) throw fail(E.COMMON_PASSWORD);
  }

  /** A random password that satisfies every rule (for generated admin logins). */
  generate(): string {
    return randomBytes(18).toString('base64url');
  }
}
