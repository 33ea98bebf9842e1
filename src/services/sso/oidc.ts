/**
 * The OpenID Connect relying party, over openid-client (panva): discovery, the authorization URL
 * with state, nonce and PKCE (S256), and the code exchange whose ID token the library verifies
 * (signature from the issuer's JWKS, `iss`, `aud`, `azp`, `nonce`, `exp`/`iat`). Nothing here is
 * hand-written protocol: this file only chooses the library's options and words its failures.
 */
import ipaddr from 'ipaddr.js';
import * as oidc from 'openid-client';
import type { TokenAuthMethod } from './model.js';

/** Seconds the provider's discovery, JWKS and token requests may take. */
const HTTP_TIMEOUT_SEC = 10;
/** Token endpoint authentication, in the order tried (the issue: `client_secret_basic` first). */
const METHODS: readonly TokenAuthMethod[] = ['client_secret_basic', 'client_secret_post'];

/** Loopback hosts, where plain http is allowed (development and tests). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (!ipaddr.isValid(h)) return false;
  const addr = ipaddr.process(h);
  return addr.range() === 'loopback';
}

/** Why an issuer identifier cannot be used, or null: an absolute https URL (http on loopback), no query, fragment or credentials. */
export function issuerProblem(issuer: string): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'the issuer is not a URL';
  }
  if (url.username || url.password || url.search || url.hash) return 'the issuer may not carry credentials, a query or a fragment';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return null;
  return 'the issuer must be an https URL (plain http only on a loopback address)';
}

export interface ClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Known once saved; absent when checking a provider being saved. */
  tokenAuthMethod?: TokenAuthMethod;
}

export type Discovered =
  | { readonly ok: true; readonly config: oidc.Configuration; readonly issuer: string; readonly tokenAuthMethod: TokenAuthMethod }
  | { readonly ok: false; readonly reason: string };

function clientAuth(method: TokenAuthMethod, secret: string): oidc.ClientAuth {
  return method === 'client_secret_basic' ? oidc.ClientSecretBasic(secret) : oidc.ClientSecretPost(secret);
}

/**
 * Reads the issuer's discovery document and checks that it describes an OpenID provider this
 * relying party can use: the authorization code flow, a JWKS, and a token endpoint that takes a
 * client secret. openid-client checks that the document's `issuer` is exactly the one asked for.
 * An outcome, not a fault: unreachable and unusable issuers are `ok: false` with a reason to show.
 */
export async function discover(s: ClientSettings): Promise<Discovered> {
  const problem = issuerProblem(s.issuer);
  if (problem) return { ok: false, reason: problem };
  const url = new URL(s.issuer);
  const insecure = url.protocol === 'http:';
  let config: oidc.Configuration;
  try {
    config = await oidc.discovery(url, s.clientId, undefined, undefined, { timeout: HTTP_TIMEOUT_SEC, ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}) });
  } catch (e) {
    return { ok: false, reason: `its discovery document (${url.href.replace(/\/$/, '')}/.well-known/openid-configuration) could not be read or is not OpenID Connect: ${wordsOf(e)}` };
  }
  const m = config.serverMetadata();
  if (!m.authorization_endpoint || !m.token_endpoint) return { ok: false, reason: 'its discovery document names no authorization or token endpoint' };
  if (!m.jwks_uri) return { ok: false, reason: 'its discovery document names no jwks_uri (ID tokens could not be verified)' };
  if (m.response_types_supported && !m.response_types_supported.includes('code')) return { ok: false, reason: 'it does not offer the authorization code flow' };
  if (m.code_challenge_methods_supported && !m.code_challenge_methods_supported.includes('S256')) return { ok: false, reason: 'it does not offer PKCE with S256' };
  // RFC 8414: absent means client_secret_basic only.
  const offered = m.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  const method = s.tokenAuthMethod && offered.includes(s.tokenAuthMethod) ? s.tokenAuthMethod : METHODS.find((x) => offered.includes(x));
  if (!method) return { ok: false, reason: `its token endpoint takes none of ${METHODS.join(', ')}` };
  const ready = new oidc.Configuration(m, s.clientId, { client_secret: s.clientSecret }, clientAuth(method, s.clientSecret));
  ready.timeout = HTTP_TIMEOUT_SEC;
  if (insecure) oidc.allowInsecureRequests(ready);
  return { ok: true, config: ready, issuer: m.issuer, tokenAuthMethod: method };
}

export interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The authorization URL with fresh state, nonce and PKCE verifier (kept server-side by the caller). */
export async function authorizationRequest(config: oidc.Configuration, o: { redirectUri: string; scopes: readonly string[]; loginHint?: string | undefined }): Promise<AuthorizationRequest> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const params: Record<string, string> = {
    redirect_uri: o.redirectUri,
    response_type: 'code',
    scope: o.scopes.join(' '),
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  };
  if (o.loginHint) params.login_hint = o.loginHint;
  return { url: oidc.buildAuthorizationUrl(config, params).href, state, nonce, codeVerifier };
}

export type CodeExchange = { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly reason: string };

/**
 * Exchanges the code at the token endpoint and verifies the ID token. `callbackUrl` is the
 * redirect URI with the query the provider sent back (code, state, iss).
 */
export async function exchangeCode(config: oidc.Configuration, callbackUrl: URL, checks: { state: string; nonce: string; codeVerifier: string }): Promise<CodeExchange> {
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { expectedState: checks.state, expectedNonce: checks.nonce, pkceCodeVerifier: checks.codeVerifier, idTokenExpected: true });
    const idClaims = tokens.claims();
    if (!idClaims) return { ok: false, reason: 'no ID token' };
    const claims: Record<string, unknown> = { ...idClaims };
    // Conformant providers may keep scope claims out of the ID token (OIDC Core §5.4): then the
    // e-mail comes from the userinfo endpoint, whose `sub` the library checks against the token's.
    if (typeof claims.email !== 'string' && config.serverMetadata().userinfo_endpoint) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims.email = info.email;
      claims.email_verified = info.email_verified;
    }
    return { ok: true, claims };
  } catch (e) {
    return { ok: false, reason: wordsOf(e) };
  }
}

/** A library error in a few words for the audit log: its message (never a token, which it does not quote) and code. */
function wordsOf(e: unknown): string {
  if (!(e instanceof Error)) return 'unknown error';
  const code = (e as { code?: unknown }).code;
  const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `${e.message}${cause}${typeof code === 'string' ? ` (${code})` : ''}`.slice(0, 300);
}
