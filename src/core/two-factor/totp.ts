/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA-1, 6 digits,
 * 30-second steps — the only parameters every app honours (Google Authenticator ignores the
 * others), and the ones of Kaltura's `otp`. The arithmetic is otpauth's; what is ours is the
 * acceptance rule: a code is good for its step and one step either side (clock drift), and only
 * for a step later than the last one accepted, so each code works once (RFC 6238 §5.2).
 */
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that are accepted. */
export const TOTP_WINDOW = 1;
/** 160-bit secrets, the HMAC-SHA-1 key size RFC 4226 §4 recommends. */
const SECRET_BYTES = 20;

/** A new secret, base32 (what authenticator apps are given). */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

function totp(secret: string, label = '', issuer = ''): TOTP {
  return new TOTP({ issuer, label, issuerInLabel: issuer !== '', algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD, secret: Secret.fromBase32(secret) });
}

/** The `otpauth://totp/...` URI an authenticator app reads from the QR code. */
export function otpauthUri(secret: string, label: string, issuer: string): string {
  return totp(secret, label, issuer).toString();
}

/** The code for the step that holds `nowMs` (tests and benchmarks stand in for the app with it). */
export function totpCode(secret: string, nowMs: number): string {
  return totp(secret).generate({ timestamp: nowMs });
}

/** The time step that holds `nowMs`. */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD);
}

/** True when `code` looks like a TOTP code (else it is taken for a recovery code). */
export function isTotpShaped(code: string): boolean {
  return code.length === TOTP_DIGITS && /^[0-9]+$/.test(code);
}

export type TotpMatch = { readonly ok: true; readonly step: number } | { readonly ok: false; readonly reason: 'wrong' | 'replayed' };

/**
 * Whether `code` is the secret's code for a step within the window around `nowMs`, and whether that
 * step is later than `lastStep`. The comparison is constant-time (otpauth compares with
 * timingSafeEqual). Accepting the step is the caller's guarded write: this only says which step.
 */
export function matchTotp(secret: string, code: string, nowMs: number, lastStep: number | null): TotpMatch {
  if (!isTotpShaped(code)) return { ok: false, reason: 'wrong' };
  const delta = totp(secret).validate({ token: code, timestamp: nowMs, window: TOTP_WINDOW });
  if (delta === null) return { ok: false, reason: 'wrong' };
  const step = totpStep(nowMs) + delta;
  if (lastStep !== null && step <= lastStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}
