import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from '../../src/core/two-factor/recovery-codes.js';
import { isTotpShaped, matchTotp, newTotpSecret, otpauthUri, totpCode, totpStep, TOTP_PERIOD } from '../../src/core/two-factor/totp.js';

// RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890" in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const STEP_MS = TOTP_PERIOD * 1000;

describe('TOTP (RFC 6238)', () => {
  it("matches the RFC's test vectors (last six digits)", () => {
    expect(totpCode(RFC_SECRET, 59_000)).toBe('287082');
    expect(totpCode(RFC_SECRET, 1_111_111_109_000)).toBe('081804');
    expect(totpCode(RFC_SECRET, 20_000_000_000_000)).toBe('353130');
  });

  it('accepts the code of the current step and of one step either side, not two', () => {
    const now = 1_700_000_000_000;
    const step = totpStep(now);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now), now, null)).toEqual({ ok: true, step });
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now - STEP_MS), now, null)).toEqual({ ok: true, step: step - 1 });
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now + STEP_MS), now, null)).toEqual({ ok: true, step: step + 1 });
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now - 2 * STEP_MS), now, null)).toEqual({ ok: false, reason: 'wrong' });
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now + 2 * STEP_MS), now, null)).toEqual({ ok: false, reason: 'wrong' });
  });

  it('refuses a step at or before the last accepted one (replay), accepts a later one', () => {
    const now = 1_700_000_000_000;
    const step = totpStep(now);
    const code = totpCode(RFC_SECRET, now);
    expect(matchTotp(RFC_SECRET, code, now, step)).toEqual({ ok: false, reason: 'replayed' });
    // The previous step's code after the current one was used: older than the last accepted.
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now - STEP_MS), now, step)).toEqual({ ok: false, reason: 'replayed' });
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now + STEP_MS), now, step)).toEqual({ ok: true, step: step + 1 });
    // The same code half a minute later, still inside the window: refused once accepted.
    expect(matchTotp(RFC_SECRET, code, now + STEP_MS, step)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('refuses anything that is not six digits without comparing', () => {
    for (const c of ['', '12345', '1234567', '12345a', ' 123456', '１２３４５６']) {
      expect(isTotpShaped(c)).toBe(false);
      expect(matchTotp(RFC_SECRET, c, 59_000, null)).toEqual({ ok: false, reason: 'wrong' });
    }
  });

  it('makes 160-bit base32 secrets and otpauth URIs apps read', () => {
    const s = newTotpSecret();
    expect(s).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(s);
    const uri = new URL(otpauthUri(s, 'ana@example.com', 'Gatehouse'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host + decodeURIComponent(uri.pathname)).toBe('totp/Gatehouse:ana@example.com');
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({ secret: s, issuer: 'Gatehouse', algorithm: 'SHA1', digits: '6', period: '30' });
  });
});

describe('recovery codes', () => {
  it('ten distinct 80-bit codes in groups of four', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  it('normalizes what people type; refuses what cannot be a code', () => {
    const [code] = newRecoveryCodes(1) as [string];
    const plain = code.replaceAll('-', '');
    expect(normalizeRecoveryCode(code)).toBe(plain);
    expect(normalizeRecoveryCode(` ${code.toLowerCase()} `)).toBe(plain);
    expect(normalizeRecoveryCode('0O1I-L000-0000-0000')).toBe('0011100000000000');
    for (const bad of ['', '123456', 'ABCD-ABCD-ABCD-ABC', 'ABCD-ABCD-ABCD-ABCDE', 'ABCD-ABCD-ABCD-ABCU', 'x'.repeat(100)]) expect(normalizeRecoveryCode(bad)).toBeUndefined();
  });

  it('hashes under the pepper and bound to the login', () => {
    const pepper = Buffer.alloc(32, 1);
    const h = hashRecoveryCode(pepper, 7, 'ABCDABCDABCDABCD');
    expect(h).toBe(hashRecoveryCode(pepper, 7, 'ABCDABCDABCDABCD'));
    expect(h).not.toBe(hashRecoveryCode(pepper, 8, 'ABCDABCDABCDABCD'));
    expect(h).not.toBe(hashRecoveryCode(Buffer.alloc(32, 2), 7, 'ABCDABCDABCDABCD'));
    expect(h).not.toContain('ABCD');
  });
});
