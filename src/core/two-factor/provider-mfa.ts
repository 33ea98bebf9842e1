/**
 * Whether an OpenID provider's ID token says the person signed in with more than a password: its
 * `amr` (RFC 8176 authentication method references) names `mfa` or `otp`, or its `acr` is a
 * multi-factor context class — REFEDS MFA (what Shibboleth and other research-and-education
 * providers assert) or OpenID PAPE's multi-factor policies. Only read for providers the partner
 * marked trustProviderMfa: a claim is worth what its issuer is trusted for.
 */

/** RFC 8176 values that name a second factor. */
export const MFA_AMR_VALUES: readonly string[] = ['mfa', 'otp'];

/** `acr` values that name a multi-factor sign-in. */
export const MFA_ACR_VALUES: readonly string[] = [
  'https://refeds.org/profile/mfa',
  'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
  'http://schemas.openid.net/pape/policies/2007/06/multi-factor-physical',
];

export function assertsMfa(claims: Readonly<Record<string, unknown>>): boolean {
  const amr = claims.amr;
  if (Array.isArray(amr) && amr.some((v) => typeof v === 'string' && MFA_AMR_VALUES.includes(v))) return true;
  return typeof claims.acr === 'string' && MFA_ACR_VALUES.includes(claims.acr);
}
