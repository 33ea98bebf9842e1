/** Random identifiers and secrets, all drawn from the CSPRNG. */
import { randomBytes } from 'node:crypto';

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
/** Largest multiple of 36 that fits in a byte; bytes at or above it are thrown away so each digit is uniform. */
const BASE36_LIMIT = 252;

function assertCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer, got ${n}`);
}

/** `bytes` random bytes as lower-case hex (2 × bytes characters). */
export function randomHex(bytes: number): string {
  assertCount('randomHex bytes', bytes);
  return randomBytes(bytes).toString('hex');
}

/**
 * `len` uniformly random characters from `[0-9a-z]`. Uses rejection sampling: `byte % 36` on all
 * 256 byte values would make the first four digits slightly more likely.
 */
export function randomBase36(len: number): string {
  assertCount('randomBase36 len', len);
  let out = '';
  while (out.length < len) {
    // ~1.6% of bytes are rejected; over-draw a little so one batch is nearly always enough.
    for (const b of randomBytes(len - out.length + 8)) {
      if (b >= BASE36_LIMIT) continue;
      out += BASE36[b % 36];
      if (out.length === len) break;
    }
  }
  return out;
}

/** A new partner (admin or user) secret: 32 lower-case hex characters from 16 random bytes (§2.2). */
export function generatePartnerSecret(): string {
  return randomHex(16);
}
