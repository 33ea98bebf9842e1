/**
 * The app-token proof of protocol §3.3: lower-case hex HASH(ks exactly as sent + token).
 * MD5 is accepted only because Kaltura clients send it (ASVS 11.4.1 discourages it); it is not the
 * default and the docs steer integrators to SHA256.
 */
import { createHash } from 'node:crypto';
import { safeEqual } from '../crypto/compare.js';

const ALGORITHMS = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' } as const;
export type AppTokenHashName = keyof typeof ALGORITHMS;

export function appTokenHash(hashType: AppTokenHashName, ks: string, token: string): string {
  return createHash(ALGORITHMS[hashType]).update(ks + token, 'utf8').digest('hex');
}

/** Compares in constant time; the caller's hash must be exactly the lower-case hex form. */
export function verifyAppTokenHash(hashType: AppTokenHashName, ks: string, token: string, given: string): boolean {
  return safeEqual(appTokenHash(hashType, ks, token), given);
}
