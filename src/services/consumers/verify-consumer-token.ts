/**
 * Verifies a consumer JWT the way Kong ≥ 1.1's `jwt` plugin does, with Sunbird's `kid`-first
 * lookup: decode → find the credential by header `kid`, else payload `iss` → the token's `alg`
 * must equal the credential's (so `none`, and HS256 signed with an RS256 credential's public key,
 * are refused before any key is used) → signature → `exp`/`nbf` → the partner's lifetime policy
 * → the credential's state. Outcomes are values with a reason; only faults throw. No database
 * read in the steady state: credentials and partners come from bounded caches, and a token seen
 * before skips decoding and signature (cache/verified-tokens.ts explains why that is safe).
 */
import type { Clock } from '../../core/clock.js';
import { isPromise, type Maybe } from '../../core/maybe.js';
import { checkTimeClaims, parseCompactJwt, verifyAsymmetric, verifyHs256, type ClaimFailure, type ParsedJwt } from '../../core/jwt/consumer-token.js';
import { CREDENTIAL_ALGORITHMS, PartnerStatus, type CredentialAlgorithm } from '../model.js';
import { peekable, type ConsumerCredentialDirectory, type CredentialEntry, type Directory, type DirectoryPeek, type PartnerEntry } from '../ports.js';
import { partnerOf } from '../pipeline/lookups.js';

export type TokenFailure =
  | 'malformed'
  | 'unsupported header'
  | 'no key claim'
  | 'unknown key'
  | 'algorithm'
  | 'signature'
  | ClaimFailure
  | 'deprecated'
  | 'credential expired'
  | 'partner not active';

export type TokenCheck = { ok: true; entry: CredentialEntry; jwt: ParsedJwt } | { ok: false; reason: TokenFailure };

/**
 * Where the token is presented: the gateway and device registration refuse deprecated
 * credentials, the rotation endpoint takes them; rotation and registration write, so they also
 * need an active partner.
 */
export type TokenPurpose = 'gateway' | 'rotation' | 'registration';

/** Recently verified tokens by digest (cache/verified-tokens.ts). */
export interface VerifiedTokens {
  digest(token: string): string;
  get(digest: string): { jwt: ParsedJwt; entry: CredentialEntry } | undefined;
  set(digest: string, value: { jwt: ParsedJwt; entry: CredentialEntry }, lifetimeMs?: number): void;
}

export interface ConsumerTokenVerifierDeps {
  credentials: ConsumerCredentialDirectory;
  verified?: VerifiedTokens;
  directory: Directory;
  clock: Clock;
  /** Installation default of the maximum token lifetime in seconds (0 = `exp` optional). */
  maxLifetime: number;
}

const ALGS: ReadonlySet<string> = new Set(CREDENTIAL_ALGORITHMS);

export class ConsumerTokenVerifier {
  /** The Directory's synchronous reads, when it has them (a cached partner answers at once). */
  private readonly peek: DirectoryPeek | undefined;

  constructor(private readonly d: ConsumerTokenVerifierDeps) {
    this.peek = peekable(d.directory);
  }

  /**
   * The token's check: at once for a token verified before whose credential (and partner) are
   * still cached — the steady state of a client that reuses its token — else after the credential
   * lookup and the signature check (core/maybe.ts: one implementation, no sync/async twins).
   */
  check(token: string, purpose: TokenPurpose): Maybe<TokenCheck> {
    const verified = this.d.verified;
    const digest = verified?.digest(token);
    const seen = digest === undefined ? undefined : verified!.get(digest);
    // Only while the credential cache still holds the very entry the signature was checked with.
    if (seen && this.d.credentials.peek(seen.entry.credential.key) === seen.entry) return this.current(seen.entry, seen.jwt, purpose);
    return this.verifyFully(token, digest, purpose);
  }

  /** `check` for callers that await anyway (the rotation endpoint). */
  async verify(token: string, purpose: TokenPurpose): Promise<TokenCheck> {
    return this.check(token, purpose);
  }

  private async verifyFully(token: string, digest: string | undefined, purpose: TokenPurpose): Promise<TokenCheck> {
    const parsed = parseCompactJwt(token);
    if (!parsed.ok) return { ok: false, reason: parsed.reason };
    const jwt = parsed.jwt;
    // Refused before the lookup: `none` and anything we never issue credentials for.
    if (!ALGS.has(jwt.alg)) return { ok: false, reason: 'algorithm' };
    // Sunbird's patched handler: a `kid` in the header names the credential; otherwise `iss` does.
    const key = jwt.kid ?? jwt.payload.iss;
    if (typeof key !== 'string' || key === '') return { ok: false, reason: 'no key claim' };
    const entry = await this.d.credentials.byKey(key);
    if (!entry) return { ok: false, reason: 'unknown key' };
    const c = entry.credential;
    if (jwt.alg !== c.algorithm) return { ok: false, reason: 'algorithm' };
    const valid = c.algorithm === 'HS256' ? verifyHs256(jwt, entry.verifyKey) : await verifyAsymmetric(jwt, c.algorithm as Exclude<CredentialAlgorithm, 'HS256'>, entry.verifyKey);
    if (!valid) return { ok: false, reason: 'signature' };
    // Never remembered past the token's own `exp` (which is still checked on every use).
    const exp = jwt.payload.exp;
    if (digest !== undefined) this.d.verified!.set(digest, { jwt, entry }, typeof exp === 'number' ? exp * 1000 - this.d.clock.nowMs() : undefined);
    return this.current(entry, jwt, purpose);
  }

  /** The checks that depend on time, policy or state: repeated for every use of a verified token. */
  private current(entry: CredentialEntry, jwt: ParsedJwt, purpose: TokenPurpose): Maybe<TokenCheck> {
    const partner = partnerOf(this.d.directory, this.peek, entry.credential.partnerId);
    return isPromise(partner) ? partner.then((p) => this.judge(entry, jwt, purpose, p)) : this.judge(entry, jwt, purpose, partner);
  }

  private judge(entry: CredentialEntry, jwt: ParsedJwt, purpose: TokenPurpose, partner: PartnerEntry | undefined): TokenCheck {
    const c = entry.credential;
    const now = Math.floor(this.d.clock.nowMs() / 1000);
    const claim = checkTimeClaims(jwt.payload, now, this.maxLifetime(partner));
    if (claim) return { ok: false, reason: claim };
    if (c.expiresAt !== null && now >= c.expiresAt) return { ok: false, reason: 'credential expired' };
    if (c.deprecatedAt !== null && purpose !== 'rotation') return { ok: false, reason: 'deprecated' };
    // Rotation and registration write credentials: only for an active partner (the gateway
    // answers a blocked partner's consumers 403 itself, after authenticating them).
    if (purpose !== 'gateway' && partner?.partner.status !== PartnerStatus.ACTIVE) return { ok: false, reason: 'partner not active' };
    return { ok: true, entry, jwt };
  }

  /**
   * The stricter of the installation's limit and the partner's `consumerJwtMaxLifetime` setting
   * (seconds): a partner can require `exp` or shorten the limit, never lift the installation's.
   */
  private maxLifetime(partner: PartnerEntry | undefined): number {
    const raw = Number(partner?.partner.settings.consumerJwtMaxLifetime ?? 0);
    const setting = Number.isSafeInteger(raw) && raw > 0 ? raw : 0;
    if (setting === 0) return this.d.maxLifetime;
    return this.d.maxLifetime > 0 ? Math.min(setting, this.d.maxLifetime) : setting;
  }
}
