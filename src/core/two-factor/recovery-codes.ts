/**
 * Recovery codes: ten single-use codes shown once at enrolment, accepted wherever a TOTP code is.
 * 16 characters of Crockford's base32 (80 bits from the CSPRNG), shown in groups of four. Stored
 * only as HMAC-SHA-256 under the installation's pepper with the login bound into the MAC — the API
 * keys' scheme (SECURITY.md §5.2): a copy of the table is useless without the master key, and a
 * code of one login means nothing for another. Looked up by that hash, so no byte-wise comparison
 * of the code ever happens.
 */
import { createHmac, randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 16;
const GROUP = 4;
/** Longer input is no recovery code; it is not hashed at all. */
const MAX_INPUT = 64;

/** Fresh codes, formatted for people (`XXXX-XXXX-XXXX-XXXX`). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let code = '';
    for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
    out.push(code.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-'));
  }
  return out;
}

/**
 * A typed code as stored: separators and case dropped, and the letters people confuse with digits
 * read as Crockford's base32 reads them (O→0, I and L→1). Undefined when it cannot be a code.
 */
export function normalizeRecoveryCode(input: string): string | undefined {
  if (input.length > MAX_INPUT) return undefined;
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== LENGTH) return undefined;
  for (const ch of s) if (!ALPHABET.includes(ch)) return undefined;
  return s;
}

/** The stored form of a (normalized) code of one login. */
export function hashRecoveryCode(pepper: Buffer, loginDataId: number, normalized: string): string {
  return createHmac('sha256', pepper).update(`two-factor-recovery:${loginDataId}:${normalized}`, 'utf8').digest('base64url');
}
