/** Which ID token claims assert a multi-factor sign-in (read only for providers marked trustProviderMfa). */
import { describe, expect, it } from 'vitest';
import { assertsMfa } from '../../src/core/two-factor/provider-mfa.js';

describe('assertsMfa', () => {
  it('reads amr mfa or otp (RFC 8176) and the multi-factor acr values', () => {
    expect(assertsMfa({ amr: ['pwd', 'mfa'] })).toBe(true);
    expect(assertsMfa({ amr: ['otp'] })).toBe(true);
    expect(assertsMfa({ acr: 'https://refeds.org/profile/mfa' })).toBe(true);
    expect(assertsMfa({ acr: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor' })).toBe(true);
  });
  it('anything else is a single factor: a password, no claims, malformed claims', () => {
    expect(assertsMfa({ amr: ['pwd'] })).toBe(false);
    expect(assertsMfa({})).toBe(false);
    expect(assertsMfa({ amr: 'mfa' })).toBe(false);
    expect(assertsMfa({ amr: [1, null, { mfa: true }] })).toBe(false);
    expect(assertsMfa({ acr: '1' })).toBe(false);
    expect(assertsMfa({ acr: ['https://refeds.org/profile/mfa'] })).toBe(false);
  });
});
