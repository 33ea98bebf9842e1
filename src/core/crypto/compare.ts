/** Constant-time string comparison for secrets, tokens and hashes. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * timingSafeEqual needs equal lengths, and an early length check would leak the length of the
 * secret. Comparing fixed-size HMACs of both sides hides it; the per-process random key means an
 * attacker cannot precompute inputs whose digests collide or share prefixes.
 */
const COMPARE_KEY = randomBytes(32);

/**
 * True when `a` and `b` are the same string, in time independent of where they differ and of
 * their lengths (UTF-8 bytes are compared).
 */
export function safeEqual(a: string, b: string): boolean {
  const da = createHmac('sha256', COMPARE_KEY).update(a, 'utf8').digest();
  const db = createHmac('sha256', COMPARE_KEY).update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
